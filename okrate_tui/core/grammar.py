"""The one grammar for what people type as a date, a priority or an owner: the same
words work in quick add, the board's filter, every form and every command option.

Dates: ``2026-12-01``, ``today``, ``tomorrow``, a weekday or its first three letters or
more (``fri``, ``thurs``: the next one, today included), ``+3d``, ``+2w``, ``+1m``.
Priorities: ``!`` medium, ``!!`` high, ``!!!`` critical, or a name or the start of one
(``low``, ``med``, ``hi``, ``c``), with or without a leading ``!``.
Owners: ``@handle`` or ``handle`` in any case, ``me`` for the person typing, ``none`` or
``-`` for nobody (where nobody is allowed).
Relative dates count from :func:`okrate_tui.core.clock.today` unless a day is given.
Everything else is refused with a ``ValueError`` that quotes what was typed and lists the
accepted forms.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.text import control_chars, echo
from okrate_tui.core.vocab import PRIORITIES

DATE_FORMS = "2026-12-01, today, tomorrow, a weekday (fri, friday), +3d, +2w or +1m"
SPAN_FORMS = "3d, 2w or 1m (with or without +), or the last day as a date: today, fri, 2026-12-01"
PRIORITY_FORMS = "! (medium), !! (high), !!! (critical), or low, medium, high, critical or their first letters"
OWNER_FORMS = "@handle or handle, me for yourself, or none or - for nobody"
DATE_HELP = f"use {DATE_FORMS}"
SPAN_HELP = f"use {SPAN_FORMS}"
PRIORITY_HELP = f"use {PRIORITY_FORMS}"
OWNER_HELP = f"use {OWNER_FORMS}"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NONE_WORDS = ("none", "-")
BANGS = {"!": "medium", "!!": "high", "!!!": "critical"}
HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
RESERVED_HANDLES = ("me", "none")  # they mean "yourself" and "nobody" wherever an owner is typed
WORD_MAX = 40  # longer than any date, priority or handle

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RELATIVE = re.compile(r"^\+(\d{1,3})([dwm])$")
_SPAN = re.compile(r"^\d{1,3}[dwm]$")


def _word(value: Any, kind: str, help_text: str) -> str:
    """The typed text, stripped and lowered; refused when it hides characters or runs
    longer than any word of its kind."""
    if not isinstance(value, str):
        raise ValueError(f"must be {kind}: {help_text}")
    text = value.strip()
    if control_chars(text) or len(text) > WORD_MAX:
        raise ValueError(f"'{echo(text)}' is not {kind}: {help_text}")
    return text.lower()


# --- dates ------------------------------------------------------------------------------


def parse_date(value: Any, today: date | None = None) -> date | None:
    """A date as people type it; empty, ``none`` or ``-`` give ``None``. A ``date`` is
    taken as it is. Impossible dates say why (``2026-02-30``: February 2026 has 28 days)."""
    if value is None or isinstance(value, date):
        return value
    word = _word(value, "a date", DATE_HELP)
    if not word or word in NONE_WORDS:
        return None
    day = today or clock.today()
    try:
        found = _relative_day(word, day)
    except OverflowError:
        raise ValueError(f"'{echo(value)}' is too far away to be a date") from None
    if found is not None:
        return found
    match = _ISO.match(word)
    if match:
        return _calendar_day(word, *(int(part) for part in match.groups()))
    raise ValueError(f"'{echo(value)}' is not a date: {DATE_HELP}")


def _relative_day(word: str, today: date) -> date | None:
    if len(word) >= 3 and "today".startswith(word):
        return today
    if word == "tmr" or (len(word) >= 3 and "tomorrow".startswith(word)):
        return today + timedelta(days=1)
    if len(word) >= 3:
        for index, name in enumerate(WEEKDAYS):
            if name.startswith(word):
                return today + timedelta(days=(index - today.weekday()) % 7)
    relative = _RELATIVE.match(word)
    if relative is None:
        return None
    amount, unit = int(relative.group(1)), relative.group(2)
    if unit == "m":
        return add_months(today, amount)
    return today + timedelta(days=amount * (7 if unit == "w" else 1))


def parse_until(value: Any, today: date | None = None) -> date:
    """The last day of a span from today, as people type it: ``3d`` (or ``+3d``) three
    days on, ``2w``, ``1m``, or any date (``today``, ``fri``, ``2026-12-01``). A day
    before today is refused."""
    word = _word(value, "a span", SPAN_HELP)
    day = today or clock.today()
    if not word or word in NONE_WORDS:
        raise ValueError(f"needs a span: {SPAN_HELP}")
    try:
        found = parse_date(f"+{word}" if _SPAN.match(word) else word, day)
    except ValueError:
        if _ISO.match(word):
            raise  # it is a date: say what is wrong with it
        raise ValueError(f"'{echo(value)}' is not a span: {SPAN_HELP}") from None
    assert found is not None
    if found < day:
        raise ValueError(f"'{echo(value)}' is in the past: a span runs from today on")
    return found


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        raise OverflowError
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _calendar_day(text: str, year: int, month: int, day: int) -> date:
    if year < 1:
        raise ValueError(f"{text} is not a real date (there is no year 0)")
    if not 1 <= month <= 12:
        raise ValueError(f"{text} is not a real date (there is no month {month})")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"{text} is not a real date ({calendar.month_name[month]} {year} has {days} days)")
    return date(year, month, day)


# --- priorities --------------------------------------------------------------------------


def parse_priority(value: Any, *, optional: bool = True) -> str | None:
    """A priority as people type it (``!!``, ``!hi``, ``crit``, ``Medium``). Empty,
    ``none`` or ``-`` give ``None`` when ``optional``."""
    if value is None:
        value = ""
    word = _word(value, "a priority", PRIORITY_HELP)
    if not word or word in NONE_WORDS:
        if optional:
            return None
        raise ValueError(f"needs a priority: {PRIORITY_HELP}")
    if word in BANGS:
        return BANGS[word]
    name = word[1:] if word.startswith("!") else word
    found = [p for p in PRIORITIES if name and p.startswith(name)]
    if len(found) != 1:
        raise ValueError(f"'{echo(value)}' is not a priority: {PRIORITY_HELP}")
    return found[0]


# --- owners ------------------------------------------------------------------------------


def owner_handle(value: Any, *, me: str | None = None, nobody: bool = True) -> str | None:
    """The handle an owner word names, without looking anyone up: ``@Ana`` → ``ana``,
    ``me`` → ``me`` (the person typing), empty, ``none`` or ``-`` → ``None`` (nobody,
    refused unless ``nobody``)."""
    if value is None:
        value = ""
    word = _word(value, "a handle", OWNER_HELP)
    bare = word[1:] if word.startswith("@") else word
    if not word or bare in NONE_WORDS:
        if nobody:
            return None
        raise ValueError(f"needs a person here: {OWNER_HELP}")
    if bare == "me":
        if me is None:
            raise ValueError("'me' stands for you, and who you are is not known here: give your handle")
        return me.lower()
    if not HANDLE_RE.match(bare):
        raise ValueError(f"'{echo(value)}' is not a handle: {OWNER_HELP}")
    return bare


def parse_owner(value: Any, handles: Iterable[str], *, me: str | None = None, nobody: bool = True) -> str | None:
    """An owner among ``handles`` (case-insensitive), or ``None`` for nobody."""
    handle = owner_handle(value, me=me, nobody=nobody)
    if handle is not None and handle not in {h.lower() for h in handles}:
        raise ValueError(f"nobody has the handle @{handle}")
    return handle
