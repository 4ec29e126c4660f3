"""Arabic- and French-aware text normalization: the one function every search goes through.

``normalize("إِنْتَاجُ زَيْتِ الأرْكَانِ")`` and ``normalize("انتاج زيت الاركان")`` give the same text,
and so do ``normalize("Coopérative ÉLAN")`` and ``normalize("cooperative elan")``.
"""

import re
import unicodedata

# Tashkeel (harakat, tanween, shadda, sukun), Quranic marks and the superscript alef, plus tatweel.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTER_MAP = str.maketrans(
    {
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u0624": "\u0648",  # ؤ -> و
        "\u0626": "\u064a",  # ئ -> ي
        "\u06cc": "\u064a",  # Persian yeh -> ي
        "\u06a9": "\u0643",  # Persian kaf -> ك
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern Arabic-Indic digits
    }
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def _strip_latin_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) or "\u0600" <= ch <= "\u06ff")


def normalize(text):
    """Normalize text for searching and comparing.

    - strips Arabic diacritics (tashkeel) and tatweel;
    - unifies أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي;
    - turns Arabic-Indic and Eastern Arabic-Indic digits into 0–9;
    - lowercases and strips accents from Latin letters (é → e, ç → c, œ → oe);
    - turns punctuation into spaces and collapses white space.

    It is idempotent: ``normalize(normalize(t)) == normalize(t)``.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = _ARABIC_MARKS.sub("", text)
    text = text.translate(_LETTER_MAP)
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae").replace("ß", "ss")
    text = _strip_latin_accents(text).lower()
    text = _ARABIC_MARKS.sub("", text)  # NFKD may expose marks again
    text = text.replace("_", " ")
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def tokens(text):
    """The normalized words of ``text``."""
    return [t for t in normalize(text).split(" ") if t]


def deletions(word):
    """Every word made by deleting one letter: the key to finding words one typo away."""
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def within_one_edit(a, b):
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or swap
    of two neighbouring letters."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    return any(a == b[:i] + b[i + 1:] for i in range(len(b)))


def posted_text(request, name, error):
    """A free text read from a POST outside a form. Like a form's text field, it refuses a NUL
    character (PostgreSQL cannot store one): ``error`` (the app's own error class) is raised with
    Django's translated message, before anything is written."""
    from django.core.validators import ProhibitNullCharactersValidator

    value = request.POST.get(name, "")
    if "\x00" in value:
        raise error(str(ProhibitNullCharactersValidator.message))
    return value
