"""The board's data: the cards of a scope, filters over them, the workload and the
Next list. Cards are read once per scope; filtering runs in memory, so typing a
filter never waits for the database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from okrate_tui.core.grammar import owner_handle, parse_date, parse_priority
from okrate_tui.core.queries.goals import subtree_ids
from okrate_tui.core.queries.sql import id_list, iter_rows, rows
from okrate_tui.core.queries.tasks import _as_date, _as_datetime
from okrate_tui.core.rules.health import is_due_soon, is_overdue
from okrate_tui.core.rules.matching import Query, prepare, prepare_many
from okrate_tui.core.rules.ranking import Standing, next_rank
from okrate_tui.core.text import echo, fold
from okrate_tui.core.vocab import TASK_STATUSES

SCOPE_KINDS = ("mine", "team", "person", "goal", "org")


@dataclass(frozen=True)
class BoardScope:
    """Whose tasks the board shows: mine, a team's, a person's, a goal subtree's, or all."""

    kind: str = "org"
    person_id: int | None = None
    team_id: int | None = None
    goal_id: int | None = None
    label: str = "whole organisation"


@dataclass(slots=True, eq=False)
class Card:
    """One task on the board (compared by identity: the board moves these objects)."""

    id: int
    title: str
    status: str
    priority: str | None
    deadline: date | None
    owner_id: int | None
    goal_id: int
    position: float
    completed_at: datetime | None
    version: int
    objective: str
    milestone_id: int | None = None
    search: str | None = None  # title and objective prepared for matching, on the first search

    def text(self) -> str:
        """Title and objective as filters match them (see :func:`matching.prepare`; made
        when a filter first asks, so a board never filtered never holds it)."""
        if self.search is None:
            self.search = prepare(f"{self.title}\n{self.objective}" if self.objective else self.title)
        return self.search

    def update(self, values: dict[str, Any]) -> None:
        """Take new field values (from a saved record)."""
        for name, value in values.items():
            setattr(self, name, value)
        self.search = None


_CARD_SQL = (
    "SELECT t.id, t.title, t.status, t.priority, t.deadline, t.owner_id, t.goal_id, t.position, "
    "t.completed_at, t.version, t.objective, t.milestone_id FROM task t"
)


def _card(r: tuple) -> Card:
    return Card(r[0], r[1], r[2], r[3], _as_date(r[4]), r[5], r[6], float(r[7]), _as_datetime(r[8]), r[9], r[10], r[11])


def _cards(text: str, params: list) -> list[Card]:
    """Cards read row by row from the cursor, with one object for each repeated value
    (statuses, priorities, days, goals, people): a board of 75,000 cards holds a third
    less, and the rows never stand in memory all at once."""
    shared: dict[Any, Any] = {}
    days: dict[Any, date | None] = {}
    share = shared.setdefault
    out = []
    for r in iter_rows(text, params):
        deadline = r[4]
        day = days.get(deadline)
        if day is None and deadline is not None:
            day = days[deadline] = _as_date(deadline)
        out.append(
            Card(
                r[0],
                r[1],
                share(r[2], r[2]),
                share(r[3], r[3]),
                day,
                share(r[5], r[5]),
                share(r[6], r[6]),
                float(r[7]),
                _as_datetime(r[8]),
                share(r[9], r[9]),
                share(r[10], r[10]),
                share(r[11], r[11]),
            )
        )
    return out


def load_cards(scope: BoardScope, cycle_id: int) -> list[Card]:
    """Every task of the scope in the cycle."""
    where, params = ["t.cycle_id = ?"], [cycle_id]
    if scope.kind in ("mine", "person"):
        where.append("t.owner_id = ?")
        params.append(scope.person_id or 0)
    elif scope.kind == "team":
        where.append("t.owner_id IN (SELECT id FROM person WHERE team_id = ?)")
        params.append(scope.team_id or 0)
    elif scope.kind == "goal":
        where.append(f"t.goal_id IN ({id_list(subtree_ids(scope.goal_id or 0))})")
    text = f"{_CARD_SQL} WHERE {' AND '.join(where)} ORDER BY t.position, t.id"  # columns then sort cheaply
    return _cards(text, params)


def load_card(task_id: int) -> Card | None:
    found = rows(f"{_CARD_SQL} WHERE t.id = ?", [task_id])
    return _card(found[0]) if found else None


