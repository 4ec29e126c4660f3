"""PDF documents (letters, badges, certificates) from HTML templates with WeasyPrint.

Pango shapes Arabic when it has an Arabic font. DejaVu Sans comes first: its Arabic letters have
one glyph per letter and form, so the text of the PDF can be searched, copied and read aloud (Noto
Sans Arabic draws the dots of ب ت ث ن ي as separate marks on a shared glyph, and text taken out
of such a PDF comes out wrong). The packaged Noto Sans Arabic, given to WeasyPrint through
@font-face, is the fallback on a machine without DejaVu, so Arabic is always shaped.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language_bidi


def font_face_css():
    url = settings.ARABIC_FONT_FILE.resolve().as_uri()
    return (
        f"@font-face {{ font-family: 'Noto Sans Arabic'; src: url('{url}'); }}\n"
        "body { font-family: 'DejaVu Sans', 'Noto Sans Arabic', sans-serif; }\n"
    )


def stylesheets(font_config):
    """The house stylesheet of every PDF; WeasyPrint needs the same ``font_config`` to render with
    it, or the @font-face rule is silently ignored."""
    from weasyprint import CSS

    return [CSS(string=font_face_css(), font_config=font_config)]


def render_pdf(template_name, context, *, base_url=None):
    """Render ``template_name`` (an HTML page) to PDF bytes in the active language and direction."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    context = {"LANGUAGE_DIR": "rtl" if get_language_bidi() else "ltr", **context}
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=base_url or str(settings.MEDIA_ROOT))
    font_config = FontConfiguration()
    return document.write_pdf(stylesheets=stylesheets(font_config), font_config=font_config)
