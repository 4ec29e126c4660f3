"""Charts drawn on the server with matplotlib: SVG for pages, PNG for PDFs.

Matplotlib (3.11 and later) lays text out with complex shaping and the bidirectional algorithm: Arabic
labels are given as they are stored (logical order) and come out joined and right to left, in DejaVu
Sans (shipped with matplotlib). Reshaping them beforehand (arabic-reshaper, python-bidi) would shape
them twice and print them backwards. SVG text is drawn as paths, so a browser does not lay it out again.
tests/insights checks that Arabic letters really join.
"""

import io
import re

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

GREEN, GOLD, INK = "#1d6b4f", "#f4c95d", "#1f2a26"
FONT = {"family": "DejaVu Sans", "size": 9}


def _figure(rows):
    figure = Figure(figsize=(4.4, max(1.6, 0.3 * rows + 0.9)), dpi=110)
    figure.patch.set_facecolor("white")
    return figure


def bars(labels, values, title="", rtl=False, color=GREEN, number_format="{:,.0f}"):
    """A horizontal bar chart, largest first, the values written at the bars' ends."""
    pairs = list(zip(labels, values, strict=True))
    figure = _figure(len(pairs))
    axes = figure.add_subplot()
    ys = list(range(len(pairs)))[::-1]
    numbers = [float(v or 0) for _label, v in pairs]
    axes.barh(ys, numbers, color=color, height=0.65)
    axes.set_yticks(ys, [str(label) for label, _v in pairs], fontdict=FONT)
    top = max(numbers or [0]) or 1
    for y, value in zip(ys, numbers, strict=True):
        axes.text(value + top * 0.01, y, number_format.format(value), va="center", ha="right" if rtl else "left",
                  fontsize=8, color=INK)
    axes.set_xlim(0, top * 1.18)
    if rtl:
        axes.invert_xaxis()
        axes.yaxis.tick_right()
    _finish(figure, axes, title)
    return figure


def columns(labels, values, title="", rtl=False, color=GREEN):
    """A column chart in time order (days, years): right to left when the page is."""
    labels, values = list(labels), [float(v or 0) for v in values]
    figure = Figure(figsize=(4.4, 2.6), dpi=110)
    axes = figure.add_subplot()
    xs = list(range(len(labels)))
    axes.bar(xs, values, color=color, width=0.7)
    axes.set_xticks(xs, [str(label) for label in labels], fontdict={**FONT, "size": 8},
                    rotation=45 if len(labels) > 8 else 0)
    if rtl:
        axes.invert_xaxis()
        axes.yaxis.tick_right()
    _finish(figure, axes, title)
    return figure


def _finish(figure, axes, title):
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="both", labelsize=8, colors=INK)
    if title:
        axes.set_title(str(title), fontdict={**FONT, "size": 11, "weight": "bold"}, color=INK)
    figure.tight_layout()


#: CSS properties that matplotlib writes in ``style`` and that SVG also takes as attributes.
PRESENTATION = {"fill", "fill-opacity", "opacity", "stroke", "stroke-dasharray", "stroke-dashoffset",
                "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width",
                "font-family", "font-size", "font-style", "font-weight", "text-anchor"}
_STYLE = re.compile(r' style="([^"]*)"')
_SHEET = re.compile(r"<style[^>]*>.*?</style>", re.S)


def _as_attributes(match):
    declarations = (item.split(":", 1) for item in match.group(1).split(";") if ":" in item)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations
                   if name.strip() in PRESENTATION)


def svg(figure):
    """The chart as an inline SVG element (no XML prologue), drawn with presentation attributes
    only: the pages' Content-Security-Policy allows no ``style`` attribute or element."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    text = _SHEET.sub("", text[text.find("<svg"):])
    text = text.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return _STYLE.sub(_as_attributes, text)


def png(figure, dpi=150):
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def png_data_uri(figure):
    import base64

    return "data:image/png;base64," + base64.b64encode(png(figure)).decode()
