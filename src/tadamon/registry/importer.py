"""Import of organizations from a spreadsheet (XLSX) or a CSV file.

The file format is a contract shared with the regional teams and with ODCO exports:

    name_ar, name_fr, legal_form, registration_number, province_code, sector, created_on,
    members_total, members_women, members_youth, women_led, leader_name, phone, email,
    description_ar, description_fr

Columns are found by their header (case and spaces do not matter, extra columns are ignored) or,
when the first row is not a header, by position in this order. CSV files may be UTF-8 (with or
without BOM) or Windows-1256 (Arabic Windows), separated by commas or semicolons.

A row whose (legal form, registration number) is already in the registry updates that
organization; a row without a registration number updates the organization of the same legal
form, province and Arabic name, if any. Empty cells never erase what the registry holds.

:func:`run_import` validates every row (in the language of the person who asked, so the report
reads in their language), then writes in batches with ``bulk_create``/``bulk_update``. Bulk
operations bypass ``save()`` and signals, so the importer fills the search columns itself
(:meth:`Organization.refresh_search`) and records the words for typo-tolerant search
(:func:`tadamon.registry.search.index_terms`). One activity log entry describes the whole import.
"""

import codecs
import csv
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator, MinValueValidator, validate_email
from django.db import IntegrityError, transaction
from django.forms import DateField, Field, IntegerField
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from tadamon.core.text import normalize

logger = logging.getLogger(__name__)

#: The contract: column names, in the order used when the file has no header row.
COLUMNS = [
    "name_ar", "name_fr", "legal_form", "registration_number", "province_code", "sector", "created_on",
    "members_total", "members_women", "members_youth", "women_led", "leader_name", "phone", "email",
    "description_ar", "description_fr",
]
REQUIRED_COLUMNS = ["name_ar", "legal_form", "province_code", "sector"]
#: Other spellings of column names that people put in headers.
COLUMN_ALIASES = {
    "province": "province_code", "code_province": "province_code", "e_mail": "email", "mail": "email",
    "courriel": "email", "telephone": "phone", "tel": "phone", "date_creation": "created_on",
    "numero": "registration_number", "registration": "registration_number",
}

MAX_FILE_SIZE = 20 * 1024 * 1024
BATCH_SIZE = 1000
PROGRESS_EVERY = 500

#: Maximum lengths, from the model.
MAX_LENGTHS = {"name_ar": 200, "name_fr": 200, "registration_number": 40, "leader_name": 150, "phone": 20,
               "email": 254}
MAX_MEMBERS = 10_000_000

#: Accepted words for each legal form (compared after normalization).
LEGAL_FORM_WORDS = {
    "cooperative": ["cooperative", "coopérative", "coop", "تعاونية"],
    "association": ["association", "جمعية"],
    "mutual": ["mutual", "mutuelle", "تعاضدية"],
    "social_enterprise": ["social_enterprise", "social enterprise", "entreprise sociale", "مقاولة اجتماعية"],
}
TRUE_WORDS = {normalize(w) for w in ["1", "yes", "oui", "نعم", "true", "vrai", "y", "o"]}
FALSE_WORDS = {normalize(w) for w in ["0", "no", "non", "لا", "false", "faux", "n"]}
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                         **{chr(0x06F0 + i): str(i) for i in range(10)}})
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{6,20}$")
_PROVINCE_AS_NUMBER = re.compile(r"^(\d{1,2})[.,](\d{1,3})$")
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$")
#: Characters that make a spreadsheet cell a formula; exports prefix them with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

STATUS_CREATED, STATUS_UPDATED, STATUS_UNCHANGED, STATUS_REJECTED = "created", "updated", "unchanged", "rejected"
VALID_ROWS, ALL_OR_NOTHING = "valid_rows", "all_or_nothing"


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


# ---- reading ----------------------------------------------------------------------------------

def _header_key(value):
    key = re.sub(r"[\s\-]+", "_", str(value or "").replace("\ufeff", "").strip().lower()).strip("_")
    return COLUMN_ALIASES.get(key, key)


class Rows:
    """The data rows of a file: iterate for ``(row number, {column: raw value})``.

    ``total`` is the number of data rows announced by the file (an estimate for CSV; empty rows
    are skipped while iterating). Row numbers are those the user sees in the spreadsheet.
    """

    def __init__(self, rows, first_row_number, positions, total, kind, has_header, closer=None):
        self._rows = rows
        self._first = first_row_number
        self.positions = positions  # [(column, index)]
        self.total = total
        self.kind = kind
        self.has_header = has_header
        self._closer = closer

    def _numbered(self):
        if self._first is None:  # the rows carry their own numbers
            return self._rows
        return enumerate(self._rows, start=self._first)

    def __iter__(self):
        positions = self.positions
        try:
            for number, values in self._numbered():
                if not values:
                    continue
                width = len(values)
                data = {}
                empty = True
                for column, index in positions:
                    value = values[index] if index < width else None
                    if value is not None and value != "":
                        if isinstance(value, str):
                            value = value.strip()
                            if not value:
                                continue
                        data[column] = value
                        empty = False
                if not empty:
                    yield number, data
        finally:
            self.close()

    def close(self):
        if self._closer is not None:
            self._closer()
            self._closer = None


def _as_binary(file):
    """A seekable binary file object for a path, bytes or an (uploaded) file."""
    if isinstance(file, (bytes, bytearray)):
        return io.BytesIO(file), None
    if isinstance(file, str) or hasattr(file, "__fspath__"):
        handle = open(file, "rb")  # noqa: SIM115 (closed by the caller)
        return handle, handle.close
    closer = None
    if hasattr(file, "open") and getattr(file, "closed", False):
        file.open("rb")  # a stored file (ImportJob.file): close it when done
        closer = file.close
    if hasattr(file, "seek"):
        file.seek(0)
    return file, closer


