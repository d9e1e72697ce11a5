"""Quick add: one line that becomes a task.

``parse_quick_add`` reads ``Draft launch email @maria !high ^fri #campaign/teaser``:
plain words make the title; ``@`` the owner, ``!`` the priority, ``^`` the deadline (in the
one grammar of :mod:`okrate_tui.core.grammar`), ``#`` the goal by a word of its title, and
``#goal/milestone`` a milestone of that goal by a word of its title. ``\\#``, ``\\@``,
``\\!`` and ``\\^`` keep the character in the title (``Fix bug \\#123``). What it cannot
understand is reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from okrate_tui.core.grammar import parse_date, parse_owner, parse_priority
from okrate_tui.core.text import echo, fold
from okrate_tui.core.validation import clean_title

# Kept for callers that name a deadline: the same function as every other date.
parse_deadline = parse_date

ESCAPED = ("\\#", "\\@", "\\!", "\\^")
QUICK_ADD_HELP = (
    "@owner  !priority  ^deadline  #goal or #goal/milestone (a word of each title)  "
    "\\# \\@ \\! \\^ keep the character in the title"
)


@dataclass
class QuickAdd:
    """The parts of a quick-add line; ``problems`` lists what was not understood."""

    title: str = ""
    owner: str | None = None
    owner_given: bool = False  # an owner was typed (``@none`` too: nobody on purpose)
    priority: str | None = None
    deadline: date | None = None
    goal_id: int | None = None
    goal_title: str | None = None
    milestone_id: int | None = None
    milestone_title: str | None = None
    problems: list[str] = field(default_factory=list)


def parse_quick_add(
    text: str,
    today: date,
    *,
    handles: Iterable[str],
    goals: Iterable[tuple[int, str]],
    milestones: Iterable[tuple[int, int, str]] = (),
    me: str | None = None,
) -> QuickAdd:
    """Read one line. ``goals`` are (id, title); ``milestones`` (id, goal id, title);
    ``me`` is the handle ``@me`` stands for."""
    known = list(handles)
    goal_list = list(goals)
    result = QuickAdd()
    words: list[str] = []
    for token in text.split():
        marker, rest = token[0], token[1:]
        if token[:2] in ESCAPED:
            words.append(token[1:])
        elif marker == "@" and rest:
            try:
                result.owner = parse_owner(token, known, me=me)
                result.owner_given = True
            except ValueError as exc:
                result.problems.append(str(exc))
        elif marker == "!" and (rest or token == "!"):
            try:
                result.priority = parse_priority(token, optional=False)
            except ValueError as exc:
                result.problems.append(str(exc))
        elif marker == "^" and rest:
            try:
                result.deadline = parse_date(rest, today)
            except ValueError as exc:
                result.problems.append(str(exc))
        elif marker == "#" and rest:
            _goal_and_milestone(result, rest, goal_list, milestones)
        else:
            words.append(token)
    result.title = " ".join(words)
    if not result.title:
        result.problems.append("the task needs a title")
    else:
        try:
            clean_title(result.title)  # the rule a form and a command hold a title to
        except ValueError as exc:
            result.problems.append(f"the title {exc}")
    return result


def _goal_and_milestone(
    result: QuickAdd, typed: str, goals: list[tuple[int, str]], milestones: Iterable[tuple[int, int, str]]
) -> None:
    goal_word, slash, milestone_word = typed.partition("/")
    if not goal_word:
        result.problems.append(f"'#{echo(typed)}': put a word of the goal's title before the /")
        return
    found = _one(goal_word, goals, "goal", f"#{goal_word}", result)
    if found is None:
        return
    result.goal_id, result.goal_title = found
    if not slash:
        return
    if not milestone_word:
        result.problems.append(f"'#{echo(typed)}': put a word of a milestone's title after the /")
        return
    own = [(mid, title) for mid, gid, title in milestones if gid == result.goal_id]
    if not own:
        result.problems.append(f"“{result.goal_title}” has no milestones")
        return
    picked = _one(milestone_word, own, f"milestone of “{result.goal_title}”", f"/{milestone_word}", result)
    if picked is not None:
        result.milestone_id, result.milestone_title = picked


def _one(word: str, titles: list[tuple[int, str]], what: str, typed: str, result: QuickAdd) -> tuple[int, str] | None:
    """The one (id, title) whose title holds ``word``; otherwise a problem is noted."""
    needle = fold(word)
    found = [(ident, title) for ident, title in titles if needle in fold(title)]
    if len(found) == 1:
        return found[0]
    if not found:
        result.problems.append(f"no {what} has '{echo(word)}' in its title")
    else:
        shown = "; ".join(title for _, title in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        kind = what.split(" ", 1)[0] + "s"
        result.problems.append(f"{echo(typed)} matches {len(found)} {kind} ({shown}{more}): use a longer word")
    return None
