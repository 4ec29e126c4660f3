"""The diagnosis profile as a radar chart, drawn on the server as SVG (no script, prints and
shows on any phone): one spoke per axis, rings at 25/50/75/100, the initial profile as a dashed
outline and the final one filled, so that progress is seen at a glance."""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

SIZE = 360
CENTER = SIZE / 2
RADIUS = 118


def _point(index, count, value):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * max(0, min(100, value)) / 100
    return CENTER + r * math.cos(angle), CENTER + r * math.sin(angle)


def _polygon(values, count):
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, v) for i, v in enumerate(values)))


def radar_svg(axes, baseline=None, final=None, *, title=""):
    """``axes``: [(key, label)]; ``baseline``/``final``: {key: 0..100} or None. Returns safe SVG markup."""
    count = len(axes)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" class="radar" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for ring in (25, 50, 75, 100):
        parts.append(f'<polygon points="{_polygon([ring] * count, count)}" fill="none" stroke="#d6dcd8" '
                     f'stroke-width="1"/>')
    for i, (key, label) in enumerate(axes):
        x, y = _point(i, count, 100)
        parts.append(f'<line x1="{CENTER}" y1="{CENTER}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d6dcd8"/>')
        lx, ly = _point(i, count, 118)
        anchor = "middle" if abs(lx - CENTER) < 10 else ("start" if lx > CENTER else "end")
        parts.append(f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" font-size="14" '
                     f'fill="#1f2d27" direction="ltr" unicode-bidi="plaintext" class="axis-{key}">'
                     f'{escape(label)}</text>')
    for name, values, style in (
        ("baseline", baseline, 'fill="none" stroke="#b5651d" stroke-width="2" stroke-dasharray="5 4"'),
        ("final", final, 'fill="#1b7a55" fill-opacity="0.25" stroke="#1b7a55" stroke-width="2"'),
    ):
        if values:
            points = [values.get(key, 0) for key, _label in axes]
            parts.append(f'<polygon class="profile-{name}" points="{_polygon(points, count)}" {style}/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