def read_rows(file, filename=""):
    """Open ``file`` (a path, bytes or a binary file object) and return its :class:`Rows`.

    XLSX is recognized by its content (a zip archive), anything else is read as CSV. Raises
    :class:`ImportFileError` for empty or unreadable files.
    """
    handle, closer = _as_binary(file)
    try:
        head = handle.read(8)
        handle.seek(0)
        if not head:
            raise ImportFileError(gettext_lazy("The file is empty."))
        if head.startswith(b"PK\x03\x04"):
            return _read_xlsx(handle, closer)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFileError(gettext_lazy(
                "Old Excel files (.xls) cannot be read: open the file in Excel or LibreOffice and save it as "
                ".xlsx or CSV."))
        if filename.lower().endswith(".xlsx"):
            raise ImportFileError(gettext_lazy("This file is not a valid Excel workbook (.xlsx)."))
        raw = handle.read(MAX_FILE_SIZE + 1)
    except BaseException:
        if closer:
            closer()
        raise
    if closer:
        closer()
    if len(raw) > MAX_FILE_SIZE:
        raise ImportFileError(gettext_lazy("The file is larger than 20 MB: split it into smaller files."))
    return _read_csv(raw)


def _read_xlsx(handle, closer):
    try:
        book = _XlsxBook(handle)
        rows = book.rows()
        first_number, first = _first_non_empty_numbered(rows)
    except ImportFileError:
        if closer:
            closer()
        raise
    except Exception:  # a zip without a workbook, a damaged file…
        if closer:
            closer()
        raise ImportFileError(gettext_lazy("This file is not a valid Excel workbook (.xlsx)."))

    def close():
        book.close()
        if closer:
            closer()

    if first is None:
        close()
        raise ImportFileError(gettext_lazy("The file is empty."))
    try:
        positions, has_header = _positions(first[1])
    except ImportFileError:
        close()
        raise
    total = max(0, book.last_row - first_number + (0 if has_header else 1))
    if not has_header:
        rows = _chain([first], rows)
    return Rows(rows, None, positions, total, "xlsx", has_header, close)


def _first_non_empty_numbered(rows):
    for number, values in rows:
        if values and any(v is not None and str(v).strip() for v in values):
            return number, (number, values)
    return 0, None


