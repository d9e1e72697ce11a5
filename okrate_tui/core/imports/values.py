"""How values written by other tools read as Okrate's: dates, priorities, statuses,
people and goals. Each ``read_*`` returns the value or raises ``ValueError`` with a
message fit to show beside the row."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from typing import Any

from okrate_tui.core.grammar import _calendar_day, parse_date, parse_priority
from okrate_tui.core.models import Goal, Person
from okrate_tui.core.rows import tuples
from okrate_tui.core.services.cycles import current_cycle
from okrate_tui.core.text import echo
from okrate_tui.core.validation import ID_MAX, id_of

DATE_ORDERS = ("dmy", "mdy")
MONTH_NAMES = tuple(calendar.month_name[i].lower() for i in range(1, 13))
IMPORT_DATE_FORMS = (
    "use 2026-12-15, 2026-12-15T09:00:00Z, 15/Dec/26 9:00 AM, 15 Dec 2026, Dec 15, 2026, 15.12.2026, "
    "15/12/2026 or Okrate's words (today, fri, +3d)"
)

_TIME = r"(?:[ T,]+\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?"
_NUMERIC = re.compile(rf"^(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{2}}|\d{{4}}){_TIME}$")
_DAY_MONTH = re.compile(rf"^(\d{{1,2}})[ /-]([a-z]{{3,9}})\.?[ /-](\d{{2}}|\d{{4}}){_TIME}$")
_MONTH_DAY = re.compile(rf"^([a-z]{{3,9}})\.? (\d{{1,2}}),? (\d{{4}}){_TIME}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_STAMP = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month(name: str) -> int | None:
    """A month's number from its name or its first three letters or more."""
    if name == "sept":
        return 9
    for index, full in enumerate(MONTH_NAMES):
        if len(name) >= 3 and full.startswith(name):
            return index + 1
    return None


def read_date(value: Any, order: str | None = None) -> date | None:
    """A date as Okrate's grammar reads it, or as spreadsheets and trackers write it.

    ``15/12/2026`` is day first and ``12/15/2026`` month first; when both numbers could be
    the month (``03/04/2026``) ``order`` (``dmy`` or ``mdy``) decides, and without it the
    date is refused as ambiguous. Times are dropped; a time with a zone (``…Z``,
    ``…+01:00``) is first moved to this machine's zone.
    """
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        if _ISO_DAY.match(text):
            raise  # the grammar's own form, and its reason (no 30 February)
    word = " ".join(text.lower().split())
    stamp = _STAMP.match(text)
    if stamp:
        return read_stamp(text)
    if _ISO_TIME.match(text):
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            raise ValueError(f"'{echo(text)}' is not a date: {IMPORT_DATE_FORMS}") from None
        return (moment.astimezone() if moment.tzinfo else moment).date()
    numeric = _NUMERIC.match(word)
    if numeric:
        first, sep, second, year = numeric.groups()
        a, b = int(first), int(second)
        if sep == "." or a > 12 or (order == "dmy" and b <= 12):
            day, month = a, b
        elif b > 12 or order == "mdy":
            day, month = b, a
        else:
            raise ValueError(
                f"'{echo(text)}' is ambiguous ({a} {calendar.month_name[b]} or {calendar.month_name[a]} {b}): "
                "pass --date-order dmy or mdy"
            )
        return _calendar_day(text, _year(year), month, day)
    for pattern, parts in ((_DAY_MONTH, (0, 1, 2)), (_MONTH_DAY, (1, 0, 2))):
        found = pattern.match(word)
        if found:
            groups = found.groups()
            day_text, name, year = (groups[i] for i in parts)
            named = _month(name)
            if named is not None:
                return _calendar_day(text, _year(year), named, int(day_text))
    raise ValueError(f"'{echo(text)}' is not a date: {IMPORT_DATE_FORMS}")


def read_moment(text: str) -> datetime:
    """A Taskwarrior time (``20261215T000000Z``, in UTC), timezone-aware."""
    found = _STAMP.match(text.strip())
    if found is None:
        raise ValueError(f"'{echo(text)}' is not a Taskwarrior date (like 20261215T000000Z)")
    try:
        return datetime.strptime(text.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"'{echo(text)}' is not a real date") from None


def read_stamp(text: str) -> date:
    """A Taskwarrior time as a day in this machine's zone."""
    return read_moment(text).astimezone().date()


# --- priorities --------------------------------------------------------------------------

PRIORITY_WORDS = {
    "h": "high",
    "m": "medium",
    "l": "low",
    "highest": "critical",
    "blocker": "critical",
    "urgent": "critical",
    "major": "high",
    "normal": "medium",
    "minor": "low",
    "lowest": "low",
    "trivial": "low",
    "p0": "critical",
    "p1": "high",
    "p2": "medium",
    "p3": "low",
    "p4": "low",
}


