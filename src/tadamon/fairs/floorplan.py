"""The geometry of a floor plan, without the database: grids of stands and the SVG picture.

The SVG is built here as text, every piece of text and every attribute escaped, so that a name typed
by anyone (an organization, an area) can never break the picture or inject markup. Coordinates are
metres (the plan's ``viewBox``), so the picture scales to any screen and prints on any paper.
"""

import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

#: Fill colours of the poles, in the order of the edition's poles.
POLE_COLOURS = ["#cfe8dc", "#d6e4f5", "#f6e3b4", "#ead7ef", "#f5d5cc", "#dfe8c4", "#d9d9d9"]
POLE_STROKES = ["#1d6b4f", "#2b5c93", "#9a7414", "#7a4a8a", "#a4472c", "#5f7a1f", "#555555"]
SPACE_COLOURS = {
    "agora": "#fde7c8", "stage": "#f9d2d2", "training": "#e2ddf5", "entrance": "#ffffff",
    "information": "#d3eef3", "prayer": "#e6f2d9", "toilets": "#eeeeee", "other": "#f2f2f2",
}
MAX_GRID_STANDS = 500
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


@dataclass
class GridSpec:
    """A block of stands: ``rows`` × ``columns`` stands of ``stand_width`` × ``stand_depth`` metres,
    starting ``x``, ``y`` metres from the top-left corner of its area.

    ``back_to_back`` pairs the rows (two rows back to back, then an aisle), as in most fairs;
    otherwise every row has its own aisle. ``cross_aisle_every`` cuts the rows with a cross aisle
    every that many columns (0: none). Every aisle is ``aisle`` metres wide.
    """

    rows: int
    columns: int
    stand_width: float = 3.0
    stand_depth: float = 3.0
    aisle: float = 3.0
    x: float = 0.0
    y: float = 0.0
    back_to_back: bool = True
    cross_aisle_every: int = 0

    @property
    def count(self):
        return self.rows * self.columns

    def _row_gaps(self):
        """Number of aisles before each row."""
        if self.back_to_back:
            return [r // 2 for r in range(self.rows)]
        return list(range(self.rows))

    def _column_gaps(self):
        every = self.cross_aisle_every
        return [c // every if every else 0 for c in range(self.columns)]

    @property
    def width(self):
        gaps = self._column_gaps()
        return self.columns * self.stand_width + (gaps[-1] if gaps else 0) * self.aisle

    @property
    def depth(self):
        gaps = self._row_gaps()
        return self.rows * self.stand_depth + (gaps[-1] if gaps else 0) * self.aisle

    def cells(self, origin_x=0.0, origin_y=0.0):
        """The stands of the grid, row by row: dicts of x, y, width, depth, row, column, corner.

        A stand is a corner when it ends a block: first or last column, or next to a cross aisle.
        """
        row_gaps, column_gaps = self._row_gaps(), self._column_gaps()
        out = []
        for r in range(self.rows):
            y = origin_y + self.y + r * self.stand_depth + row_gaps[r] * self.aisle
            for c in range(self.columns):
                x = origin_x + self.x + c * self.stand_width + column_gaps[c] * self.aisle
                block_start = c == 0 or column_gaps[c] != column_gaps[c - 1]
                block_end = c == self.columns - 1 or column_gaps[c] != column_gaps[c + 1]
                out.append({"x": round(x, 3), "y": round(y, 3), "width": self.stand_width,
                            "depth": self.stand_depth, "row": r, "column": c, "corner": block_start or block_end})
        return out


def stand_numbers(prefix, start, count):
    """``count`` numbers from ``start`` with ``prefix``, zero-padded to the same width (P001…P130)."""
    digits = max(2, len(str(start + count - 1)))
    return [f"{prefix}{n:0{digits}d}" for n in range(start, start + count)]


def text_dir(text):
    """``rtl`` for text with Arabic letters, else ``ltr``: each label reads in its own direction."""
    return "rtl" if ARABIC.search(text or "") else "ltr"


def _n(value):
    """A coordinate as short text (SVG is read on phones: fewer bytes)."""
    value = round(float(value), 2)
    return str(int(value)) if value == int(value) else f"{value:g}"


def _label(text, cx, cy, size, cls="label", extra=""):
    direction = text_dir(text)
    return (f'<text x="{_n(cx)}" y="{_n(cy)}" font-size="{_n(size)}" class={quoteattr(cls)} '
            f'text-anchor="middle" dominant-baseline="central" direction="{direction}" '
            f'unicode-bidi="embed"{extra}>{escape(text)}</text>')


def _fit(text, width, height, largest):
    """A font size at which ``text`` fits inside width × height (roughly: 0.55 em per character)."""
    length = max(1, len(text))
    return max(0.25, min(largest, width / (length * 0.58), height * 0.6))


@dataclass
class PlanItem:
    """What the picture needs of an area, a space or a stand (built from models or plain data)."""

    id: object
    x: float
    y: float
    width: float
    depth: float
    label: str
    kind: str = ""
    pole_index: int = 0
    href: str = ""
    title: str = ""
    classes: tuple = ()


def bounds(items, margin=2.0):
    """(min x, min y, width, height) of everything, with a margin; a small square when empty."""
    if not items:
        return (0.0, 0.0, 20.0, 12.0)
    left = min(i.x for i in items) - margin
    top = min(i.y for i in items) - margin
    right = max(i.x + i.width for i in items) + margin
    bottom = max(i.y + i.depth for i in items) + margin
    return (left, top, right - left, bottom - top)


def render_svg(*, areas=(), spaces=(), stands=(), title="", label_id="floor-plan-title", language="ar"):
    """The plan as an SVG document (text). Each stand is a link (``<a href>``) when it has one.

    ``classes`` of a stand add CSS hooks (``occupied``, ``match``, ``selected``, ``empty``); the
    colours are also given as attributes, so the picture keeps its colours outside the page.
    """
    left, top, width, height = bounds([*areas, *spaces, *stands])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_n(left)} {_n(top)} {_n(width)} {_n(height)}" '
        f'class="floor-plan-svg" role="img" aria-labelledby={quoteattr(label_id)} '
        f'preserveAspectRatio="xMidYMid meet" xml:lang={quoteattr(language)}>',
        f'<title id={quoteattr(label_id)}>{escape(title)}</title>',
        f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(width)}" height="{_n(height)}" class="ground" '
        f'fill="#faf8f2"/>',
    ]
    for area in areas:
        parts.append(f'<g class="area" id="area-{escape(str(area.id))}">')
        parts.append(f'<rect x="{_n(area.x)}" y="{_n(area.y)}" width="{_n(area.width)}" height="{_n(area.depth)}" '
                     f'fill="#ffffff" stroke="#8a8270" stroke-width="0.2" stroke-dasharray="1 0.5"/>')
        size = _fit(area.label, area.width * 0.9, 2.4, 1.4)
        parts.append(_label(area.label, area.x + area.width / 2, area.y - size * 0.75 if area.y - size > top
                            else area.y + size * 0.8, size, "area-label"))
        parts.append("</g>")
    for space in spaces:
        fill = SPACE_COLOURS.get(space.kind, SPACE_COLOURS["other"])
        parts.append(f'<g class={quoteattr("space space-" + space.kind)} id="space-{escape(str(space.id))}">')
        if space.title:
            parts.append(f"<title>{escape(space.title)}</title>")
        parts.append(f'<rect x="{_n(space.x)}" y="{_n(space.y)}" width="{_n(space.width)}" '
                     f'height="{_n(space.depth)}" rx="0.4" fill="{fill}" stroke="#6b6355" stroke-width="0.15"/>')
        size = _fit(space.label, space.width * 0.92, space.depth, 1.3)
        parts.append(_label(space.label, space.x + space.width / 2, space.y + space.depth / 2, size, "space-label"))
        parts.append("</g>")
    for stand in stands:
        index = stand.pole_index % len(POLE_COLOURS)
        classes = " ".join(["stand", f"pole-{index}", *stand.classes])
        opening = f'<a href={quoteattr(stand.href)}' if stand.href else "<g"
        parts.append(f'{opening} class={quoteattr(classes)} id="stand-{escape(str(stand.id))}" '
                     f'data-stand="{escape(str(stand.id))}" aria-label={quoteattr(stand.title or stand.label)}>')
        if stand.title:
            parts.append(f"<title>{escape(stand.title)}</title>")
        parts.append(f'<rect x="{_n(stand.x)}" y="{_n(stand.y)}" width="{_n(stand.width)}" '
                     f'height="{_n(stand.depth)}" fill="{POLE_COLOURS[index]}" stroke="{POLE_STROKES[index]}" '
                     f'stroke-width="0.12"/>')
        size = _fit(stand.label, stand.width * 0.9, stand.depth, min(stand.width, stand.depth) * 0.32)
        parts.append(_label(stand.label, stand.x + stand.width / 2, stand.y + stand.depth / 2, size,
                            "stand-label"))
        parts.append("</a>" if stand.href else "</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def centre(item):
    return (item.x + item.width / 2, item.y + item.depth / 2)


def distance(a, b):
    (ax, ay), (bx, by) = centre(a), centre(b)
    return math.hypot(ax - bx, ay - by)