def card_from_record(task: Any) -> dict[str, Any]:
    """The card fields of a saved task record (or of a freshly read card)."""
    return {
        "title": task.title,
        "status": task.status,
        "priority": task.priority,
        "deadline": task.deadline,
        "owner_id": task.owner_id,
        "goal_id": task.goal_id,
        "position": task.position,
        "completed_at": task.completed_at,
        "version": task.version,
        "objective": task.objective,
        "milestone_id": task.milestone_id,
    }


@dataclass
class Labels:
    """Names the cards point at: owners and goal breadcrumbs."""

    handles: dict[int, str]
    goal_titles: dict[int, str]
    goal_parents: dict[int, int | None]
    archived: set[int] = field(default_factory=set)
    milestones: dict[int, str] = field(default_factory=dict)  # milestone id -> title

    def breadcrumb(self, goal_id: int, width: int = 200, milestone_id: int | None = None) -> str:
        """'Parent › Goal' (or 'Goal › Milestone' for a task of a milestone), the part
        before the last shortened first when room is short."""
        title = self.goal_titles.get(goal_id, "?")
        stone = self.milestones.get(milestone_id) if milestone_id is not None else None
        if stone is not None:
            room = width - len(stone) - 3
            if len(title) > room:
                title = title[: max(room - 1, 6)] + "…"
            return f"{title} › {stone}"
        parent = self.goal_parents.get(goal_id)
        if parent is None or parent not in self.goal_titles:
            return title
        above = self.goal_titles[parent]
        room = width - len(title) - 3
        if len(above) > room:
            above = above[: max(room - 1, 6)] + "…"
        return f"{above} › {title}"


def load_labels(cycle_id: int) -> Labels:
    handles = {r[0]: r[1] for r in rows("SELECT id, handle FROM person")}
    titles: dict[int, str] = {}
    parents: dict[int, int | None] = {}
    archived: set[int] = set()
    for gid, title, parent, gone in rows(
        "SELECT id, title, parent_id, archived FROM goal WHERE cycle_id = ?", [cycle_id]
    ):
        titles[gid] = title
        parents[gid] = parent
        if gone:
            archived.add(gid)
    stones = {
        mid: title
        for mid, title in rows(
            "SELECT m.id, m.title FROM milestone m JOIN goal g ON g.id = m.goal_id WHERE g.cycle_id = ?", [cycle_id]
        )
    }
    return Labels(handles, titles, parents, archived, stones)


def milestone_titles(cycle_id: int) -> list[tuple[int, int, str]]:
    """(id, goal id, title) of the milestones of the cycle's goals that are not archived,
    for quick add's ``#goal/milestone``."""
    return [
        (mid, gid, title)
        for mid, gid, title in rows(
            "SELECT m.id, m.goal_id, m.title FROM milestone m JOIN goal g ON g.id = m.goal_id "
            "WHERE g.cycle_id = ? AND g.archived = ? ORDER BY m.id",
            [cycle_id, False],
        )
    ]


@dataclass
class BoardFilter:
    """What the filter line asks for. Typed as words and tokens: plain words search
    titles and objectives (best matches first); ``@ana`` owner (``@me`` you, ``@none``
    nobody), ``!high`` priority (``!``, ``!!``, ``!hi`` …), ``^overdue`` / ``^week`` /
    ``^none`` or a date (``^fri``: due by then), ``?owner`` / ``?deadline`` /
    ``?priority`` / ``?any`` missing."""

    words: list[str] = field(default_factory=list)
    owner: str | None = None  # the start of a handle
    owner_exact: bool = False  # ``@me``: that handle only
    unowned: bool = False  # ``@none``
    priority: str | None = None
    due: str | None = None
    due_by: date | None = None
    health: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.words or self.owner or self.unowned or self.priority or self.due or self.due_by or self.health)

    def describe(self) -> str:
        parts = [" ".join(self.words)] if self.words else []
        if self.owner:
            parts.append(f"@{self.owner}")
        if self.unowned:
            parts.append("nobody's")
        if self.priority:
            parts.append(f"!{self.priority}")
        if self.due:
            parts.append({"overdue": "overdue", "week": "due this week", "none": "no deadline"}[self.due])
        if self.due_by:
            parts.append(f"due by {self.due_by:%a %b} {self.due_by.day}")
        if self.health:
            parts.append(
                {
                    "owner": "no owner",
                    "deadline": "no deadline",
                    "priority": "no priority",
                    "any": "any health problem",
                }[self.health]
            )
        return " · ".join(parts)


DUE_WORDS = {"overdue": "overdue", "late": "overdue", "week": "week", "soon": "week", "none": "none"}
HEALTH_WORDS = {"owner": "owner", "deadline": "deadline", "priority": "priority", "any": "any"}