class _XlsxBook:
    """A small, fast reader of the first sheet of an XLSX file: values only, dates as dates.

    openpyxl builds an object per cell even in read-only mode; a 64,000-row file reads about three
    times faster with ElementTree's ``iterparse`` on the sheet XML directly.

    The XML comes from users: ElementTree never fetches external entities, and the expat it uses
    (2.4 or later) refuses entity-expansion bombs; the sizes of the parts are checked before reading
    so that a small zip cannot unpack into gigabytes of memory.
    """

    MAIN_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                       "http://purl.oclc.org/ooxml/spreadsheetml/main")
    MAX_XML_SIZE = 512 * 1024 * 1024  # refuses "zip bombs" (the sheet is streamed)
    MAX_STRINGS_SIZE = 256 * 1024 * 1024  # the shared strings are held in memory

    def __init__(self, handle):
        import zipfile

        self.archive = zipfile.ZipFile(handle)
        names = set(self.archive.namelist())
        workbook_xml = self._read("xl/workbook.xml")
        self.ns = next((n for n in self.MAIN_NAMESPACES if n.encode() in workbook_xml), self.MAIN_NAMESPACES[0])
        self.date1904 = re.search(rb"date1904=\"(1|true)\"", workbook_xml) is not None
        targets = self._relationships("xl/_rels/workbook.xml.rels")
        sheet_ids = re.findall(rb"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"", workbook_xml)
        self.sheet_path = targets.get(sheet_ids[0].decode()) if sheet_ids else None
        if self.sheet_path is None or self.sheet_path not in names:
            self.sheet_path = "xl/worksheets/sheet1.xml"
        by_type = {t.rsplit("/", 1)[-1]: path for t, path in self._relationship_types("xl/_rels/workbook.xml.rels")}
        self.shared = self._shared_strings(by_type.get("sharedStrings"))
        self.date_styles = self._date_styles(by_type.get("styles"))
        info = self.archive.getinfo(self.sheet_path)
        if info.file_size > self.MAX_XML_SIZE:
            raise ImportFileError(gettext_lazy("The file is larger than 20 MB: split it into smaller files."))
        self.last_row = self._last_row()

    def close(self):
        self.archive.close()

    def _read(self, name):
        info = self.archive.getinfo(name)
        if info.file_size > self.MAX_XML_SIZE:
            raise ImportFileError(gettext_lazy("The file is larger than 20 MB: split it into smaller files."))
        return self.archive.read(name)

    def _relationship_entries(self, name):
        try:
            xml = self._read(name)
        except KeyError:
            return []
        entries = []
        for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", xml):
            attrs = dict(re.findall(rb"(\w+)=\"([^\"]*)\"", tag))
            target = attrs.get(b"Target", b"").decode()
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            entries.append((attrs.get(b"Id", b"").decode(), attrs.get(b"Type", b"").decode(), target))
        return entries

    def _relationships(self, name):
        return {rid: target for rid, _type, target in self._relationship_entries(name)}

    def _relationship_types(self, name):
        return [(kind, target) for _rid, kind, target in self._relationship_entries(name)]

    def _tag(self, name):
        return "{%s}%s" % (self.ns, name)  # noqa: UP031

    def _shared_strings(self, path):
        from xml.etree.ElementTree import iterparse

        if not path or path not in self.archive.namelist():
            return []
        if self.archive.getinfo(path).file_size > self.MAX_STRINGS_SIZE:
            raise ImportFileError(gettext_lazy("The file is larger than 20 MB: split it into smaller files."))
        si, t, rph = self._tag("si"), self._tag("t"), self._tag("rPh")
        strings = []
        with self.archive.open(path) as source:
            for _event, element in iterparse(source):  # noqa: S314 (see _XlsxBook)
                if element.tag == si:
                    phonetic = {id(x) for r in element.iter(rph) for x in r.iter(t)}
                    strings.append("".join(x.text or "" for x in element.iter(t) if id(x) not in phonetic))
                    element.clear()
        return strings

    def _date_styles(self, path):
        from xml.etree.ElementTree import fromstring

        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        if not path or path not in self.archive.namelist():
            return set()
        root = fromstring(self._read(path))  # noqa: S314 (see _XlsxBook)
        custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iter(self._tag("numFmt"))}
        cell_xfs = root.find(self._tag("cellXfs"))
        dates = set()
        if cell_xfs is not None:
            for index, xf in enumerate(cell_xfs.findall(self._tag("xf"))):
                fmt_id = int(xf.get("numFmtId", 0))
                fmt = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
                if fmt and is_date_format(fmt):
                    dates.add(index)
        return dates

    def _last_row(self):
        with self.archive.open(self.sheet_path) as source:
            head = source.read(8192)
        match = re.search(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"[A-Z]*\d*:?[A-Z]+(\d+)\"", head)
        if match:
            return int(match.group(1))
        count, tail = 0, b""
        with self.archive.open(self.sheet_path) as source:
            while chunk := source.read(1 << 22):
                data = tail + chunk
                count += len(re.findall(rb"<(?:\w+:)?row[ >]", data))
                tail = data[-8:]
                count -= len(re.findall(rb"<(?:\w+:)?row[ >]", tail))
        return count

    def rows(self):
        """(row number, [values]) for each row of the sheet, in order."""
        from xml.etree.ElementTree import iterparse

        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

        epoch = CALENDAR_MAC_1904 if self.date1904 else CALENDAR_WINDOWS_1900
        row_tag, c_tag, v_tag, t_tag = self._tag("row"), self._tag("c"), self._tag("v"), self._tag("t")
        shared, date_styles = self.shared, self.date_styles
        column_index = _column_index
        indexes = {}
        counter = 0
        with self.archive.open(self.sheet_path) as source:
            for _event, element in iterparse(source):  # noqa: S314 (see _XlsxBook)
                if element.tag != row_tag:
                    continue
                number = element.get("r")
                counter = int(number) if number else counter + 1
                values = []
                for cell in element.iter(c_tag):
                    ref = cell.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        index = indexes.get(letters)
                        if index is None:
                            index = indexes[letters] = column_index(letters)
                        if index > len(values):
                            values.extend([None] * (index - len(values)))
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        value = "".join(x.text or "" for x in cell.iter(t_tag))
                    else:
                        v = cell.find(v_tag)
                        text = v.text if v is not None else None
                        if text is None:
                            value = None
                        elif kind == "s":
                            value = shared[int(text)]
                        elif kind in ("str", "e", "d"):
                            value = text
                        elif kind == "b":
                            value = text in ("1", "true")
                        else:
                            try:
                                value = float(text)
                            except ValueError:
                                value = text
                            else:
                                style = cell.get("s")
                                if style and int(style) in date_styles:
                                    value = from_excel(value, epoch)
                                elif value.is_integer() and "E" not in text and "e" not in text:
                                    value = int(value)
                    values.append(value)
                element.clear()
                yield counter, values


def _column_index(ref):
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def _chain(first, rest):
    yield from first
    yield from rest


def _first_non_empty(rows):
    for number, values in enumerate(rows, start=1):
        if values and any(v is not None and str(v).strip() for v in values):
            return number, values
    return 0, None


def decode(raw):
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1256."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        raise ImportFileError(gettext_lazy(
            "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1256", errors="replace")


