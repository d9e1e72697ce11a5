"""What is waiting on one person: their overdue tasks and those due soon, key results of
their goals that nobody checked in on for a while, reviews they have still to write, and
their one-on-ones. Read for ``okrate agenda`` and the app's start-up notice; it shows
only the person's own work, so nothing private to others is in it.

- Tasks: the person's open tasks (to do, doing, blocked) with a deadline up to the last
  day of the window, in cycles that are not closed; overdue ones are those before today.
- Key results: those of goals the person owns, in an active cycle, not archived and on a
  goal still in play, whose last check-in (or, without one, the later of the cycle's start
  and the key result's creation) is ``stale_days`` or more days old.
- Reviews, in cycles in review: their own self review until it is submitted, and the
  manager review of each active direct report until one is submitted (a draft by someone
  else is theirs to finish, so it is not listed).
- One-on-ones: the next one with each person they meet (a one-on-one dated today or
  later), then, for a manager, each direct report without one coming, longest unmet first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from okrate_tui.core.models import Cycle, OneOnOne, Person, Review
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.queries.sql import as_date, rows
from okrate_tui.core.wording import days_ago, days_ahead, due_phrase, plural
from okrate_tui.core.writes import person_of

STALE_CHECK_IN_DAYS = 14  # the default; the config file's ``stale_check_in_days`` changes it
FINISHED_GOAL_STATUSES = ("done", "missed", "dropped")


@dataclass(frozen=True, slots=True)
class DueTask:
    """An open task with a deadline; ``days`` is how far the deadline is (negative: overdue)."""

    id: int
    title: str
    status: str
    priority: str | None
    deadline: date
    goal_id: int
    goal: str
    days: int
    when: str  # "overdue 3 days", "due tomorrow"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "deadline": self.deadline.isoformat(),
            "days": self.days,
            "when": self.when,
            "goal_id": self.goal_id,
            "goal": self.goal,
        }


@dataclass(frozen=True, slots=True)
class QuietKeyResult:
    """A key result nobody checked in on for ``days`` days (``last_check_in`` None: never)."""

    id: int
    title: str
    goal_id: int
    goal: str
    last_check_in: date | None
    days: int
    when: str  # "last check-in 20 days ago", "no check-in in 30 days"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "goal_id": self.goal_id,
            "goal": self.goal,
            "last_check_in": self.last_check_in.isoformat() if self.last_check_in else None,
            "days": self.days,
            "when": self.when,
        }


@dataclass(frozen=True, slots=True)
class WaitingReview:
    """A review the person has still to write: ``state`` is "not started" or "draft"."""

    cycle_id: int
    cycle: str
    kind: str  # self or manager
    reviewee: str  # handle
    reviewee_name: str
    state: str
    review_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle_id": self.cycle_id,
            "cycle": self.cycle,
            "kind": self.kind,
            "reviewee": self.reviewee,
            "reviewee_name": self.reviewee_name,
            "state": self.state,
            "review_id": self.review_id,
        }


@dataclass(frozen=True, slots=True)
class Meeting:
    """A one-on-one with someone: the next one (``upcoming``), or for a report without one
    coming, the last one (``date`` None: never met)."""

    handle: str
    name: str
    role: str  # "manager" (they manage the person) or "report"
    date: date | None
    upcoming: bool
    when: str  # "tomorrow", "last met 21 days ago", "never met"
    meeting_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "with": self.handle,
            "name": self.name,
            "role": self.role,
            "date": self.date.isoformat() if self.date else None,
            "upcoming": self.upcoming,
            "when": self.when,
            "meeting_id": self.meeting_id,
        }


@dataclass(frozen=True, slots=True)
class Agenda:
    person: str
    today: date
    until: date
    stale_days: int
    overdue: tuple[DueTask, ...] = ()
    due: tuple[DueTask, ...] = ()
    key_results: tuple[QuietKeyResult, ...] = ()
    reviews: tuple[WaitingReview, ...] = ()
    one_on_ones: tuple[Meeting, ...] = ()
    reports_to_meet: tuple[Meeting, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.overdue or self.due or self.key_results or self.reviews or self.one_on_ones or self.reports_to_meet
        )

    def as_dict(self) -> dict[str, Any]:
        """The ``okrate agenda --json`` object (its fields are listed in the README)."""
        return {
            "person": self.person,
            "today": self.today.isoformat(),
            "until": self.until.isoformat(),
            "stale_check_in_days": self.stale_days,
            "overdue": [t.as_dict() for t in self.overdue],
            "due": [t.as_dict() for t in self.due],
            "key_results": [k.as_dict() for k in self.key_results],
            "reviews": [r.as_dict() for r in self.reviews],
            "one_on_ones": [m.as_dict() for m in self.one_on_ones],
            "reports_to_meet": [m.as_dict() for m in self.reports_to_meet],
        }


def due_tasks(person_id: int, today: date, until: date) -> list[DueTask]:
    """The person's open tasks due up to ``until`` (overdue ones included), soonest first."""
    found = rows(
        "SELECT t.id, t.title, t.status, t.priority, t.deadline, t.goal_id, g.title "
        "FROM task t JOIN goal g ON g.id = t.goal_id JOIN cycle c ON c.id = t.cycle_id "
        "WHERE t.owner_id = ? AND t.status <> 'done' AND t.deadline IS NOT NULL AND t.deadline <= ? "
        "AND c.state <> 'closed' ORDER BY t.deadline, t.position, t.id",
        [person_id, until.isoformat()],
    )
    out = []
    for tid, title, status, priority, deadline, goal_id, goal in found:
        day = as_date(deadline)
        assert day is not None
        out.append(
            DueTask(tid, title, status, priority, day, goal_id, goal, (day - today).days, due_phrase(day, today))
        )
    return out