def parse_filter(text: str, today: date | None = None, me: str | None = None) -> BoardFilter:
    """Read the filter line. Dates count from ``today`` (the clock's when not given);
    ``me`` is the handle ``@me`` stands for."""
    result = BoardFilter()
    for token in text.split():
        marker, rest = token[0], token[1:].lower()
        if marker in "@^?" and not rest:
            continue  # a token still being typed
        if marker == "@":
            _owner_term(result, token, me)
        elif marker == "!":
            try:
                result.priority = parse_priority(token, optional=False)
            except ValueError as exc:
                result.problems.append(str(exc))
        elif marker == "^":
            if rest in DUE_WORDS:
                result.due = DUE_WORDS[rest]
                continue
            try:
                result.due_by = parse_date(rest, today)
            except ValueError as exc:
                result.problems.append(
                    f"{exc} (or ^overdue, ^week, ^none)" if "is not a date" in str(exc) else str(exc)
                )
        elif marker == "?":
            if rest in HEALTH_WORDS:
                result.health = HEALTH_WORDS[rest]
            else:
                result.problems.append(f"'{echo(token)}': use ?owner, ?deadline, ?priority or ?any")
        else:
            result.words.append(fold(token))
    return result


def _owner_term(result: BoardFilter, token: str, me: str | None) -> None:
    try:
        handle = owner_handle(token, me=me)
    except ValueError as exc:
        result.problems.append(str(exc))
        return
    result.owner, result.owner_exact, result.unowned = None, False, handle is None
    if handle is not None:
        result.owner, result.owner_exact = handle, token[1:].lower() == "me"


def narrower(old: BoardFilter, new: BoardFilter) -> bool:
    """Whether every card ``new`` keeps is one ``old`` kept (the user typed on), so the
    new filter need only look at the old one's cards. A word typed further matches
    fewer texts: its start matches wherever it does (as a part, a word start or initials)."""
    if old.owner:
        if old.owner_exact or new.owner_exact:
            if not (old.owner_exact and new.owner_exact and old.owner == new.owner):
                return False
        elif not (new.owner or "").startswith(old.owner):
            return False
    for name in ("unowned", "priority", "due", "due_by", "health"):
        if getattr(old, name) and getattr(old, name) != getattr(new, name):
            return False
    if len(new.words) < len(old.words):
        return False
    return all(after.startswith(before) for before, after in zip(old.words, new.words, strict=False))


def keeper(wanted: BoardFilter, today: date, handles: dict[int, str]) -> Callable[[Card], bool] | None:
    """A predicate over cards for everything the filter asks but its words (None when
    it asks nothing else)."""
    if not (wanted.owner or wanted.unowned or wanted.priority or wanted.due or wanted.due_by or wanted.health):
        return None
    owner_ids = None
    if wanted.owner:
        owner_ids = {
            pid
            for pid, handle in handles.items()
            if (handle == wanted.owner if wanted.owner_exact else handle.startswith(wanted.owner))
        }
    week_end = today + timedelta(days=6 - today.weekday())

    def ok(card: Card) -> bool:
        if owner_ids is not None and card.owner_id not in owner_ids:
            return False
        if wanted.unowned and card.owner_id is not None:
            return False
        if wanted.priority and card.priority != wanted.priority:
            return False
        if wanted.due == "overdue" and not is_overdue(card.deadline, card.status, today):
            return False
        if wanted.due == "week" and not (
            card.deadline is not None and card.deadline <= week_end and card.status != "done"
        ):
            return False
        if wanted.due == "none" and card.deadline is not None:
            return False
        if wanted.due_by and not (
            card.deadline is not None and card.deadline <= wanted.due_by and card.status != "done"
        ):
            return False
        if wanted.health:
            if card.status == "done":
                return False
            missing = {
                "owner": card.owner_id is None,
                "deadline": card.deadline is None,
                "priority": card.priority is None,
            }
            if not (any(missing.values()) if wanted.health == "any" else missing[wanted.health]):
                return False
        return True

    return ok