def _delimiter(text):
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(raw):
    text = decode(raw)
    if not text.strip():
        raise ImportFileError(gettext_lazy("The file is empty."))
    if "\x00" in text:
        raise ImportFileError(gettext_lazy(
            "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        first_number, first = _first_non_empty(reader)
    except csv.Error:
        raise ImportFileError(gettext_lazy("This CSV file cannot be read: check its quotes and separators."))
    if first is None:
        raise ImportFileError(gettext_lazy("The file is empty."))
    positions, has_header = _positions(first)
    total = max(0, text.count("\n") + (0 if text.endswith("\n") else 1) - first_number + (0 if has_header else 1))

    def rows():
        if not has_header:
            yield first
        try:
            yield from reader
        except csv.Error as exc:
            raise ImportFileError(gettext_lazy("This CSV file cannot be read: check its quotes and separators.")) \
                from exc

    return Rows(rows(), first_number + (1 if has_header else 0), positions, total, "csv", has_header)


def _positions(first_row):
    """(column, index) pairs from a header row, or by contract position when it is not a header."""
    keys = [_header_key(v) for v in first_row]
    found = {}
    for index, key in enumerate(keys):
        if key in COLUMNS and key not in found:
            found[key] = index
    if len(found) >= 3:
        missing = [c for c in REQUIRED_COLUMNS if c not in found]
        if missing:
            raise ImportFileError(gettext_lazy("These required columns are missing: %(columns)s.")
                                  % {"columns": ", ".join(missing)})
        return sorted(found.items(), key=lambda kv: kv[1]), True
    filled = [v for v in first_row if v is not None and str(v).strip()]
    if len(first_row) < COLUMNS.index("sector") + 1 or len(filled) < 3:
        raise ImportFileError(gettext_lazy(
            "No columns were recognized. The first row should name the columns: %(columns)s.")
            % {"columns": ", ".join(COLUMNS)})
    return [(c, i) for i, c in enumerate(COLUMNS)], False


# ---- validation -------------------------------------------------------------------------------

def _text(value):
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, the quote that exports
    put before formula characters removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


def _message(column, message):
    return _("%(column)s: %(message)s") % {"column": column, "message": message}


class RowValidator:
    """Validates rows against the registry's reference data (provinces, sectors, legal forms).

    Build one per import: it loads the reference tables once and caches lookups.
    """

    def __init__(self, region=None):
        from tadamon.core.models import Province

        from .models import Sector

        self.region = region
        self.region_id = getattr(region, "pk", region)
        with scopes_disabled():
            self.provinces = {p.code: p for p in Province.objects.select_related("region")}
            sectors = list(Sector.objects.all())
        self.sectors = {}
        for sector in sectors:
            for name in (sector.name_en, sector.name_fr, sector.name_ar, sector.key):
                if name:
                    self.sectors[normalize(name)] = sector
        self.legal_forms = {}
        for key, words in LEGAL_FORM_WORDS.items():
            for word in words:
                self.legal_forms[normalize(word)] = key
            self.legal_forms[key] = key
        for sector in sectors:
            self.sectors[sector.key] = sector
        self.today = timezone.localdate()

    # Each cleaner returns the clean value or raises ValidationError with a translated message.

    def legal_form(self, value):
        key = self.legal_forms.get(value) or self.legal_forms.get(normalize(value))
        if key is None:
            raise ValidationError(_("Unknown legal form “%(value)s”: write cooperative, association, mutual or "
                                    "social enterprise (in Arabic, French or English).") % {"value": value})
        return key

    def province(self, value):
        code = value
        match = _PROVINCE_AS_NUMBER.match(value)
        if match:  # 03.131 that a spreadsheet turned into the number 3.131
            code = f"{int(match.group(1)):02d}.{match.group(2).ljust(3, '0')}"
        province = self.provinces.get(code)
        if province is None:
            raise ValidationError(_("Unknown province code “%(value)s”: use the official code, such as 03.131.")
                                  % {"value": value})
        if self.region_id is not None and province.region_id != self.region_id:
            raise ValidationError(_("The province %(province)s is in another region (%(region)s): this import is "
                                    "limited to %(own)s.") % {
                "province": province.name, "region": province.region.name, "own": self._region_name()})
        return province

    def _region_name(self):
        if self.region is not None and hasattr(self.region, "name"):
            return self.region.name
        province = next((p for p in self.provinces.values() if p.region_id == self.region_id), None)
        return province.region.name if province else str(self.region_id)

    def sector(self, value):
        sector = self.sectors.get(value) or self.sectors.get(normalize(value))
        if sector is None:
            raise ValidationError(_("Unknown sector “%(value)s”.") % {"value": value})
        return sector

    def date(self, raw):
        if isinstance(raw, datetime):
            value = raw.date()
        elif isinstance(raw, date):
            value = raw
        else:
            value = None
            text = _text(raw)
            if isinstance(raw, (int, float)) or text.isdigit():
                number = float(text) if text.replace(".", "", 1).isdigit() else -1
                if 10000 <= number < 100000:  # a date serial number from Excel
                    from openpyxl.utils.datetime import from_excel

                    value = from_excel(number).date()
            else:
                iso, dmy = _ISO_DATE.match(text), _DMY_DATE.match(text)
                try:
                    if iso:
                        value = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
                    elif dmy:
                        value = date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1)))
                except ValueError:
                    value = None
            if value is None:
                raise ValidationError(
                    "%s %s" % (DateField.default_error_messages["invalid"],  # noqa: UP031
                               _("Write it as YYYY-MM-DD or DD/MM/YYYY.")))
        if value > self.today:
            raise ValidationError(_("The date of creation cannot be in the future."))
        if value.year < 1900:
            raise ValidationError(_("The date of creation is too old to be right."))
        return value

    def number(self, raw):
        if isinstance(raw, bool):
            raise ValidationError(IntegerField.default_error_messages["invalid"])
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        else:
            text = re.sub(r"[\s\u202f\u00a0]", "", _text(raw).translate(_DIGITS))
            try:
                value = int(float(text)) if re.fullmatch(r"-?\d+(\.0+)?", text) else None
            except ValueError:
                value = None
            if value is None:
                raise ValidationError(IntegerField.default_error_messages["invalid"])
        if value < 0:
            raise ValidationError(MinValueValidator.message % {"limit_value": 0})
        if value > MAX_MEMBERS:
            raise ValidationError(_("This number is too large."))
        return value

    def boolean(self, raw):
        if isinstance(raw, bool):
            return raw
        if raw in (1, "1"):
            return True
        if raw in (0, "0"):
            return False
        word = normalize(_text(raw))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(_("Write yes or no (1/0, oui/non, نعم/لا), not “%(value)s”.") % {"value": raw})

    def phone(self, raw):
        value = _text(raw)
        if isinstance(raw, (int, float)) and len(value) == 9:
            value = "0" + value  # a spreadsheet dropped the leading zero of a Moroccan number
        if not _PHONE.match(value):
            raise ValidationError(_("Enter a valid phone number, such as 0612345678 or +212612345678."))
        return value

    def email(self, raw):
        value = _text(raw)
        try:
            if len(value) > MAX_LENGTHS["email"]:
                raise ValidationError("too long")
            validate_email(value)
        except ValidationError:
            raise ValidationError(EmailValidator.message)
        return value

    #: (column, cleaner method, field of the cleaned data) for the cells that are not plain text.
    CHECKS = [
        ("legal_form", "legal_form", "legal_form"), ("province_code", "province", "province"),
        ("sector", "sector", "sector"), ("created_on", "date", "created_on"),
        ("members_total", "number", "members_total"), ("members_women", "number", "members_women"),
        ("members_youth", "number", "members_youth"), ("women_led", "boolean", "women_led"),
        ("phone", "phone", "phone"), ("email", "email", "email"),
    ]
    TEXT_COLUMNS = ["name_ar", "name_fr", "leader_name", "description_ar", "description_fr", "registration_number"]

    def validate(self, data):
        """``(cleaned, [])`` for a good row, ``(None, [messages])`` for a bad one.

        ``cleaned`` holds model field values, only for the cells that were filled (plus the
        required ones and the registration number, "" when empty).
        """
        errors = []
        cleaned = {}
        get = data.get
        for column in self.TEXT_COLUMNS:
            raw = get(column)
            if raw is None:
                continue
            value = raw if type(raw) is str else _text(raw)
            if value[:1] == "'":
                value = _text(value)
            limit = MAX_LENGTHS.get(column)
            if limit and len(value) > limit:
                errors.append(_message(column, MaxLengthValidator.message % {
                    "limit_value": limit, "show_value": len(value)}))
            if value:
                cleaned[column] = value
        if "name_ar" not in cleaned:
            errors.append(_message("name_ar", Field.default_error_messages["required"]))
        number = cleaned.get("registration_number", "")
        cleaned["registration_number"] = " ".join(number.split()) if " " in number else number

        for column, method, target in self.CHECKS:
            raw = get(column)
            if raw is None:
                if column in REQUIRED_COLUMNS:
                    errors.append(_message(column, Field.default_error_messages["required"]))
                continue
            if method in ("legal_form", "province", "sector"):
                raw = _text(raw)
            try:
                cleaned[target] = getattr(self, method)(raw)
            except ValidationError as exc:
                errors.extend(_message(column, str(m)) for m in exc.messages)

        total = cleaned.get("members_total")
        if total is not None:
            if cleaned.get("members_women") is not None and cleaned["members_women"] > total:
                errors.append(_message("members_women", _(
                    "There cannot be more women members (%(part)s) than members (%(total)s).")
                    % {"part": cleaned["members_women"], "total": total}))
            if cleaned.get("members_youth") is not None and cleaned["members_youth"] > total:
                errors.append(_message("members_youth", _(
                    "There cannot be more members under 35 (%(part)s) than members (%(total)s).")
                    % {"part": cleaned["members_youth"], "total": total}))
        if errors:
            return None, errors
        return cleaned, []


