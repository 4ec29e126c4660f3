"""Product pictures and logos for the demo registry, drawn with Pillow (nothing is downloaded).

Each picture is a simple still life: a wall with a Moroccan arch, a table, and the object of the
category (a bottle of oil, a jar of honey, a bowl of couscous, a tajine, a carpet, a caftan, a
zellige panel…). Drawing happens at twice the size and is then reduced, which smooths the edges.
Pictures are cached per (kind, variant), so hundreds of products cost a few dozen drawings.
"""

import io
import math
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 480, 360
SCALE = 2
LOGO_SIZE = 240

#: Wall colours (light) and table colours, chosen per picture from a seed.
WALLS = ["#f6efe2", "#f3e6d3", "#eaf1ec", "#f4ebe6", "#e9eef5", "#f5f0dc", "#efe7f1"]
TABLES = ["#b98b5e", "#a8774d", "#c9a27a", "#8f6b4c", "#d9c2a0", "#7d8f74", "#b5655a"]


def _hex(color):
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    a, b = (_hex(a) if isinstance(a, str) else a), (_hex(b) if isinstance(b, str) else b)
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _lighter(color, t=0.35):
    return _mix(color, (255, 255, 255), t)


def _darker(color, t=0.3):
    return _mix(color, (0, 0, 0), t)