def read_priority(value: Any) -> str | None:
    """A priority: Okrate's words, Taskwarrior's H/M/L, Jira's Highest…Lowest, P0…P4."""
    text = str(value or "").strip()
    word = text.lower()
    if word in PRIORITY_WORDS:
        return PRIORITY_WORDS[word]
    return parse_priority(text)


# --- statuses ----------------------------------------------------------------------------

STATUS_WORDS = {
    "todo": ("to do", "todo", "open", "new", "backlog", "selected for development", "ready", "pending", "planned"),
    "doing": ("doing", "in progress", "in review", "review", "code review", "started", "active", "testing", "qa"),
    "blocked": ("blocked", "on hold", "waiting", "impeded", "stuck"),
    "done": ("done", "closed", "resolved", "complete", "completed", "fixed", "finished", "shipped", "released"),
}
DROPPED_WORDS = ("won't do", "wont do", "won't fix", "wontfix", "cancelled", "canceled", "rejected", "duplicate")
_BY_WORD = {word: status for status, words in STATUS_WORDS.items() for word in words}


def read_status(value: Any, extra: dict[str, str] | None = None, default: str = "todo") -> tuple[str, str | None, bool]:
    """A board status for a tracker's status name, why the row is skipped (None when
    it is kept), and whether the name was unknown. ``extra`` maps names (lower case) to
    statuses or ``skip``; a name nobody knows lands in ``default``; dropped work (Won't
    Do, Cancelled) is skipped."""
    word = status_key(value)
    if not word:
        return default, None, False
    chosen = (extra or {}).get(word) or _BY_WORD.get(word)
    if chosen == "skip" or (chosen is None and word in DROPPED_WORDS):
        return default, f"status '{value}' means dropped", False
    return chosen or default, None, chosen is None


def status_key(value: Any) -> str:
    """A status name as it is looked up: lower case, single spaces."""
    return " ".join(str(value or "").strip().lower().replace("_", " ").replace("-", " ").split())


# --- people ------------------------------------------------------------------------------


class People:
    """Everyone, looked up by handle, name or e-mail-like address (read once)."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, str, str, bool]] = list(
            tuples(Person.select(Person.id, Person.handle, Person.name, Person.active))
        )

    def find(self, value: Any) -> int | None:
        """The id of the person ``value`` names (the first of a comma-separated list),
        None for nobody; ``ValueError`` when nobody or several match."""
        text = str(value or "").split(",")[0].strip()
        if not text or text.lower() in ("none", "-", "unassigned"):
            return None
        key = text.lower()
        candidates: list[str] = [key.removeprefix("@")]
        if "@" in key.strip("@"):
            local = key.removeprefix("@").split("@", 1)[0]
            candidates = [local, re.sub(r"[._+-]+", " ", local)]
        for wanted in candidates:
            by_handle = [r for r in self.rows if r[1] == wanted]
            found = by_handle or [r for r in self.rows if " ".join(r[2].lower().split()) == " ".join(wanted.split())]
            if len(found) > 1:
                raise ValueError(f"'{echo(text)}' could be {' or '.join('@' + r[1] for r in found)}")
            if found:
                pid, handle, _name, active = found[0]
                if not active:
                    raise ValueError(f"@{handle} is no longer active")
                return pid
        raise ValueError(f"nobody here is '{echo(text)}' (by handle, name or e-mail)")


# --- goals -------------------------------------------------------------------------------


def find_goal(value: Any) -> int:
    """A goal's id from its id or its title (case-insensitive; among several, the one in
    the current cycle). ``ValueError`` when none or several match."""
    text = str(value or "").strip()
    if not text:
        raise ValueError("names no goal")
    ident = id_of(text)
    if ident is not None:
        goal = Goal.get_or_none(Goal.id == ident) if ident <= ID_MAX else None
        if goal is None:
            raise ValueError(f"there is no goal {echo(text, 40)}")
        return goal.id
    wanted = " ".join(text.lower().split())
    found = [
        (gid, cycle)
        for gid, title, cycle in tuples(Goal.select(Goal.id, Goal.title, Goal.cycle).where(~Goal.archived))
        if " ".join(title.lower().split()) == wanted
    ]
    if len(found) > 1:
        cycle = current_cycle()
        found = [f for f in found if cycle is not None and f[1] == cycle.id] or found
    if not found:
        raise ValueError(f"there is no goal titled '{echo(text)}'")
    if len(found) > 1:
        raise ValueError(f"several goals are titled '{echo(text)}' (ids {', '.join(str(f[0]) for f in found)})")
    return found[0][0]