def validate_row(data, validator=None, region=None):
    """Validate one row (``{column: raw value}``): ``(cleaned, [])`` or ``(None, [translated errors])``.

    Pass a :class:`RowValidator` when validating many rows, so reference data is loaded once.
    """
    return (validator or RowValidator(region)).validate(data)


# ---- import -------------------------------------------------------------------------------------

#: Organization fields the file fills (model field names).
IMPORTED_FIELDS = [
    "name_ar", "name_fr", "legal_form", "registration_number", "province", "sector", "created_on",
    "members_total", "members_women", "members_youth", "women_led", "leader_name", "phone", "email",
    "description_ar", "description_fr",
]


@dataclass
class ImportParams:
    """What to import and how, when there is no :class:`ImportJob` (the command line)."""

    file: object
    filename: str = ""
    region: object = None
    mode: str = VALID_ROWS
    dry_run: bool = False
    language: str = "en"
    actor: object = "import"
    job: object = None


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    report: list = field(default_factory=list)
    dry_run: bool = False
    mode: str = VALID_ROWS
    rolled_back: bool = False

    @property
    def valid(self):
        return self.created + self.updated + self.unchanged

    @property
    def imported_nothing(self):
        """True when the import brought (or would bring) nothing into the registry."""
        if self.rolled_back or (self.mode == ALL_OR_NOTHING and self.rejected):
            return True
        return self.valid == 0


class _Rollback(Exception):
    pass


def _params_from(source):
    from .models import ImportJob

    if isinstance(source, ImportJob):
        return ImportParams(file=source.file, filename=source.original_name or source.file.name,
                            region=source.region, mode=source.mode, dry_run=source.dry_run,
                            language=source.language or "ar", actor=source.created_by, job=source)
    return source


def _row_key(cleaned):
    if cleaned["registration_number"]:
        return ("number", cleaned["legal_form"], cleaned["registration_number"])
    return ("name", cleaned["legal_form"], cleaned["province"].pk, normalize(cleaned["name_ar"]))


