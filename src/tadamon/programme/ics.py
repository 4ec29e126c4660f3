"""iCalendar (RFC 5545) files of sessions, written by hand: a few properties are all a phone's
calendar needs, and writing them keeps the rules in view.

- text values escape backslash, semicolon, comma and line breaks (3.3.11);
- lines are folded at 75 octets, never inside a UTF-8 character (3.1), and end with CRLF;
- times are UTC with the "Z" suffix (3.3.5, form #2), so no VTIMEZONE is needed.
"""

from datetime import UTC

from django.utils import timezone

PRODID = "-//Tadamon//Programme//AR"


def escape(text):
    text = str(text or "")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """Split a content line into chunks of at most 75 octets; continuation lines start with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space of a continuation line counts
        current.append(char)
        size += n
    parts.append("".join(current))
    return "\r\n ".join(parts)


def utc(dt):
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(session, *, url, host, stamp):
    edition = session.edition
    location = ", ".join(x for x in [session.space.name if session.space_id else "", edition.venue_name,
                                     edition.venue_address] if x)
    description = session.description
    speakers = ", ".join(s.name for s in session.speakers.all())
    if speakers:
        description = f"{description}\n\n{speakers}" if description else speakers
    lines = [
        "BEGIN:VEVENT",
        f"UID:session-{session.pk}@{host}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(session.starts_at)}",
        f"DTEND:{utc(session.ends_at)}",
        f"SUMMARY:{escape(session.title)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    lines.append(f"CATEGORIES:{escape(session.get_kind_display())}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(sessions, *, name, url_for, host="tadamon.ma", stamp=None):
    """The text of a VCALENDAR with one VEVENT per placed session; ``url_for(session)`` gives its page."""
    stamp = stamp or timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}", "X-WR-TIMEZONE:Africa/Casablanca"]
    for session in sessions:
        if session.starts_at is None or session.ends_at is None:
            continue
        lines.extend(_event(session, url=url_for(session), host=host, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
