"""Property-based fuzzing (hypothesis) of what users hand in as files: the engines' JSON instances,
the importer's spreadsheets and CSV files, and pictures. Whatever the bytes, the answer is the
input's own error with a message (CommandError, ImportFileError, ValidationError), never a crash."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tadamon.core.images import clean_image
from tadamon.registry.importer import ImportFileError, read_rows

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["applicants", "candidates", "stands", "poles", "quotas", "sessions", "slots", "spaces", "id", "capacity",
         "pole", "score", "max", "min_share", "where", "duration", "kind", "size", "x"]) | st.text(max_size=5),
        inner, max_size=5),
    max_leaves=20)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("command", ["select-exhibitors", "allocate-stands", "schedule-programme"])
@FUZZ
@given(instance=JSON)
def test_engines_answer_any_json_with_a_message(tmp_path_factory, command, instance):
    folder = tmp_path_factory.mktemp("engine")
    source, out = folder / "in.json", folder / "out.json"
    source.write_text(json.dumps(instance), encoding="utf-8")
    try:
        call_command(command, "--instance", str(source), "--out", str(out), "--time-limit", "2")
    except CommandError as error:
        assert str(error)
        assert not out.exists()  # nothing written


@FUZZ
@given(data=st.binary(min_size=1, max_size=2000), zipped=st.booleans())
def test_importer_reads_any_bytes_or_says_why(data, zipped):
    if zipped:
        data = b"PK\x03\x04" + data
    try:
        rows = read_rows(data, "orgs.xlsx" if zipped else "orgs.csv")
        list(rows)
    except ImportFileError as error:
        assert str(error)


@FUZZ
@given(data=st.binary(max_size=3000), head=st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a",
                                                            b"RIFF\0\0\0\0WEBP"]))
def test_pictures_any_bytes_are_cleaned_or_refused(data, head):
    try:
        cleaned = clean_image(SimpleUploadedFile("p.jpg", head + data, content_type="image/jpeg"))
        assert cleaned.width > 0
    except ValidationError as error:
        assert error.messages