class _Importer:
    def __init__(self, params, progress, write, keep_batches=False):
        self.params = params
        self.progress = progress
        self.write = write
        self.keep_batches = keep_batches
        self.batches = []
        self.result = ImportResult(dry_run=params.dry_run, mode=params.mode)
        self.validator = RowValidator(params.region)
        self.indexed_words = set()
        self.seen = {}

    def run(self):
        rows = read_rows(self.params.file, self.params.filename)
        self.result.total = rows.total
        self._progress(0)
        batch = []
        processed = 0
        for number, data in rows:
            processed += 1
            cleaned, errors = self.validator.validate(data)
            name = _text(data.get("name_ar")) or _text(data.get("name_fr"))
            entry = {"row": number, "status": STATUS_REJECTED, "errors": errors, "name": name[:120]}
            self.result.report.append(entry)
            if errors:
                self.result.rejected += 1
            else:
                key = _row_key(cleaned)
                first = self.seen.get(key)
                if first is not None:
                    if key[0] == "number":
                        message = _("This row repeats row %(row)s (same legal form and registration number).")
                    else:
                        message = _("This row repeats row %(row)s (same legal form, province and name).")
                    entry["errors"] = [message % {"row": first}]
                    self.result.rejected += 1
                else:
                    self.seen[key] = number
                    batch.append((cleaned, entry))
                    if len(batch) >= BATCH_SIZE:
                        self._flush(batch)
                        batch = []
            if processed % PROGRESS_EVERY == 0:
                self._progress(processed)
        self._flush(batch)
        if processed == 0:
            raise ImportFileError(gettext_lazy("The file has column names but no rows of data."))
        self.result.total = processed
        self._progress(processed)
        return self.result

    def _progress(self, processed):
        if self.progress is not None:
            self.progress(processed, max(self.result.total, processed))

    # -- writing a batch --

    def _existing(self, batch):
        from .models import Organization

        numbers = {c["registration_number"] for c, _e in batch if c["registration_number"]}
        names = {c["name_ar"] for c, _e in batch if not c["registration_number"]}
        found = {}
        with scopes_disabled():
            if numbers:
                for org in Organization.objects.filter(registration_number__in=numbers):
                    found[("number", org.legal_form, org.registration_number)] = org
            if names:
                for org in Organization.objects.filter(registration_number="", name_ar__in=names,
                                                       merged_into__isnull=True):
                    found.setdefault(("name", org.legal_form, org.province_id, normalize(org.name_ar)), org)
        return found

    def replay(self):
        """Write the batches kept by a first, checking pass (all-or-nothing imports), without
        reading and validating the file again. Call inside a transaction."""
        self.write = True
        self.result.created = self.result.updated = self.result.unchanged = 0
        batches, self.batches = self.batches, []
        for batch in batches:
            self._flush(batch)
        return self.result

    def _flush(self, batch):
        if not batch:
            return
        if self.keep_batches and not self.write:
            self.batches.append(batch)
        for attempt in (1, 2):
            for _cleaned, entry in batch:
                entry["status"], entry["errors"] = STATUS_REJECTED, []
                entry.pop("id", None)
            try:
                plan = self._plan(batch)
                if self.write:
                    with transaction.atomic():
                        self._save(plan)
                break
            except IntegrityError:
                # Another import created some of these organizations meanwhile: look again, once.
                if attempt == 2:
                    logger.exception("an import batch failed twice")
                    for _cleaned, entry in batch:
                        entry["status"] = STATUS_REJECTED
                        entry["errors"] = [_("This row could not be saved: the same organization was changed at "
                                             "the same time. Import the file again.")]
                        entry.pop("id", None)
                    plan = None
        for _cleaned, entry in batch:
            self._count(entry["status"])
        if plan is not None:
            self._index(plan)

    def _count(self, status):
        if status == STATUS_CREATED:
            self.result.created += 1
        elif status == STATUS_UPDATED:
            self.result.updated += 1
        elif status == STATUS_UNCHANGED:
            self.result.unchanged += 1
        else:
            self.result.rejected += 1

    def _plan(self, batch):
        from .models import Organization

        existing = self._existing(batch)
        now = timezone.now()
        to_create, to_update, update_fields = [], [], set()
        region_id = self.validator.region_id
        for cleaned, entry in batch:
            org = existing.get(_row_key(cleaned))
            province = cleaned["province"]
            if org is None:
                org = Organization(region_id=province.region_id, **{
                    k: v for k, v in cleaned.items() if k in IMPORTED_FIELDS})
                if self.write:
                    org.refresh_search()
                to_create.append((org, entry))
                entry["status"] = STATUS_CREATED
                continue
            problem = None
            if org.merged_into_id:
                problem = _("This organization was merged into another one (number %(id)s): update that one "
                            "instead.") % {"id": org.merged_into_id}
            elif region_id is not None and org.region_id != region_id:
                problem = _("An organization with this registration number is registered in another region.")
            else:
                problem = _members_problem(cleaned, org)
            if problem:
                entry["status"], entry["errors"] = STATUS_REJECTED, [problem]
                continue
            entry["id"] = org.pk
            changed = []
            for name, value in cleaned.items():
                if name not in IMPORTED_FIELDS:
                    continue
                current = getattr(org, f"{name}_id") if name in ("province", "sector") else getattr(org, name)
                new = value.pk if name in ("province", "sector") else value
                if current != new:
                    setattr(org, name, value)
                    changed.append(name)
            if not changed:
                entry["status"] = STATUS_UNCHANGED
                continue
            if "sector" not in changed:
                org.sector = cleaned["sector"]  # the cached object, for refresh_search
            org.region_id = province.region_id
            org.updated_at = now
            if self.write:
                org.refresh_search()
            update_fields.update(changed)
            to_update.append((org, entry))
            entry["status"] = STATUS_UPDATED
        return {"create": to_create, "update": to_update, "fields": update_fields}

    def _save(self, plan):
        from .models import Organization

        with scopes_disabled():
            if plan["create"]:
                objects = [org for org, _entry in plan["create"]]
                Organization.objects.bulk_create(objects, batch_size=BATCH_SIZE)
                for org, entry in plan["create"]:
                    if org.pk:
                        entry["id"] = org.pk
            if plan["update"]:
                fields = sorted(plan["fields"] | {"region", "search_name", "search_body", "updated_at"})
                Organization.objects.bulk_update([org for org, _entry in plan["update"]], fields,
                                                 batch_size=BATCH_SIZE)

    def _index(self, plan):
        """Record new words for typo-tolerant search (what the post_save signal does for one object)."""
        if not self.write:
            return
        from .search import FUZZY_MIN_LENGTH, index_terms

        new = set()
        for org, _entry in plan["create"] + plan["update"]:
            for text in (org.search_name, org.search_body):
                for word in text.split(" "):
                    if len(word) >= FUZZY_MIN_LENGTH and word not in self.indexed_words:
                        new.add(word)
        if new:
            self.indexed_words |= new
            index_terms([" ".join(sorted(new))])


