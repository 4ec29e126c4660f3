"""PDF documents (letters, badges, certificates) from HTML templates with WeasyPrint.

Pango shapes Arabic correctly when it has an Arabic font: the packaged Noto Sans Arabic is given
to WeasyPrint through @font-face, so PDFs look the same on every machine.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language_bidi


def font_face_css():
    url = settings.ARABIC_FONT_FILE.resolve().as_uri()
    return (
        f"@font-face {{ font-family: 'Noto Sans Arabic'; src: url('{url}'); font-weight: 100 900; }}\n"
        "body { font-family: 'Noto Sans Arabic', 'DejaVu Sans', sans-serif; }\n"
    )


def render_pdf(template_name, context, *, base_url=None):
    """Render ``template_name`` (an HTML page) to PDF bytes in the active language and direction."""
    from weasyprint import CSS, HTML

    context = {"LANGUAGE_DIR": "rtl" if get_language_bidi() else "ltr", **context}
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=base_url or str(settings.MEDIA_ROOT))
    return document.write_pdf(stylesheets=[CSS(string=font_face_css())])
