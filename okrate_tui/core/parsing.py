"""What people type quickly: relative deadlines and one-line task descriptions.

``parse_deadline`` understands ``2026-12-01``, ``today``, ``tomorrow``, weekday names
(``fri``, ``friday``: the next one, today included), ``+3d`` and ``+2w``.
``parse_quick_add`` reads ``Draft launch email @maria !high ^fri #campaign``: owner,
priority (``!low`` … ``!critical``, or ``!`` medium, ``!!`` high, ``!!!`` critical, as
the cards show them), deadline and goal (by a word of its title); what it cannot
understand is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from okrate_tui.core.queries.tree import fold
from okrate_tui.core.validation import parse_date
from okrate_tui.core.vocab import PRIORITIES

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^\+(\d{1,3})([dw])$")
PRIORITY_WORDS = {
    "low": "low",
    "l": "low",
    "lo": "low",
    "medium": "medium",
    "med": "medium",
    "m": "medium",
    "high": "high",
    "hi": "high",
    "h": "high",
    "critical": "critical",
    "crit": "critical",
    "c": "critical",
}
DEADLINE_HELP = "use 2026-12-01, today, tomorrow, fri or +3d / +2w"


def parse_deadline(text: str, today: date) -> date | None:
    """A deadline typed by a person; empty gives ``None``."""
    word = text.strip().lower()
    if not word:
        return None
    if word in ("today", "tod"):
        return today
    if word in ("tomorrow", "tom", "tmr"):
        return today + timedelta(days=1)
    relative = _RELATIVE.match(word)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        return today + timedelta(days=amount * (7 if unit == "w" else 1))
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today + timedelta(days=(index - today.weekday()) % 7)
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", word):
        return parse_date(word)  # says why an impossible date is impossible
    raise ValueError(f"'{text.strip()[:30]}' is not a date: {DEADLINE_HELP}")


@dataclass
class QuickAdd:
    """The parts of a quick-add line; ``problems`` lists what was not understood."""

    title: str = ""
    owner: str | None = None
    priority: str | None = None
    deadline: date | None = None
    goal_id: int | None = None
    goal_title: str | None = None
    problems: list[str] = field(default_factory=list)


def parse_quick_add(text: str, today: date, *, handles: Iterable[str], goals: Iterable[tuple[int, str]]) -> QuickAdd:
    """Read one line: plain words make the title; ``@`` owner, ``!`` priority,
    ``^`` deadline, ``#`` goal."""
    known = {h.lower() for h in handles}
    goal_list = list(goals)
    result = QuickAdd()
    words: list[str] = []
    for token in text.split():
        marker, rest = token[0], token[1:]
        if marker == "@" and rest:
            if rest.lower() in known:
                result.owner = rest.lower()
            else:
                result.problems.append(f"nobody has the handle @{rest}")
        elif marker == "!" and (rest or token == "!"):
            marks = {1: "medium", 2: "high", 3: "critical"}
            bangs = marks.get(len(token)) if set(token) == {"!"} else None
            priority = bangs or PRIORITY_WORDS.get(rest.lower())
            if priority is None:
                result.problems.append(f"'{token}' is not a priority (use !{', !'.join(PRIORITIES)})")
            else:
                result.priority = priority
        elif marker == "^" and rest:
            try:
                result.deadline = parse_deadline(rest, today)
            except ValueError as exc:
                result.problems.append(str(exc))
        elif marker == "#" and rest:
            needle = fold(rest)
            found = [(gid, title) for gid, title in goal_list if needle in fold(title)]
            if len(found) == 1:
                result.goal_id, result.goal_title = found[0]
            elif not found:
                result.problems.append(f"no goal has '{rest}' in its title")
            else:
                shown = "; ".join(title for _, title in found[:3])
                more = f" and {len(found) - 3} more" if len(found) > 3 else ""
                result.problems.append(f"#{rest} matches {len(found)} goals ({shown}{more}): use a longer word")
        else:
            words.append(token)
    result.title = " ".join(words)
    if not result.title:
        result.problems.append("the task needs a title")
    return result
