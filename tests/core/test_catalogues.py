"""The Arabic and French catalogues are complete and compiled by the set-up."""

from pathlib import Path

import polib
import pytest

import tadamon

LOCALE = Path(tadamon.__file__).parent / "locale"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_catalogue_complete(lang):
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{lang}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{lang}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_catalogue_compiled_and_current(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), "run `tadamon compile-catalogues` (make does it)"
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo)) if e.msgid}
    source = {e.msgid: e.msgstr for e in polib.pofile(str(po)) if not e.msgid_plural and e.msgid}
    assert {k: v for k, v in source.items() if compiled.get(k) != v} == {}
