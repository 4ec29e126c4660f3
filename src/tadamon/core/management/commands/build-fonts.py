"""Build the small web fonts the pages use from the Noto Sans Arabic package.

The packaged variable font weighs 840 KB, too much for a phone on a rural connection. This makes
two static WOFF2 files (regular and bold, Arabic letters only, about 23 KB each) into
``VAR_DIR/assets/fonts``; Latin text uses the phone's own font. PDFs use the full font.

Only the Arabic block and its supplement are kept: the presentation forms (FB50–FEFF) are legacy
code points that typed text does not use (the shaping engine reaches the same glyphs through the
font's layout tables, which are kept), and they weighed a third of each file.
"""

import io
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

ARABIC_RANGES = [(0x0600, 0x06FF), (0x0750, 0x077F)]
EXTRA = [0x20, 0xA0, 0x200C, 0x200D, 0x200E, 0x200F, 0x2E, 0x2C, 0x3A, 0x28, 0x29]


class Command(BaseCommand):
    help = "Build the Arabic web fonts (WOFF2 subsets) into VAR_DIR/assets/fonts."

    def handle(self, *args, **options):
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from fontTools.varLib import instancer

        source = settings.ARABIC_FONT_FILE
        target_dir = settings.ASSETS_DIR / "fonts"
        target_dir.mkdir(parents=True, exist_ok=True)
        unicodes = [c for start, end in ARABIC_RANGES for c in range(start, end + 1)] + EXTRA
        newest_input = max(source.stat().st_mtime, Path(__file__).stat().st_mtime)  # the font or these ranges
        for weight in (400, 700):
            target = target_dir / f"noto-sans-arabic-{weight}.woff2"
            if target.exists() and target.stat().st_mtime >= newest_input:
                continue
            font = instancer.instantiateVariableFont(TTFont(source), {"wdth": 100, "wght": weight})
            buffer = io.BytesIO()
            font.save(buffer)
            buffer.seek(0)
            font = TTFont(buffer)
            options = subset.Options()
            options.flavor = "woff2"
            options.layout_features = ["*"]
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=unicodes)
            subsetter.subset(font)
            font.flavor = "woff2"
            font.save(target)
            self.stdout.write(f"{target.name}: {target.stat().st_size // 1024} KB")
        self.stdout.write("fonts ready")
