"""Calendars: written by hand per RFC 5545, read back with the `icalendar` package as a real client would."""

from datetime import UTC

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from icalendar import Calendar

from tadamon.programme import ics
from tadamon.programme.models import Session

pytestmark = pytest.mark.django_db


def test_escape_and_fold():
    assert ics.escape('a,b;c\\d\ne') == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "ورشة التسيير والمحاسبة، " * 8
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1 and all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line  # no character cut in two


def test_session_calendar_parses(client, programme):
    workshop = programme["workshop"]
    with scopes_disabled():
        Session.objects.filter(pk=workshop.pk).update(
            title_ar='ورشة "التسيير"، المحاسبة; والتسويق\\ الرقمي ' * 3,
            description_ar="سطر أول\nسطر ثان, مع فاصلة; وفاصلة منقوطة")
    response = client.get(reverse("programme:session_ics", args=[workshop.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == 'ورشة "التسيير"، المحاسبة; والتسويق\\ الرقمي ' * 3
    assert "سطر ثان, مع فاصلة; وفاصلة منقوطة" in str(event["DESCRIPTION"])
    assert "ليلى العمراني" in str(event["DESCRIPTION"])
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset().total_seconds() == 0
    assert start == workshop.starts_at.astimezone(UTC)
    assert event.decoded("DTEND") == workshop.ends_at.astimezone(UTC)
    assert str(event["UID"]).startswith(f"session-{workshop.pk}@")
    assert "Grande salle" not in str(event["LOCATION"]) and "قاعة التكوين" in str(event["LOCATION"])


def test_programme_calendar_has_every_placed_session(client, programme):
    response = client.get(reverse("programme:edition_ics", args=[programme["edition"].pk]))
    calendar = Calendar.from_ical(response.content)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries == {"ورشة التسيير", "ندوة"}  # the unplaced session is left out
    assert str(calendar["VERSION"]) == "2.0" and "Tadamon" in str(calendar["PRODID"])


def test_french_calendar(client, programme):
    response = client.get(reverse("programme:session_ics", args=[programme["workshop"].pk]).replace("/ar/", "/fr/"))
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Atelier de gestion"


def test_draft_edition_has_no_calendar(client, programme):
    edition = programme["edition"]
    with scopes_disabled():
        edition.status = edition.Status.DRAFT
        edition.save()
    assert client.get(reverse("programme:edition_ics", args=[edition.pk])).status_code == 404
    assert client.get(reverse("programme:session_ics", args=[programme["workshop"].pk])).status_code == 404