def rater(wanted: BoardFilter, today: date, handles: dict[int, str]) -> Callable[[Sequence[Card]], list[int]]:
    """Rates cards for this filter: 0 for a card it drops, else how well the words match
    (see :mod:`okrate_tui.core.rules.matching`; 1 for every card when there are no words)."""
    keep = keeper(wanted, today, handles)
    query = Query(" ".join(wanted.words))

    def rate(cards: Sequence[Card]) -> list[int]:
        if query:
            _prepare([card for card in cards if card.search is None])
        if keep is None:
            return query.scores([card.search or card.text() for card in cards])
        flags = [keep(card) for card in cards]
        if not query:
            return [1 if flag else 0 for flag in flags]
        tiers = iter(
            query.scores([card.search or card.text() for card, flag in zip(cards, flags, strict=True) if flag])
        )
        return [next(tiers) if flag else 0 for flag in flags]

    return rate


def _prepare(cards: list[Card]) -> None:
    """Give cards their search text, all at once (the first search of a fresh board)."""
    if cards:
        raw = [f"{card.title}\n{card.objective}" if card.objective else card.title for card in cards]
        for card, text in zip(cards, prepare_many(raw), strict=True):
            card.search = text


def matcher(wanted: BoardFilter, today: date, handles: dict[int, str]) -> Callable[[Card], bool]:
    """A predicate over cards for this filter (words match titles and objectives as
    whole words, word starts or parts, or titles by their initials: "dle" finds "Draft
    the launch email")."""
    rate = rater(wanted, today, handles)
    return lambda card: rate([card])[0] > 0


def columns(cards: list[Card], keep) -> dict[str, list[Card]]:
    """Cards by status in board order; Done shows the most recently finished first."""
    out: dict[str, list[Card]] = {status: [] for status in TASK_STATUSES}
    for card in cards:
        if keep(card):
            out[card.status].append(card)
    for status in ("todo", "doing", "blocked"):
        out[status].sort(key=lambda c: (c.position, c.id))
    out["done"].sort(key=lambda c: (c.completed_at or datetime.min, c.id), reverse=True)
    return out


def workload(cards: list[Card], today: date) -> list[tuple[int | None, int, int]]:
    """(owner id, open, overdue) per person among these cards, busiest first."""
    open_count: Counter[int | None] = Counter()
    late: Counter[int | None] = Counter()
    for card in cards:
        if card.status != "done":
            open_count[card.owner_id] += 1
            if is_overdue(card.deadline, card.status, today):
                late[card.owner_id] += 1
    return sorted(
        ((o, n, late[o]) for o, n in open_count.items()), key=lambda r: (-r[1], -r[2], r[0] is None, r[0] or 0)
    )


def next_cards(
    person_id: int,
    cycle_id: int,
    today: date,
    limit: int = 200,
    standing: Callable[[int], Standing | None] | None = None,
) -> list[Card]:
    """The person's open tasks of the cycle, ranked by what they move (see
    :mod:`..rules.ranking`; ``standing`` gives each goal's, when known)."""
    found = [
        _card(r)
        for r in rows(
            f"{_CARD_SQL} WHERE t.owner_id = ? AND t.cycle_id = ? AND t.status IN ('todo', 'doing', 'blocked')",
            [person_id, cycle_id],
        )
    ]
    stand = standing or (lambda goal_id: None)
    found.sort(key=lambda c: next_rank(c.deadline, c.priority, today, c.id, stand(c.goal_id)))
    return found[:limit]


def due_mark(card: Card, today: date) -> str:
    """'overdue', 'soon' or '' for a card's deadline."""
    if is_overdue(card.deadline, card.status, today):
        return "overdue"
    if is_due_soon(card.deadline, card.status, today):
        return "soon"
    return ""


def cards_by_id(task_ids: set[int] | list[int], cycle_id: int) -> dict[int, Card | None]:
    """Fresh cards for these tasks; None for a task that is gone or in another cycle."""
    found: dict[int, Card | None] = dict.fromkeys(task_ids)
    ids = list(task_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for r in rows(f"{_CARD_SQL} WHERE t.id IN ({id_list(chunk)}) AND t.cycle_id = ?", [cycle_id]):
            found[r[0]] = _card(r)
    return found


def task_goals(task_ids: set[int] | list[int]) -> tuple[set[int], set[int]]:
    """The goals these tasks serve, and the goals of the milestones they count towards."""
    goals: set[int] = set()
    milestone_goals: set[int] = set()
    ids = list(task_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for goal_id, milestone_goal in rows(
            "SELECT t.goal_id, m.goal_id FROM task t LEFT JOIN milestone m ON m.id = t.milestone_id "
            f"WHERE t.id IN ({id_list(chunk)})"
        ):
            goals.add(goal_id)
            if milestone_goal is not None:
                milestone_goals.add(milestone_goal)
    return goals, milestone_goals