def start_notice(person_id: int, today: date) -> str | None:
    """The app's one line at start-up: what is overdue or due today, or None when nothing is."""
    tasks = due_tasks(person_id, today, today)
    late = sum(1 for t in tasks if t.days < 0)
    now = len(tasks) - late
    if not tasks:
        return None
    parts = [f"{plural(late, 'task')} overdue"] if late else []
    if now:
        parts.append(f"{now} due today" if late else f"{plural(now, 'task')} due today")
    return f"{', '.join(parts)} — okrate agenda lists them"


def quiet_key_results(person_id: int, today: date, stale_days: int) -> list[QuietKeyResult]:
    """Key results of the person's goals without a check-in for ``stale_days`` days, quietest first."""
    placeholders = ", ".join("?" for _ in FINISHED_GOAL_STATUSES)
    found = rows(
        "SELECT k.id, k.title, k.goal_id, g.title, k.created_at, c.starts, MAX(ci.at) "
        "FROM key_result k JOIN goal g ON g.id = k.goal_id JOIN cycle c ON c.id = g.cycle_id "
        "LEFT JOIN check_in ci ON ci.key_result_id = k.id "
        "WHERE g.owner_id = ? AND k.archived = ? AND g.archived = ? AND c.state = 'active' "
        f"AND (g.status IS NULL OR g.status NOT IN ({placeholders})) "
        "GROUP BY k.id, k.title, k.goal_id, g.title, k.created_at, c.starts",
        [person_id, False, False, *FINISHED_GOAL_STATUSES],
    )
    out = []
    for kid, title, goal_id, goal, created, starts, last in found:
        last_day = as_date(last)
        since = last_day or max(as_date(starts) or today, _day(created) or today)
        days = (today - since).days
        if days < stale_days:
            continue
        when = f"last check-in {days_ago(last_day, today)}" if last_day else f"no check-in in {plural(days, 'day')}"
        out.append(QuietKeyResult(kid, title, goal_id, goal, last_day, days, when))
    return sorted(out, key=lambda k: (-k.days, k.goal_id, k.id))


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return as_date(value)


