"""A person's calendar as an iCalendar file (``okrate export --format ics``).

The ``icalendar`` package is loaded only here, when such a file is asked for
(``pip install 'okrate-tui[calendar]'``)."""

from __future__ import annotations

from datetime import UTC, timedelta

from okrate_tui.cli.context import UsageError
from okrate_tui.core import clock
from okrate_tui.core.queries.calendar import CalendarEntry
from okrate_tui.core.text import one_line, visible

PRODID = "-//Okrate//okrate-tui//EN"


def render(entries: list[CalendarEntry], handle: str) -> str:
    """The entries as all-day events of one calendar, CRLF lines as the format asks."""
    try:
        from icalendar import Calendar, Event
    except ImportError:
        raise UsageError("an ICS export needs the icalendar package: pip install 'okrate-tui[calendar]'") from None
    stamp = clock.now().replace(microsecond=0, tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Okrate: @{handle}")
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", one_line(entry.summary))
        if entry.description:
            event.add("description", visible(entry.description))
        event.add("categories", [entry.kind.replace("_", "-")])
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