def _members_problem(cleaned, org):
    """The figures of a row may be right alone and wrong with those already in the registry."""
    total = cleaned.get("members_total", org.members_total)
    if total is None:
        return None
    for column, message in (
        ("members_women", _("There cannot be more women members (%(part)s) than members (%(total)s).")),
        ("members_youth", _("There cannot be more members under 35 (%(part)s) than members (%(total)s).")),
    ):
        part = cleaned.get(column, getattr(org, column))
        if part is not None and part > total:
            return _message(column, message % {"part": part, "total": total})
    return None


def run_import(source, progress_callback=None):
    """Import organizations from an :class:`ImportJob` or :class:`ImportParams`.

    ``progress_callback(processed, total)`` is called every few hundred rows. Modes:

    - dry run: everything is checked, nothing is written; the counts say what would happen;
    - "valid rows": good rows are written (batch by batch), bad ones are reported;
    - "all or nothing": the file is checked first (the checked rows are kept in memory); only when
      every row is good is it written, in one transaction. Otherwise nothing is written and the
      counts of created/updated rows are 0.

    Returns an :class:`ImportResult`; raises :class:`ImportFileError` when the file cannot be read.
    Messages are in ``language`` (the language of the person who asked).
    """
    params = _params_from(source)
    with translation.override(params.language), scopes_disabled():
        if params.mode == ALL_OR_NOTHING:
            importer = _Importer(params, progress_callback, write=False, keep_batches=not params.dry_run)
            result = importer.run()
            if result.rejected:
                result.created = result.updated = result.unchanged = 0
                result.rolled_back = not params.dry_run
                if not params.dry_run:
                    _log(params, result)
                return result
            if params.dry_run:
                return result
            try:
                with transaction.atomic():
                    result = importer.replay()
                    if result.rejected:  # the registry changed between the check and the writing
                        raise _Rollback
                    _log(params, result)
            except _Rollback:
                result.created = result.updated = result.unchanged = 0
                result.rolled_back = True
                _log(params, result)
            return result
        result = _Importer(params, progress_callback, write=not params.dry_run).run()
        if not params.dry_run:
            _log(params, result)
        return result


def _log(params, result):
    from tadamon.core import activity

    details = {"file": params.filename, "mode": params.mode, "rows": result.total, "created": result.created,
               "updated": result.updated, "unchanged": result.unchanged, "rejected": result.rejected,
               "region": getattr(params.region, "code", None), "written": not result.rolled_back}
    activity.record(params.actor, "import.finished", params.job, region=params.region, after=details)


# ---- sample files (tests and benchmarks) --------------------------------------------------------

_AR_WORDS = ["الأمل", "النور", "الخير", "الوحدة", "الازدهار", "تيفاوين", "أركان", "الزيتون", "الواحة", "الأطلس",
             "النجاح", "البركة", "الفلاح", "الرحمة", "السلام", "الياسمين", "الورود", "الصفاء", "تودغى", "إيموزار",
             "الفتح", "المستقبل", "الإخلاص", "الوفاء", "الجبل", "النخيل", "السنابل", "الأصالة", "الإبداع", "التضامن"]
_FR_WORDS = ["Al Amal", "Nour", "Al Khair", "Al Wahda", "Izdihar", "Tifaouine", "Argan", "Zitoune", "Oasis",
             "Atlas", "Najah", "Baraka", "Al Fellah", "Rahma", "Salam", "Yasmine", "Roses", "Safaa", "Todgha",
             "Imouzzer", "Al Fath", "Avenir", "Ikhlas", "Wafaa", "Montagne", "Palmiers", "Sanabil", "Assala",
             "Ibdaa", "Tadamon"]
_FORMS = [("cooperative", "تعاونية", "Coopérative"), ("association", "جمعية", "Association"),
          ("mutual", "تعاضدية", "Mutuelle"), ("social_enterprise", "مقاولة اجتماعية", "Entreprise sociale")]
_SECTORS = [("handicrafts", "للصناعة التقليدية", "d'artisanat"), ("terroir", "للمنتوجات المجالية", "de terroir"),
            ("pastries", "للحلويات", "de pâtisserie"), ("agriculture", "الفلاحية", "agricole"),
            ("textile", "للنسيج", "de textile"), ("cosmetics", "لمواد التجميل", "de cosmétiques"),
            ("services", "للخدمات", "de services"), ("other", "", "")]