def waiting_reviews(person: Person) -> list[WaitingReview]:
    """Self and manager reviews the person has still to write, in cycles in review."""
    out: list[WaitingReview] = []
    reports = list(
        Person.select()
        .where((Person.manager == person.id) & (Person.active == True))  # noqa: E712
        .order_by(Person.name)
    )
    for cycle in Cycle.select().where(Cycle.state == "review").order_by(Cycle.ends, Cycle.id):
        written = {
            (r.reviewee_id, r.kind): r
            for r in Review.select().where(
                (Review.cycle == cycle.id)
                & (Review.kind.in_(("self", "manager")))
                & (Review.reviewee.in_([person.id, *(p.id for p in reports)]))
            )
            if r.kind == "manager" or r.reviewer_id == person.id
        }
        own = written.get((person.id, "self"))
        if own is None or own.state == "draft":
            out.append(_waiting(cycle, "self", person, own))
        for report in reports:
            review = written.get((report.id, "manager"))
            if review is None or (review.state == "draft" and review.reviewer_id == person.id):
                out.append(_waiting(cycle, "manager", report, review))
    return out


def _waiting(cycle: Cycle, kind: str, reviewee: Person, review: Review | None) -> WaitingReview:
    state = "draft" if review is not None else "not started"
    return WaitingReview(
        cycle.id, cycle.name, kind, reviewee.handle, reviewee.name, state, review.id if review else None
    )


def meetings(person: Person, today: date) -> tuple[list[Meeting], list[Meeting]]:
    """The next one-on-one with each person the person meets, soonest first; and each
    active direct report with none coming, longest unmet first."""
    found = (
        OneOnOne.select()
        .where((OneOnOne.manager == person.id) | (OneOnOne.report == person.id))
        .order_by(OneOnOne.date, OneOnOne.id)
    )
    upcoming: dict[int, OneOnOne] = {}
    last: dict[int, OneOnOne] = {}
    for meeting in found:
        other = meeting.report_id if meeting.manager_id == person.id else meeting.manager_id
        if meeting.date >= today:
            upcoming.setdefault(other, meeting)
        elif meeting.manager_id == person.id:
            last[other] = meeting
    people = {p.id: p for p in Person.select().where(Person.id.in_(list(upcoming) or [0]))}
    ahead = []
    for other, meeting in sorted(upcoming.items(), key=lambda item: (item[1].date, item[1].id)):
        who = people[other]
        role = "report" if meeting.manager_id == person.id else "manager"
        ahead.append(
            Meeting(who.handle, who.name, role, meeting.date, True, days_ahead(meeting.date, today), meeting.id)
        )
    unmet = []
    reports = Person.select().where((Person.manager == person.id) & (Person.active == True))  # noqa: E712
    for report in reports:
        if report.id in upcoming:
            continue
        held = last.get(report.id)
        when = f"last met {days_ago(held.date, today)}" if held else "never met"
        unmet.append(
            Meeting(
                report.handle,
                report.name,
                "report",
                held.date if held else None,
                False,
                when,
                held.id if held else None,
            )
        )
    unmet.sort(key=lambda m: (m.date or date.min, m.handle))
    return ahead, unmet


def agenda(actor: Person | PersonRow, today: date, until: date, stale_days: int = STALE_CHECK_IN_DAYS) -> Agenda:
    """Everything waiting on ``actor`` from ``today`` to ``until``."""
    person = person_of(actor)
    tasks = due_tasks(person.id, today, until)
    ahead, unmet = meetings(person, today)
    return Agenda(
        person=person.handle,
        today=today,
        until=until,
        stale_days=stale_days,
        overdue=tuple(t for t in tasks if t.days < 0),
        due=tuple(t for t in tasks if t.days >= 0),
        key_results=tuple(quiet_key_results(person.id, today, stale_days)),
        reviews=tuple(waiting_reviews(person)),
        one_on_ones=tuple(ahead),
        reports_to_meet=tuple(unmet),
    )