class Canvas:
    """Coordinates in the 480×360 picture; drawing happens at SCALE times that size."""

    def __init__(self, rng, width=WIDTH, height=HEIGHT):
        self.rng = rng
        self.width, self.height = width, height
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), "#ffffff")
        self.draw = ImageDraw.Draw(self.image)

    def s(self, *values):
        return [round(v * SCALE) for v in values]

    def rect(self, box, fill, radius=0, outline=None, width=0):
        if radius:
            self.draw.rounded_rectangle(self.s(*box), radius=radius * SCALE, fill=fill, outline=outline,
                                        width=width * SCALE)
        else:
            self.draw.rectangle(self.s(*box), fill=fill, outline=outline, width=width * SCALE)

    def ellipse(self, box, fill, outline=None, width=0):
        self.draw.ellipse(self.s(*box), fill=fill, outline=outline, width=width * SCALE)

    def polygon(self, points, fill, outline=None, width=0):
        flat = [round(c * SCALE) for point in points for c in point]
        self.draw.polygon(flat, fill=fill, outline=outline, width=width * SCALE)

    def line(self, points, fill, width=1):
        flat = [round(c * SCALE) for point in points for c in point]
        self.draw.line(flat, fill=fill, width=max(1, round(width * SCALE)), joint="curve")

    def pieslice(self, box, start, end, fill):
        self.draw.pieslice(self.s(*box), start, end, fill=fill)

    def chord(self, box, start, end, fill):
        self.draw.chord(self.s(*box), start, end, fill=fill)

    def shadow(self, box, strength=90, blur=9):
        """A soft shadow under an object, blurred on its own layer."""
        layer = Image.new("L", self.image.size, 0)
        ImageDraw.Draw(layer).ellipse(self.s(*box), fill=strength)
        layer = layer.filter(ImageFilter.GaussianBlur(blur * SCALE))
        self.image.paste((40, 30, 20), (0, 0), layer)

    def finish(self):
        image = self.image.resize((self.width, self.height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=84, optimize=True, progressive=True)
        return out.getvalue()


# ---- the scene ---------------------------------------------------------------------------------

def _scene(c, table_line=250, arch=True):
    """Wall with a gentle light, an arch behind the object, a table top."""
    rng = c.rng
    wall, table = rng.choice(WALLS), rng.choice(TABLES)
    size = c.image.size
    gradient = Image.linear_gradient("L").resize(size)
    c.image.paste(Image.composite(Image.new("RGB", size, _darker(wall, 0.08)), Image.new("RGB", size, wall),
                                  gradient))
    if arch:
        arch_color = _mix(wall, "#ffffff", 0.45)
        cx = c.width / 2 + rng.uniform(-12, 12)
        half = rng.uniform(95, 120)
        top = rng.uniform(22, 40)
        c.ellipse((cx - half, top, cx + half, top + 2 * half), fill=arch_color)
        c.rect((cx - half, top + half, cx + half, table_line), fill=arch_color)
        c.line([(cx - half - 6, table_line), (cx - half - 6, top + half)], fill=_darker(wall, 0.06), width=3)
        c.line([(cx + half + 6, table_line), (cx + half + 6, top + half)], fill=_darker(wall, 0.06), width=3)
    c.rect((0, table_line, c.width, c.height), fill=table)
    c.rect((0, table_line, c.width, table_line + 6), fill=_lighter(table, 0.25))
    for y in range(table_line + 18, c.height, 22):
        c.line([(0, y + rng.uniform(-2, 2)), (c.width, y + rng.uniform(-2, 2))], fill=_darker(table, 0.08), width=1)
    return wall, table


def _label(c, box, accent, motif="leaf"):
    """A cream label with a small motif (no text: the page shows the product's name)."""
    x0, y0, x1, y1 = box
    c.rect(box, fill="#fbf6ea", radius=4, outline=_darker(accent, 0.1), width=1)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    r = min(x1 - x0, y1 - y0) * 0.28
    if motif == "leaf":
        c.ellipse((cx - r * 1.4, cy - r * 0.55, cx + r * 1.4, cy + r * 0.55), fill=accent)
        c.line([(cx - r * 1.4, cy), (cx + r * 1.4, cy)], fill="#fbf6ea", width=1.5)
    elif motif == "star":
        _star(c, cx, cy, r * 1.2, r * 0.5, accent, points=8)
    else:
        c.ellipse((cx - r, cy - r, cx + r, cy + r), fill=accent)
    c.line([(x0 + 8, y1 - 9), (x1 - 8, y1 - 9)], fill=_lighter(accent, 0.3), width=2)


def _star(c, cx, cy, outer, inner, fill, points=8, rotation=0.0):
    coords = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = rotation + math.pi * i / points
        coords.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    c.polygon(coords, fill=fill)


# ---- objects -------------------------------------------------------------------------------------

def bottle(c, liquid="#d9a21b", cap="#8b5a2b", accent="#1d6b4f"):
    _scene(c)
    rng = c.rng
    for index, (cx, height) in enumerate([(200, 175), (285, 135)] if rng.random() < 0.6 else [(240, 180)]):
        width = 70 if index == 0 else 58
        bottom = 262
        top = bottom - height
        c.shadow((cx - width * 0.75, bottom - 10, cx + width * 0.85, bottom + 12))
        glass = _lighter(liquid, 0.55)
        c.rect((cx - width / 2, top + 38, cx + width / 2, bottom), fill=glass, radius=14)
        c.polygon([(cx - width / 2, top + 52), (cx - 11, top + 14), (cx + 11, top + 14), (cx + width / 2, top + 52)],
                  fill=glass)
        c.rect((cx - 11, top - 6, cx + 11, top + 20), fill=glass)
        c.rect((cx - width / 2 + 4, top + 64, cx + width / 2 - 4, bottom - 4), fill=liquid, radius=11)
        c.rect((cx - width / 2 + 10, top + 50, cx - width / 2 + 17, bottom - 14), fill=_lighter(liquid, 0.6),
               radius=3)
        c.rect((cx - 13, top - 24, cx + 13, top - 2), fill=cap, radius=4)
        c.line([(cx - 13, top - 14), (cx + 13, top - 14)], fill=_darker(cap, 0.2), width=2)
        _label(c, (cx - width / 2 + 8, top + 92, cx + width / 2 - 8, top + 92 + min(52, height - 100)), accent)
    _sprig(c, 330 if rng.random() < 0.5 else 120, 258, accent)


def _sprig(c, x, y, color):
    """A small branch with leaves lying on the table."""
    c.line([(x - 40, y + 8), (x + 40, y - 4)], fill=_darker(color, 0.2), width=2)
    for i in range(5):
        t = i / 4
        px, py = x - 40 + 80 * t, y + 8 - 12 * t
        c.ellipse((px - 10, py - 12, px + 6, py - 2), fill=_lighter(color, 0.1 * i))
        c.ellipse((px - 4, py + 1, px + 12, py + 9), fill=_lighter(color, 0.08 * i))


def jar(c, content="#d08a12", lid="#b23a3a", accent="#8a5a12", pieces=None):
    _scene(c)
    rng = c.rng
    cx, bottom = 240 + rng.uniform(-15, 15), 266
    c.shadow((cx - 95, bottom - 12, cx + 105, bottom + 14))
    glass = _lighter(content, 0.6)
    c.rect((cx - 72, 120, cx + 72, bottom), fill=glass, radius=26)
    c.rect((cx - 64, 140, cx + 64, bottom - 6), fill=content, radius=22)
    if pieces:
        piece_rng = random.Random(7)  # noqa: S311 (drawing, not secrets)
        for _ in range(38):
            px, py = piece_rng.uniform(cx - 52, cx + 48), piece_rng.uniform(150, bottom - 22)
            r = piece_rng.uniform(7, 11)
            shade = _mix(pieces, "#000000", piece_rng.uniform(0, .25))
            c.ellipse((px - r, py - r * 0.8, px + r, py + r * 0.8), fill=shade)
            c.ellipse((px - r * 0.4, py - r * 0.5, px, py - r * 0.15), fill=_lighter(pieces, 0.5))
    c.rect((cx - 54, 146, cx - 42, bottom - 22), fill=_lighter(content, 0.45), radius=5)
    c.rect((cx - 60, 96, cx + 60, 124), fill=_darker(lid, 0.05), radius=6)
    # a cloth cover tied with a string, the way honey is sold at fairs
    c.polygon([(cx - 82, 126), (cx - 66, 84), (cx + 66, 84), (cx + 82, 126), (cx + 40, 118), (cx, 128),
               (cx - 40, 118)], fill=lid)
    for i in range(-3, 4):
        c.line([(cx + i * 20, 86), (cx + i * 22, 122)], fill=_lighter(lid, 0.35), width=3)
    c.line([(cx - 70, 110), (cx + 70, 110)], fill="#f2e2b8", width=3)
    _label(c, (cx - 50, 176, cx + 50, 232), accent, motif="star")
    # a wooden dipper beside the jar
    dx = cx + 110 if cx < 250 else cx - 130
    c.line([(dx, 262), (dx + 62, 214)], fill="#8b5a2b", width=6)
    c.ellipse((dx - 16, 250, dx + 14, 276), fill="#a0692f")
    for k in range(3):
        c.line([(dx - 14, 256 + k * 7), (dx + 12, 256 + k * 7)], fill="#7a4a1f", width=2)


def bowl(c, heap="#e9cf7b", dish="#2f6f8f", kind="grains"):
    _scene(c, table_line=230)
    rng = c.rng
    cx, cy = 240 + rng.uniform(-10, 10), 250
    c.shadow((cx - 150, cy + 20, cx + 150, cy + 60), strength=100)
    # heap above the rim, then the bowl in front of it
    heap_box = (cx - 122, cy - 80, cx + 122, cy + 80)  # its flat base sits on the rim
    c.chord(heap_box, 180, 360, heap)
    piece_rng = random.Random(11)  # noqa: S311 (drawing, not secrets)
    if kind == "grains":
        for _ in range(420):
            angle = piece_rng.uniform(math.pi, 2 * math.pi)
            radius = math.sqrt(piece_rng.random())
            px, py = cx + 118 * radius * math.cos(angle), cy + 78 * radius * math.sin(angle)
            c.ellipse((px - 1.6, py - 1.6, px + 1.6, py + 1.6), fill=_mix(heap, "#7a5a1a", piece_rng.uniform(.1, .4)))
    elif kind in ("dates", "almonds", "cherries"):
        color = {"dates": "#5a2d14", "almonds": "#a86a3a", "cherries": "#b3122e"}[kind]
        for row in range(5):
            for col in range(8 - row):
                px = cx - 100 + row * 14 + col * 28 + piece_rng.uniform(-4, 4)
                py = cy - 8 - row * 20 + piece_rng.uniform(-3, 3)
                if kind == "cherries":
                    c.line([(px, py - 8), (px + 8, py - 26)], fill="#3d6b2a", width=2)
                    shade = _mix(color, "#000000", piece_rng.uniform(0, .3))
                    c.ellipse((px - 11, py - 11, px + 11, py + 11), fill=shade)
                    c.ellipse((px - 6, py - 7, px - 1, py - 2), fill="#f08a9a")
                else:
                    w = 16 if kind == "dates" else 13
                    c.ellipse((px - w, py - 8, px + w, py + 9), fill=_mix(color, "#000000", piece_rng.uniform(0, .25)))
                    c.line([(px - w + 5, py - 2), (px + w - 6, py - 4)], fill=_lighter(color, 0.3), width=2)
    elif kind == "herbs":
        for _ in range(70):
            angle = piece_rng.uniform(math.pi * 1.05, math.pi * 1.95)
            length = piece_rng.uniform(40, 110)
            x0, y0 = cx + piece_rng.uniform(-60, 60), cy - 10
            x1, y1 = x0 + length * math.cos(angle) * 0.8, y0 + length * math.sin(angle)
            c.line([(x0, y0), (x1, y1)], fill="#55703a", width=1.5)
            c.ellipse((x1 - 6, y1 - 3, x1 + 6, y1 + 3), fill=_mix(heap, "#1e3d12", piece_rng.uniform(0, .35)))
    elif kind == "saffron":
        for _ in range(160):
            px, py = cx + piece_rng.uniform(-100, 100), cy - 10 - piece_rng.uniform(0, 50) * (1 - abs(
                piece_rng.uniform(-1, 1)) ** 2)
            angle = piece_rng.uniform(0, math.pi)
            c.line([(px, py), (px + 12 * math.cos(angle), py - 12 * math.sin(angle))],
                   fill=_mix("#b3161b", "#e0561b", piece_rng.random()), width=2)
    # the bowl
    c.pieslice((cx - 135, cy - 70, cx + 135, cy + 80), 0, 180, dish)
    c.ellipse((cx - 135, cy - 12, cx + 135, cy + 12), fill=_darker(dish, 0.15))
    c.rect((cx - 50, cy + 72, cx + 50, cy + 84), fill=_darker(dish, 0.2), radius=4)
    for i in range(7):
        angle = math.radians(20 + i * 23)
        px, py = cx + 100 * math.cos(angle), cy + 50 * math.sin(angle)
        _star(c, px, py, 9, 4, "#f3e3b3", points=6, rotation=angle)
    c.line([(cx - 126, cy + 4), (cx + 126, cy + 4)], fill="#f3e3b3", width=2)


def tajine(c, clay="#b4532a", paint="#f3e3b3"):
    _scene(c)
    rng = c.rng
    cx, base = 240 + rng.uniform(-10, 10), 262
    c.shadow((cx - 150, base - 14, cx + 150, base + 16))
    c.ellipse((cx - 140, base - 34, cx + 140, base + 6), fill=_darker(clay, 0.15))
    c.ellipse((cx - 132, base - 44, cx + 132, base - 8), fill=clay)
    c.polygon([(cx - 112, base - 30), (cx - 14, 88), (cx + 14, 88), (cx + 112, base - 30)], fill=clay)
    c.chord((cx - 112, base - 52, cx + 112, base - 10), 0, 180, clay)
    c.ellipse((cx - 20, 70, cx + 20, 98), fill=_darker(clay, 0.1))
    c.ellipse((cx - 10, 58, cx + 10, 76), fill=_darker(clay, 0.15))
    for level, width in ((200, 2.5), (160, 2.5), (122, 2)):
        spread = (level - 88) / (base - 30 - 88) * 98 + 14
        c.line([(cx - spread, level), (cx + spread, level)], fill=paint, width=width)
        for k in range(-4, 5):
            x = cx + k * spread / 5
            c.polygon([(x - 6, level + 3), (x, level + 12), (x + 6, level + 3)], fill=paint)
    c.polygon([(cx - 40, 140), (cx - 10, 100), (cx - 22, 150)], fill=_lighter(clay, 0.25))


def vase(c, glaze="#1f4e8c", paint="#f4f1ea"):
    _scene(c)
    rng = c.rng
    for cx, scale in ([(190, 1.0), (300, 0.72)] if rng.random() < 0.7 else [(240, 1.05)]):
        bottom = 262
        c.shadow((cx - 70 * scale, bottom - 10, cx + 80 * scale, bottom + 12))
        w = 62 * scale
        c.ellipse((cx - w, bottom - 150 * scale, cx + w, bottom - 10), fill=glaze)
        c.rect((cx - w * 0.45, bottom - 24, cx + w * 0.45, bottom), fill=_darker(glaze, 0.1), radius=4)
        c.rect((cx - w * 0.35, bottom - 200 * scale, cx + w * 0.35, bottom - 128 * scale), fill=glaze)
        c.ellipse((cx - w * 0.52, bottom - 212 * scale, cx + w * 0.52, bottom - 192 * scale), fill=_darker(glaze, .1))
        c.ellipse((cx - w * 0.36, bottom - 208 * scale, cx + w * 0.36, bottom - 197 * scale), fill=_darker(glaze, .45))
        mid = bottom - 85 * scale
        c.line([(cx - w * 0.97, mid - 22 * scale), (cx + w * 0.97, mid - 22 * scale)], fill=paint, width=2)
        c.line([(cx - w * 0.97, mid + 26 * scale), (cx + w * 0.97, mid + 26 * scale)], fill=paint, width=2)
        for k in range(-2, 3):
            _star(c, cx + k * w * 0.38, mid + 2 * scale, 11 * scale, 5 * scale, paint, points=8)
        c.ellipse((cx - w * 0.7, bottom - 138 * scale, cx - w * 0.45, bottom - 100 * scale), fill=_lighter(glaze, .35))


def carpet(c, ground="#9c2a2a", motif="#f2e6cf", border="#27364f"):
    rng = c.rng
    _scene(c, table_line=300, arch=False)
    x0, y0, x1, y1 = 70, 30, 410, 300
    c.shadow((x0 + 10, y1 - 10, x1 + 10, y1 + 16), strength=70)
    for x in range(round(x0) + 6, round(x1) - 4, 9):
        c.line([(x, y1), (x + rng.uniform(-3, 3), y1 + 16)], fill="#efe4cc", width=2)
    c.rect((x0, y0, x1, y1), fill=border)
    c.rect((x0 + 16, y0 + 16, x1 - 16, y1 - 16), fill=ground)
    # the border: a row of small triangles
    for x in range(x0 + 4, x1 - 10, 14):
        c.polygon([(x, y0 + 14), (x + 7, y0 + 3), (x + 14, y0 + 14)], fill=motif)
        c.polygon([(x, y1 - 14), (x + 7, y1 - 3), (x + 14, y1 - 14)], fill=motif)
    # Amazigh lozenges in a column
    cx = (x0 + x1) / 2
    for i, cy in enumerate((85, 165, 245)):
        size = 44
        c.polygon([(cx, cy - size), (cx + size * 1.3, cy), (cx, cy + size), (cx - size * 1.3, cy)], fill=motif)
        c.polygon([(cx, cy - size + 12), (cx + size * 1.3 - 16, cy), (cx, cy + size - 12), (cx - size * 1.3 + 16, cy)],
                  fill=border if i % 2 else _darker(ground, 0.2))
        c.polygon([(cx, cy - 12), (cx + 15, cy), (cx, cy + 12), (cx - 15, cy)], fill=motif)
        for side in (-1, 1):
            sx = cx + side * 112
            c.line([(sx - 16, cy - 18), (sx + 16, cy + 18)], fill=motif, width=3)
            c.line([(sx - 16, cy + 18), (sx + 16, cy - 18)], fill=motif, width=3)
    for y in range(y0 + 40, y1 - 30, 40):
        for side in (-1, 1):
            sx = cx + side * 70
            c.polygon([(sx, y), (sx + 6, y + 8), (sx, y + 16), (sx - 6, y + 8)], fill=_lighter(ground, 0.4))


def caftan(c, fabric="#1f5f5b", trim="#d8b04a"):
    rng = c.rng
    _scene(c, table_line=330)
    cx = 240 + rng.uniform(-8, 8)
    # hanger
    c.line([(cx, 22), (cx, 40)], fill="#7a6a55", width=3)
    c.ellipse((cx - 8, 12, cx + 8, 28), outline="#7a6a55", fill=None, width=3)
    c.line([(cx - 70, 58), (cx, 38), (cx + 70, 58)], fill="#7a6a55", width=5)
    shadow = _darker(fabric, 0.25)
    # sleeves
    c.polygon([(cx - 62, 60), (cx - 150, 210), (cx - 118, 226), (cx - 52, 120)], fill=shadow)
    c.polygon([(cx + 62, 60), (cx + 150, 210), (cx + 118, 226), (cx + 52, 120)], fill=shadow)
    c.polygon([(cx - 150, 210), (cx - 118, 226), (cx - 108, 212), (cx - 138, 198)], fill=trim)
    c.polygon([(cx + 150, 210), (cx + 118, 226), (cx + 108, 212), (cx + 138, 198)], fill=trim)
    # body, widening to the hem
    c.polygon([(cx - 64, 56), (cx + 64, 56), (cx + 112, 328), (cx - 112, 328)], fill=fabric)
    c.polygon([(cx - 30, 56), (cx, 96), (cx + 30, 56)], fill=_darker(fabric, 0.35))
    # embroidered neckline, the line of buttons (aakad) down the front, and the belt (mdamma)
    c.line([(cx - 34, 58), (cx, 100), (cx + 34, 58)], fill=trim, width=5)
    c.polygon([(cx - 4, 100), (cx + 4, 100), (cx + 8, 328), (cx - 8, 328)], fill=_lighter(fabric, 0.18))
    for y in range(106, 320, 11):
        c.ellipse((cx - 4, y, cx + 4, y + 8), fill=trim)
    belt = _darker(trim, 0.12)
    c.rect((cx - 84, 146, cx + 84, 178), fill=belt, radius=4)
    c.line([(cx - 84, 150), (cx + 84, 150)], fill=_lighter(trim, 0.35), width=2)
    c.line([(cx - 84, 174), (cx + 84, 174)], fill=_lighter(trim, 0.35), width=2)
    for x in range(round(cx) - 76, round(cx) + 76, 19):
        _star(c, x + 9, 162, 8, 3.5, _darker(trim, 0.45), points=8)
    c.line([(cx - 110, 322), (cx + 110, 322)], fill=trim, width=4)
    for side in (-1, 1):
        c.line([(cx + side * 40, 190), (cx + side * 70, 310)], fill=_lighter(fabric, 0.12), width=3)


def zellige(c, colors=("#1d6b4f", "#1f4e8c", "#f4f1ea", "#d8b04a")):
    rng = c.rng
    c.rect((0, 0, c.width, c.height), fill="#f1ece0")
    step = 60
    grout = "#e8e1d0"
    offset = rng.uniform(0, step)
    c.rect((0, 0, c.width, c.height), fill=grout)
    for row in range(-1, c.height // step + 2):
        for col in range(-1, c.width // step + 2):
            cx, cy = col * step + offset, row * step + step / 2
            c.rect((cx - step / 2 + 2, cy - step / 2 + 2, cx + step / 2 - 2, cy + step / 2 - 2),
                   fill=colors[2])
            _star(c, cx, cy, 27, 19, colors[(row + col) % 2], points=8, rotation=math.pi / 8)
            _star(c, cx, cy, 12, 6, colors[3], points=8)
            c.polygon([(cx + step / 2, cy - 9), (cx + step / 2 + 9, cy), (cx + step / 2, cy + 9),
                       (cx + step / 2 - 9, cy)], fill=colors[1 - (row + col) % 2])
    c.rect((0, 0, c.width, 14), fill=_darker(colors[0], 0.2))
    c.rect((0, c.height - 14, c.width, c.height), fill=_darker(colors[0], 0.2))


def babouches(c, leather="#e2b13c"):
    _scene(c, table_line=200, arch=False)
    rng = c.rng
    for dx, dy in ((-70, 0), (60, 18)):
        cx, cy = 240 + dx + rng.uniform(-5, 5), 270 + dy
        c.shadow((cx - 110, cy - 30, cx + 110, cy + 40), strength=80, blur=7)
        sole = _darker(leather, 0.35)
        c.polygon([(cx - 105, cy + 10), (cx - 60, cy - 24), (cx + 60, cy - 22), (cx + 112, cy + 6), (cx + 60, cy + 28),
                   (cx - 70, cy + 30)], fill=sole)
        c.polygon([(cx - 100, cy + 2), (cx - 58, cy - 48), (cx + 24, cy - 44), (cx + 106, cy), (cx + 56, cy + 20),
                   (cx - 66, cy + 22)], fill=leather)
        c.ellipse((cx + 8, cy - 42, cx + 86, cy + 4), fill=_darker(leather, 0.5))
        c.ellipse((cx + 16, cy - 36, cx + 80, cy), fill=_darker(leather, 0.3))
        c.line([(cx - 90, cy - 2), (cx - 50, cy - 38), (cx + 8, cy - 38)], fill=_lighter(leather, 0.4), width=2)
        for k in range(3):
            _star(c, cx - 52 + k * 18, cy - 16, 5, 2.5, _darker(leather, 0.25), points=4)


def bag(c, leather="#8a4b22"):
    _scene(c)
    rng = c.rng
    cx, bottom = 240 + rng.uniform(-10, 10), 262
    c.shadow((cx - 120, bottom - 12, cx + 120, bottom + 14))
    c.line([(cx - 60, 140), (cx - 48, 70), (cx + 48, 70), (cx + 60, 140)], fill=_darker(leather, 0.2), width=9)
    c.rect((cx - 110, 130, cx + 110, bottom), fill=leather, radius=18)
    c.polygon([(cx - 110, 136), (cx + 110, 136), (cx + 96, 200), (cx, 214), (cx - 96, 200)], fill=_darker(leather, .15))
    c.ellipse((cx - 12, 196, cx + 12, 220), fill="#d8b04a")
    for x in range(round(cx) - 96, round(cx) + 96, 10):
        c.line([(x, 144), (x + 4, 144)], fill=_lighter(leather, 0.4), width=2)
    _star(c, cx, 168, 18, 8, _lighter(leather, 0.3), points=8)


def soap(c, color="#4a3b22"):
    _scene(c)
    rng = c.rng
    cx, cy = 240 + rng.uniform(-10, 10), 250
    c.shadow((cx - 140, cy - 6, cx + 140, cy + 26))
    for i, (dx, dy) in enumerate(((-70, 0), (50, 4), (-10, -46))):
        tone = _mix(color, "#f2e6cf", 0.15 * i) if color != "#4a3b22" else color
        c.rect((cx + dx - 55, cy + dy - 30, cx + dx + 55, cy + dy + 10), fill=_darker(tone, 0.2), radius=10)
        c.rect((cx + dx - 55, cy + dy - 40, cx + dx + 55, cy + dy - 2), fill=tone, radius=10)
        _star(c, cx + dx, cy + dy - 21, 12, 6, _lighter(tone, 0.25), points=8)
    _sprig(c, 370, 270, "#5f7f3a")


def teapot(c, metal="#c9ccd1"):
    _scene(c)
    rng = c.rng
    cx, bottom = 220 + rng.uniform(-10, 10), 258
    c.shadow((cx - 90, bottom - 10, cx + 110, bottom + 14))
    c.rect((cx - 74, bottom + 2, cx + 214, bottom + 10), fill="#b89c5c", radius=4)
    c.ellipse((cx - 70, 140, cx + 70, bottom), fill=metal)
    c.polygon([(cx + 58, 200), (cx + 120, 128), (cx + 128, 134), (cx + 70, 220)], fill=_darker(metal, 0.1))
    c.line([(cx - 60, 170), (cx - 100, 160), (cx - 102, 220), (cx - 64, 224)], fill=_darker(metal, 0.25), width=8)
    c.polygon([(cx - 40, 146), (cx - 20, 100), (cx + 20, 100), (cx + 40, 146)], fill=_lighter(metal, 0.1))
    c.ellipse((cx - 10, 84, cx + 10, 104), fill=_darker(metal, 0.15))
    c.ellipse((cx - 40, 160, cx - 10, 220), fill=_lighter(metal, 0.45))
    for x in (cx + 140, cx + 190):
        c.polygon([(x - 18, 196), (x + 18, 196), (x + 14, 252), (x - 14, 252)], fill="#c7e2c9")
        c.polygon([(x - 15, 214), (x + 15, 214), (x + 13, 250), (x - 13, 250)], fill="#b57a1f")
        c.line([(x - 18, 220), (x + 18, 220)], fill="#d8b04a", width=3)
        for k in range(3):
            c.ellipse((x - 8 + k * 5, 200, x - 2 + k * 5, 208), fill="#4e8a3a")


def pastries(c, kind="gazelle"):
    _scene(c, table_line=200)
    rng = c.rng
    cx, cy = 240 + rng.uniform(-8, 8), 272
    c.shadow((cx - 190, cy - 10, cx + 190, cy + 50), strength=90)
    c.ellipse((cx - 190, cy - 62, cx + 190, cy + 42), fill="#e4e8ec")
    c.ellipse((cx - 168, cy - 50, cx + 168, cy + 30), fill="#f7f8f9")
    for k in range(14):
        angle = math.radians(k * 360 / 14)
        _star(c, cx + 178 * math.cos(angle), cy - 10 + 46 * math.sin(angle), 7, 3, "#2f6f8f", points=4)
    piece_rng = random.Random(5)  # noqa: S311 (drawing, not secrets)
    rows = [(4, 0), (3, 1), (2, 2)]
    for n, level in rows:
        for col in range(n):
            px = cx + (col - (n - 1) / 2) * 70 + piece_rng.uniform(-4, 4)
            py = cy - 14 - level * 32
            if kind == "gazelle":
                c.pieslice((px - 38, py - 30, px + 38, py + 28), 195, 345, "#f0d9a6")
                c.pieslice((px - 26, py - 14, px + 26, py + 20), 195, 345, "#f7f8f9" if level == 0 else "#f0d9a6")
                c.line([(px - 30, py - 8), (px - 12, py - 24), (px + 12, py - 24), (px + 30, py - 8)],
                       fill="#e2c083", width=2)
            elif kind == "chebakia":
                for petal in range(6):
                    angle = petal * math.pi / 3
                    qx, qy = px + 16 * math.cos(angle), py + 12 * math.sin(angle)
                    c.ellipse((qx - 14, qy - 11, qx + 14, qy + 11), fill=_mix("#8a4a12", "#5a2a08", petal / 8))
                c.ellipse((px - 12, py - 9, px + 12, py + 9), fill="#b9701f")
                for _ in range(12):
                    sx, sy = px + piece_rng.uniform(-24, 24), py + piece_rng.uniform(-16, 16)
                    c.ellipse((sx - 2, sy - 1.3, sx + 2, sy + 1.3), fill="#f4e7c2")
            else:  # ghriba: round cracked biscuits
                c.ellipse((px - 30, py - 22, px + 30, py + 22), fill="#f0dcae")
                c.ellipse((px - 24, py - 17, px + 24, py + 15), fill="#f6e6c2")
                for _ in range(6):
                    sx, sy = px + piece_rng.uniform(-18, 18), py + piece_rng.uniform(-11, 11)
                    c.line([(sx, sy), (sx + piece_rng.uniform(-9, 9), sy + piece_rng.uniform(-6, 6))],
                           fill="#c9a463", width=2)


def box(c, wood="#8a4b22", inlay="#e9c99a"):
    """A marquetry box of thuya wood, the craft of Essaouira."""
    _scene(c)
    rng = c.rng
    cx, bottom = 240 + rng.uniform(-10, 10), 262
    c.shadow((cx - 140, bottom - 12, cx + 140, bottom + 14))
    c.rect((cx - 120, 170, cx + 120, bottom), fill=_darker(wood, 0.1), radius=6)
    c.polygon([(cx - 128, 172), (cx - 100, 120), (cx + 100, 120), (cx + 128, 172)], fill=wood)
    c.rect((cx - 128, 166, cx + 128, 182), fill=_darker(wood, 0.25), radius=3)
    c.polygon([(cx - 84, 166), (cx - 66, 128), (cx + 66, 128), (cx + 84, 166)], fill=_lighter(wood, 0.12))
    _star(c, cx, 147, 26, 12, inlay, points=8)
    _star(c, cx, 147, 10, 5, _darker(wood, 0.2), points=8)
    for x in range(round(cx) - 104, round(cx) + 104, 26):
        c.polygon([(x, 204), (x + 13, 192), (x + 26, 204), (x + 13, 216)], fill=inlay)
    c.line([(cx - 112, 232), (cx + 112, 232)], fill=inlay, width=3)
    c.line([(cx - 112, 240), (cx + 112, 240)], fill=inlay, width=1.5)
    c.rect((cx - 12, 180, cx + 12, 196), fill="#c9ccd1", radius=2)


#: kind → (drawing function, list of colour variants as keyword arguments)
KINDS = {
    "argan_oil": (bottle, [dict(liquid="#d9a21b", cap="#7a4a1f", accent="#1d6b4f"),
                           dict(liquid="#e0b24a", cap="#2b2b2b", accent="#8a5a12")]),
    "olive_oil": (bottle, [dict(liquid="#9aa52a", cap="#3d5a1f", accent="#4e6b1f"),
                           dict(liquid="#b7b23a", cap="#7a4a1f", accent="#1d6b4f")]),
    "rose_water": (bottle, [dict(liquid="#f3b8c8", cap="#c2185b", accent="#a0375a")]),
    "essential_oil": (bottle, [dict(liquid="#8e7cc3", cap="#3b2f63", accent="#5b4a9a"),
                               dict(liquid="#8fbf7f", cap="#2f5f2a", accent="#3d6b2a")]),
    "honey": (jar, [dict(content="#d08a12", lid="#b23a3a", accent="#8a5a12"),
                    dict(content="#e3a826", lid="#2f6f8f", accent="#8a5a12"),
                    dict(content="#9a5a10", lid="#1d6b4f", accent="#5a3a0a")]),
    "amlou": (jar, [dict(content="#8a5528", lid="#d8b04a", accent="#5a3a0a")]),
    "olives": (jar, [dict(content="#c6c27a", lid="#3d5a1f", accent="#3d5a1f", pieces="#5f6b1f"),
                     dict(content="#8a7a6a", lid="#6b2a4a", accent="#3b2a2a", pieces="#2a1f2a")]),
    "capers": (jar, [dict(content="#c9cf9a", lid="#1f4e8c", accent="#3d5a1f", pieces="#6b7a2a")]),
    "couscous": (bowl, [dict(heap="#e9cf7b", dish="#2f6f8f", kind="grains"),
                        dict(heap="#c9a86a", dish="#9c2a2a", kind="grains")]),
    "dates": (bowl, [dict(heap="#6b3a1a", dish="#1d6b4f", kind="dates")]),
    "almonds": (bowl, [dict(heap="#c89a6a", dish="#2f6f8f", kind="almonds")]),
    "cherries": (bowl, [dict(heap="#c63a4a", dish="#f4f1ea", kind="cherries")]),
    "herbs": (bowl, [dict(heap="#6f8f4a", dish="#b4532a", kind="herbs"),
                     dict(heap="#8a7fb0", dish="#2f6f8f", kind="herbs")]),
    "saffron": (bowl, [dict(heap="#c0392b", dish="#f4f1ea", kind="saffron")]),
    "tajine": (tajine, [dict(clay="#b4532a", paint="#f3e3b3"), dict(clay="#2f5f7f", paint="#f4f1ea"),
                        dict(clay="#8a3a2a", paint="#d8b04a")]),
    "vase": (vase, [dict(glaze="#1f4e8c", paint="#f4f1ea"), dict(glaze="#1d6b4f", paint="#f3e3b3"),
                    dict(glaze="#b4532a", paint="#1f2a26")]),
    "carpet": (carpet, [dict(ground="#9c2a2a", motif="#f2e6cf", border="#27364f"),
                        dict(ground="#f2e6cf", motif="#1f2a26", border="#7a4a1f"),
                        dict(ground="#c9602a", motif="#f4f1ea", border="#4a2a4a")]),
    "caftan": (caftan, [dict(fabric="#1f5f5b", trim="#d8b04a"), dict(fabric="#7a1f3d", trim="#e6c76a"),
                        dict(fabric="#27364f", trim="#c9ccd1"), dict(fabric="#e9dcc2", trim="#b58a2a")]),
    "zellige": (zellige, [dict(colors=("#1d6b4f", "#1f4e8c", "#f4f1ea", "#d8b04a")),
                          dict(colors=("#1f4e8c", "#2a2a2a", "#f4f1ea", "#c0392b"))]),
    "babouches": (babouches, [dict(leather="#e2b13c"), dict(leather="#9c2a2a"), dict(leather="#f0e6d2")]),
    "bag": (bag, [dict(leather="#8a4b22"), dict(leather="#5a3a22")]),
    "soap": (soap, [dict(color="#4a3b22"), dict(color="#e9c99a")]),
    "thuya_box": (box, [dict(wood="#8a4b22", inlay="#e9c99a"), dict(wood="#6b3a1f", inlay="#f2e6cf")]),
    "teapot": (teapot, [dict(metal="#c9ccd1")]),
    "gazelle": (pastries, [dict(kind="gazelle")]),
    "chebakia": (pastries, [dict(kind="chebakia")]),
    "ghriba": (pastries, [dict(kind="ghriba")]),
}


@lru_cache(maxsize=512)
def draw(kind, variant=0):
    """JPEG bytes (480×360) of a picture of ``kind``; ``variant`` changes colours and layout."""
    function, palettes = KINDS[kind]
    rng = random.Random(f"{kind}-{variant}")  # noqa: S311 (drawing, not secrets)
    canvas = Canvas(rng)
    function(canvas, **palettes[variant % len(palettes)])
    return canvas.finish()


LOGO_COLORS = ["#1d6b4f", "#1f4e8c", "#9c2a2a", "#b4532a", "#5b4a9a", "#8a5a12", "#27364f", "#3d6b2a"]


@lru_cache(maxsize=128)
def draw_logo(variant=0):
    """A round emblem (an eight-pointed star around a leaf, a rosette or a mountain) in one of a
    few colours: enough to show where an organization's logo goes."""
    rng = random.Random(f"logo-{variant}")  # noqa: S311 (drawing, not secrets)
    color = LOGO_COLORS[variant % len(LOGO_COLORS)]
    canvas = Canvas(rng, LOGO_SIZE, LOGO_SIZE)
    canvas.rect((0, 0, LOGO_SIZE, LOGO_SIZE), fill="#ffffff")
    mid = LOGO_SIZE / 2
    canvas.ellipse((8, 8, LOGO_SIZE - 8, LOGO_SIZE - 8), fill=color)
    canvas.ellipse((20, 20, LOGO_SIZE - 20, LOGO_SIZE - 20), fill="#fbf6ea")
    _star(canvas, mid, mid, 86, 64, color, points=8, rotation=math.pi / 8 * (variant % 2))
    _star(canvas, mid, mid, 60, 44, "#fbf6ea", points=8)
    style = (variant // len(LOGO_COLORS)) % 3
    if style == 0:
        canvas.ellipse((mid - 34, mid - 14, mid + 34, mid + 14), fill=color)
        canvas.line([(mid - 34, mid), (mid + 34, mid)], fill="#fbf6ea", width=3)
    elif style == 1:
        for k in range(6):
            angle = k * math.pi / 3
            canvas.ellipse((mid + 18 * math.cos(angle) - 12, mid + 18 * math.sin(angle) - 12,
                            mid + 18 * math.cos(angle) + 12, mid + 18 * math.sin(angle) + 12), fill=color)
    else:
        canvas.polygon([(mid, mid - 36), (mid + 30, mid + 22), (mid - 30, mid + 22)], fill=color)
        canvas.polygon([(mid, mid - 12), (mid + 14, mid + 14), (mid - 14, mid + 14)], fill="#fbf6ea")
    return canvas.finish()


def variants(kind):
    return len(KINDS[kind][1])