_LEADERS = ["فاطمة الزهراء", "خديجة", "عائشة", "مريم", "محمد", "يوسف", "حسن", "نادية", "سعيد", "زينب"]
#: Places (communes, douars) that names and descriptions mention, Arabic and French.
_PLACES = [
    ("إيموزار", "Imouzzer"), ("صفرو", "Sefrou"), ("بولمان", "Boulemane"), ("ميسور", "Missour"), ("تاونات", "Taounate"),
    ("غفساي", "Ghafsai"), ("تازة", "Taza"), ("أكنول", "Aknoul"), ("إفران", "Ifrane"), ("أزرو", "Azrou"),
    ("الحاجب", "El Hajeb"), ("أكوراي", "Agourai"), ("مولاي يعقوب", "Moulay Yacoub"), ("سبع رواضي", "Sebaa Rouadi"),
    ("أمزميز", "Amizmiz"), ("أسني", "Asni"), ("تحناوت", "Tahannaout"), ("أيت أورير", "Ait Ourir"),
    ("شيشاوة", "Chichaoua"), ("إمنتانوت", "Imintanoute"), ("الصويرة", "Essaouira"), ("تمنار", "Tamanar"),
    ("أسفي", "Safi"), ("اليوسفية", "Youssoufia"), ("ابن جرير", "Benguerir"), ("قلعة السراغنة", "Kelaat Sraghna"),
    ("تنغير", "Tinghir"), ("زاكورة", "Zagora"), ("ورزازات", "Ouarzazate"), ("الرشيدية", "Errachidia"),
    ("أرفود", "Erfoud"), ("ميدلت", "Midelt"), ("تارودانت", "Taroudant"), ("تافراوت", "Tafraout"),
    ("تيزنيت", "Tiznit"), ("شفشاون", "Chefchaouen"), ("وزان", "Ouezzane"), ("العرائش", "Larache"),
    ("الحسيمة", "Al Hoceima"), ("بركان", "Berkane"), ("فجيج", "Figuig"), ("جرادة", "Jerada"),
    ("الخميسات", "Khemisset"), ("تيفلت", "Tiflet"), ("بني ملال", "Beni Mellal"), ("أزيلال", "Azilal"),
    ("خنيفرة", "Khenifra"), ("الفقيه بن صالح", "Fquih Ben Salah"), ("سطات", "Settat"), ("برشيد", "Berrechid"),
    ("الجديدة", "El Jadida"), ("سيدي بنور", "Sidi Bennour"), ("كلميم", "Guelmim"), ("طانطان", "Tan-Tan"),
    ("السمارة", "Smara"), ("الداخلة", "Dakhla"), ("أوسرد", "Aousserd"), ("بوجدور", "Boujdour"),
    ("آيت باها", "Ait Baha"), ("إغرم", "Igherm"),
]
_ACTIVITIES = [("زيت الأركان", "l'huile d'argan"), ("العسل", "le miel"), ("الكسكس", "le couscous"),
               ("الزربية", "le tapis"), ("الفخار", "la poterie"), ("الزعفران", "le safran"), ("التمور", "les dattes"),
               ("الأعشاب الطبية", "les plantes médicinales"), ("الحلويات التقليدية", "les pâtisseries"),
               ("الخياطة", "la couture"), ("الطرز", "la broderie"), ("الجبن", "le fromage de chèvre")]


def _province_codes(region_code=None):
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "core" / "data" / "provinces.csv"
    with path.open(encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)
                if region_code is None or row["region_code"] == region_code]


def sample_rows(rows, seed=0, region_code=None, number_prefix=None):
    """``rows`` realistic rows of the contract (lists in :data:`COLUMNS` order), reproducible by ``seed``.

    Names combine a legal form, a word, a place and a sector, as real names do; registration numbers
    are unique (``number_prefix`` then a running number).
    """
    import random

    rng = random.Random(seed)  # noqa: S311 (sample data)
    provinces = _province_codes(region_code)
    prefix = f"S{seed}-" if number_prefix is None else number_prefix
    start = date(1995, 1, 1)
    for i in range(rows):
        form, form_ar, form_fr = rng.choice(_FORMS)
        sector, sector_ar, sector_fr = rng.choice(_SECTORS)
        k = rng.randrange(len(_AR_WORDS))
        place_ar, place_fr = rng.choice(_PLACES)
        activity_ar, activity_fr = rng.choice(_ACTIVITIES)
        total = rng.randint(7, 400)
        women = rng.randint(0, total)
        youth = rng.randint(0, total)
        yield [
            " ".join(filter(None, [form_ar, _AR_WORDS[k], sector_ar, place_ar])),
            " ".join(filter(None, [form_fr, _FR_WORDS[k], sector_fr, place_fr])),
            form, f"{prefix}{i + 1:06d}", rng.choice(provinces), sector,
            (start + timedelta(days=rng.randrange(10000))).isoformat(),
            total, women, youth, 1 if women * 2 > total else 0, rng.choice(_LEADERS),
            f"06{rng.randrange(10**8):08d}", f"contact{i + 1}@example.ma" if rng.random() < 0.5 else "",
            f"{form_ar} تنتج {activity_ar} في {place_ar} منذ سنوات",
            f"{form_fr} qui produit {activity_fr} à {place_fr}",
        ]


def write_sample_xlsx(path, rows, seed=0, region_code=None, number_prefix=None):
    """Write a generated XLSX file of ``rows`` organizations (header row first) to ``path``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organizations")
    sheet.append(COLUMNS)
    for row in sample_rows(rows, seed, region_code, number_prefix):
        sheet.append(row)
    workbook.save(path)
    return path


def write_sample_csv(path, rows, seed=0, region_code=None, number_prefix=None, encoding="utf-8",
                     delimiter=","):
    """Write a generated CSV file (``encoding`` may be utf-8, utf-8-sig or cp1256)."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(COLUMNS)
        writer.writerows(sample_rows(rows, seed, region_code, number_prefix))
    return path
