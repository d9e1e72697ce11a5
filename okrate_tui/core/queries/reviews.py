"""What the cycle review pane shows: people, a person's evidence and reviews, and a
one-on-one walkthrough. Every function takes the acting person and returns only what
they may see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from okrate_tui.core.access import (
    CALIBRATED_KINDS,
    can_calibrate,
    can_reopen,
    can_write_review,
    manager_review_taken,
    review_visible,
    who_writes,
)
from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.models import Change, Cycle, Goal, OneOnOne, Person, Review, Task, Team
from okrate_tui.core.permissions import is_admin, is_manager_of
from okrate_tui.core.queries.details import KeyResultView, key_results_of
from okrate_tui.core.queries.goals import subtree_ids
from okrate_tui.core.queries.milestones import MilestoneView, milestones_of
from okrate_tui.core.queries.org import CycleRow, PersonRow
from okrate_tui.core.queries.sql import id_list, rows
from okrate_tui.core.queries.tree import CycleTree, load_tree
from okrate_tui.core.rules.execution import Execution
from okrate_tui.core.rules.health import is_overdue
from okrate_tui.core.vocab import PRIORITY_RANK
from okrate_tui.core.writes import get, person_of


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def visible_people(actor: Person | PersonRow) -> list[Person]:
    """Whom ``actor`` reviews or is reviewed by: everyone for admins, the reporting line
    below a manager (and themself), just themself for a member."""
    actor = person_of(actor)
    people = list(Person.select().where(Person.active == True).order_by(Person.name))  # noqa: E712
    if is_admin(actor):
        return people
    below = _below(actor, people)
    return [p for p in people if p.id == actor.id or p.id in below]


def _below(actor: Person, people: list[Person]) -> set[int]:
    reports: dict[int | None, list[int]] = {}
    for person in people:
        reports.setdefault(person.manager_id, []).append(person.id)
    found: set[int] = set()
    stack = list(reports.get(actor.id, []))
    while stack:
        pid = stack.pop()
        if pid not in found:
            found.add(pid)
            stack.extend(reports.get(pid, []))
    return found


def may_see_person(actor: Person | PersonRow, person: Person) -> bool:
    actor = person_of(actor)
    return actor.id == person.id or is_admin(actor) or is_manager_of(actor, person)


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One person in the cycle's people list."""

    id: int
    handle: str
    name: str
    team: str | None
    goals: int
    progress: float | None
    tasks_done: int
    tasks_open: int
    overdue: int
    self_state: str | None
    manager_state: str | None
    manager_rating: int | None


def people_overview(
    actor: Person | PersonRow, cycle_id: int, today: date, tree: CycleTree | None = None
) -> list[ReviewRow]:
    """The people ``actor`` may see, with goal progress, tasks and review states."""
    actor = person_of(actor)
    tree = tree if tree is not None and tree.cycle.id == cycle_id else load_tree(cycle_id, today)
    people = visible_people(actor)
    teams: dict[int | None, str] = {t.id: t.name for t in Team.select()}
    owned: dict[int, list[float]] = {}
    counted: dict[int, int] = {}
    for gid, node in tree.nodes.items():
        line = tree.line(gid)
        owner = tree.owner_id(gid)
        if owner is None or node.archived:
            continue
        counted[owner] = counted.get(owner, 0) + 1
        if line.measured:
            owned.setdefault(owner, []).append(line.progress)
    work = {
        r[0]: r[1:]
        for r in rows(
            "SELECT owner_id, SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status <> 'done' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status <> 'done' AND deadline < ? THEN 1 ELSE 0 END) "
            "FROM task WHERE cycle_id = ? AND owner_id IS NOT NULL GROUP BY owner_id",
            [today, cycle_id],
        )
    }
    states: dict[tuple[int, str], Review] = {}
    by_id = {p.id: p for p in people}
    for review in Review.select().where(Review.cycle == cycle_id).order_by(Review.id):
        person = by_id.get(review.reviewee_id)
        if person is not None and review.kind != "peer" and review_visible(actor, review, person):
            states.setdefault((review.reviewee_id, review.kind), review)  # drafts stay their author's
    out = []
    for person in people:
        done, open_, late = work.get(person.id, (0, 0, 0))
        progress = owned.get(person.id)
        manager = states.get((person.id, "manager"))
        rating = manager.rating if manager is not None else None
        out.append(
            ReviewRow(
                person.id,
                person.handle,
                person.name,
                teams.get(person.team_id),
                counted.get(person.id, 0),
                sum(progress) / len(progress) if progress else None,
                int(done or 0),
                int(open_ or 0),
                int(late or 0),
                _state(states.get((person.id, "self"))),
                _state(manager),
                rating,
            )
        )
    return out


def _state(review: Review | None) -> str | None:
    return review.state if review is not None else None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change of a review's rating or state: when, by whom (a handle), old and new."""

    at: datetime
    by: str | None
    field: str
    old: str | None
    new: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"at": _iso(self.at), "by": self.by, "field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class ReviewView:
    """A review as the actor may see it, with what they may do to it and its history."""

    id: int
    kind: str
    reviewer: str | None
    reviewee: str
    state: str
    rating: int | None
    original_rating: int | None
    strengths: str
    improvements: str
    comments: str
    private: bool
    submitted_at: datetime | None
    calibrated_by: str | None
    calibrated_at: datetime | None
    calibration_reason: str
    history: tuple[HistoryEntry, ...]
    version: int
    can_edit: bool
    can_reopen: bool
    can_calibrate: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times as ISO strings."""
        return {
            "id": self.id,
            "kind": self.kind,
            "reviewer": self.reviewer,
            "reviewee": self.reviewee,
            "state": self.state,
            "rating": self.rating,
            "original_rating": self.original_rating,
            "strengths": self.strengths,
            "improvements": self.improvements,
            "comments": self.comments,
            "private": self.private,
            "submitted_at": _iso(self.submitted_at) if self.submitted_at else None,
            "calibrated_by": self.calibrated_by,
            "calibrated_at": _iso(self.calibrated_at) if self.calibrated_at else None,
            "calibration_reason": self.calibration_reason,
            "history": [entry.as_dict() for entry in self.history],
            "version": self.version,
            "can_edit": self.can_edit,
            "can_reopen": self.can_reopen,
            "can_calibrate": self.can_calibrate,
        }


def review_view(actor: Person | PersonRow, review: Review, reviewee: Person) -> ReviewView:
    """A review as the actor may see it, with what they may do to it and its history."""
    actor = person_of(actor)
    reviewer = Person.get_or_none(Person.id == review.reviewer_id)
    calibrator = Person.get_or_none(Person.id == review.calibrated_by_id) if review.calibrated_by_id else None
    handles: dict[int | None, str] = {p.id: p.handle for p in Person.select(Person.id, Person.handle)}
    history = [
        HistoryEntry(c.at, handles.get(c.actor_id), c.field, c.old, c.new)
        for c in Change.select()
        .where((Change.entity == "review") & (Change.entity_id == review.id) & (Change.field.in_(["rating", "state"])))
        .order_by(Change.id)
    ]
    mine = review.reviewer_id == actor.id
    if not mine:
        history = without_drafting(history)
    return ReviewView(
        id=review.id,
        kind=review.kind,
        reviewer=reviewer.handle if reviewer else None,
        reviewee=reviewee.handle,
        state=review.state,
        rating=review.rating,
        original_rating=review.original_rating,
        strengths=review.strengths,
        improvements=review.improvements,
        comments=review.comments,
        private=review.private,
        submitted_at=review.submitted_at,
        calibrated_by=calibrator.handle if calibrator else None,
        calibrated_at=review.calibrated_at,
        calibration_reason=review.calibration_reason,
        history=tuple(history),
        version=review.version,
        can_edit=mine and review.state == "draft",
        can_reopen=review.state != "draft" and can_reopen(actor, reviewee),
        can_calibrate=review.kind in CALIBRATED_KINDS and review.state != "draft" and can_calibrate(actor, reviewee),
    )


def without_drafting(history: list[Any]) -> list[Any]:
    """What others may see of a review's history: submissions, reopenings and
    calibrations, never the ratings its author tried while it was a draft. Entries are
    :class:`HistoryEntry` or change-log rows as dicts."""
    state = "draft"
    shown = []
    for entry in history:
        field, new = (entry["field"], entry["new"]) if isinstance(entry, Mapping) else (entry.field, entry.new)
        if field == "state":
            state = new or "draft"
            shown.append(entry)
        elif state != "draft":
            shown.append(entry)
    return shown


def visible_reviews(actor: Person | PersonRow, cycle_id: int, person: Person) -> tuple[ReviewView, ...]:
    actor = person_of(actor)
    found = Review.select().where((Review.cycle == cycle_id) & (Review.reviewee == person.id)).order_by(Review.id)
    return tuple(review_view(actor, r, person) for r in found if review_visible(actor, r, person))


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A task in a review workspace or a one-on-one: its dates as dates, the title of its
    goal, whether it is overdue; ``owner`` (a handle) in a one-on-one."""

    id: int
    title: str
    status: str
    priority: str | None
    deadline: date | None
    completed_at: date | None
    goal: str
    overdue: bool
    owner: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The review packet's shape (without the owner)."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "deadline": _iso(self.deadline) if self.deadline else None,
            "completed_at": _iso(self.completed_at) if self.completed_at else None,
            "goal": self.goal,
            "overdue": self.overdue,
        }


def _day(value: Any) -> date | None:
    """A date from what the driver gives for a date or a timestamp (a string on SQLite)."""
    return date.fromisoformat(str(value)[:10]) if value else None


def _task_line(task: tuple, goals: dict[int, str], today: date, owner: str | None = None) -> TaskLine:
    tid, title, status, deadline, completed, goal_id, priority = task
    deadline = _day(deadline)
    return TaskLine(
        tid,
        title,
        status,
        priority,
        deadline,
        _day(completed),
        goals.get(goal_id, "?"),
        is_overdue(deadline, status, today),
        owner,
    )


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """Whose review workspace it is: who they are and their manager's handle."""

    id: int
    handle: str
    name: str
    role: str
    manager: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "handle": self.handle, "name": self.name, "role": self.role, "manager": self.manager}


@dataclass(frozen=True, slots=True)
class WorkspaceGoal:
    """A goal the person owns, in their review workspace."""

    id: int
    title: str
    level: str
    progress: float
    measured: bool
    status: str
    behind: bool
    key_results: tuple[KeyResultView, ...]
    tasks_done: int
    tasks_total: int
    milestones: tuple[MilestoneView, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "progress": self.progress,
            "measured": self.measured,
            "status": self.status,
            "behind": self.behind,
            "key_results": [kr.as_dict() for kr in self.key_results],
            "tasks_done": self.tasks_done,
            "tasks_total": self.tasks_total,
            "milestones": [m.as_dict() for m in self.milestones],
        }


@dataclass(frozen=True, slots=True)
class Workspace:
    """A person's evidence for the cycle (goals, key results, tasks) beside the reviews
    the actor may read, and which reviews the actor may write."""

    person: PersonSummary
    cycle: CycleRow
    goals: tuple[WorkspaceGoal, ...]
    tasks_done: tuple[TaskLine, ...]
    tasks_open: int
    trouble: tuple[TaskLine, ...]
    reviews: tuple[ReviewView, ...]
    can_write: tuple[str, ...]
    write_note: str = ""  # why the actor writes no review here, when they write none

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the review packet's person entries hold this, less what the actor may do)."""
        return {
            "person": self.person.as_dict(),
            "cycle": {"id": self.cycle.id, "name": self.cycle.name, "state": self.cycle.state},
            "goals": [goal.as_dict() for goal in self.goals],
            "tasks_done": [task.as_dict() for task in self.tasks_done],
            "tasks_open": self.tasks_open,
            "trouble": [task.as_dict() for task in self.trouble],
            "reviews": [review.as_dict() for review in self.reviews],
            "can_write": list(self.can_write),
            "write_note": self.write_note,
        }


def workspace(
    actor: Person | PersonRow, cycle_id: int, person_id: int, today: date, tree: CycleTree | None = None
) -> Workspace:
    """A person's evidence for the cycle (goals, key results, tasks) beside the reviews
    the actor may read, and which reviews the actor may write."""
    actor = person_of(actor)
    person = get(Person, person_id)
    if not may_see_person(actor, person):
        raise PermissionDenied(f"@{actor.handle} may not see @{person.handle}'s review")
    cycle = get(Cycle, cycle_id)
    tree = tree if tree is not None and tree.cycle.id == cycle_id else load_tree(cycle_id, today)
    own = sorted(gid for gid in tree.nodes if tree.owner_id(gid) == person.id and not tree.nodes[gid].archived)
    results_of = key_results_of(own)
    goals = []
    for gid in own:
        line = tree.line(gid)
        goals.append(
            WorkspaceGoal(
                id=gid,
                title=line.title,
                level=line.level,
                progress=line.progress,
                measured=line.measured,
                status=line.status,
                behind=line.behind,
                key_results=tuple(results_of.get(gid, ())),
                tasks_done=line.execution.done,
                tasks_total=line.execution.total,
                milestones=milestones_of(gid, today),
            )
        )
    tasks = rows(
        "SELECT id, title, status, deadline, completed_at, goal_id, priority FROM task "
        "WHERE cycle_id = ? AND owner_id = ? ORDER BY completed_at DESC, deadline",
        [cycle_id, person.id],
    )
    goal_titles = {gid: tree.nodes[gid].title for gid in {t[5] for t in tasks} if gid in tree.nodes}
    done = [_task_line(t, goal_titles, today) for t in tasks if t[2] == "done"]
    open_ = [_task_line(t, goal_titles, today) for t in tasks if t[2] != "done"]
    trouble = [t for t in open_ if t.overdue or t.status == "blocked"]
    manager = Person.get_or_none(Person.id == person.manager_id) if person.manager_id else None
    writable, note = _writable(actor, person, cycle)
    return Workspace(
        person=PersonSummary(person.id, person.handle, person.name, person.role, manager.handle if manager else None),
        cycle=CycleRow.of(cycle),
        goals=tuple(goals),
        tasks_done=tuple(done),
        tasks_open=len(open_),
        trouble=tuple(trouble),
        reviews=visible_reviews(actor, cycle_id, person),
        can_write=tuple(writable),
        write_note=note,
    )


def _writable(actor: Person, person: Person, cycle: Cycle) -> tuple[list[str], str]:
    """The reviews of ``person`` the actor may start in the cycle, and when none, why."""
    if cycle.state == "closed":
        return [], f"{cycle.name} is closed, so its reviews are read-only until an admin reopens it"
    kinds = [k for k in ("self", "manager") if can_write_review(actor, person, k)]
    if "manager" in kinds:
        other = Review.get_or_none(
            (Review.cycle == cycle.id)
            & (Review.reviewee == person.id)
            & (Review.kind == "manager")
            & (Review.reviewer != actor.id)
        )
        if other is not None:
            kinds.remove("manager")
            if not kinds:
                writer = Person.get_or_none(Person.id == other.reviewer_id)
                return kinds, manager_review_taken(person, writer.handle if writer else None)
    if kinds:
        return kinds, ""
    return kinds, who_writes("manager", person)


@dataclass(frozen=True, slots=True)
class GoalPage:
    """One of the report's goals in a one-on-one: progress and pace, key results with
    their last check-ins, and the tasks behind it, overdue and blocked first."""

    id: int
    title: str
    level: str
    progress: float
    status: str
    behind: bool
    expected: float
    measured: bool
    key_results: tuple[KeyResultView, ...]
    tasks: tuple[TaskLine, ...]
    execution: Execution
    milestones: tuple[MilestoneView, ...] = ()


def walkthrough(
    actor: Person | PersonRow, report_id: int, cycle_id: int, today: date, tree: CycleTree | None = None
) -> tuple[GoalPage, ...]:
    """The report's goals one by one: progress, key results with their last check-ins,
    and the tasks behind each goal, overdue and blocked first."""
    actor = person_of(actor)
    report = get(Person, report_id)
    if not (is_manager_of(actor, report) or is_admin(actor) or actor.id == report.id):
        raise PermissionDenied(f"@{actor.handle} is not @{report.handle}'s manager")
    tree = tree if tree is not None and tree.cycle.id == cycle_id else load_tree(cycle_id, today)
    out = []
    own = sorted(g for g in tree.nodes if tree.owner_id(g) == report.id and not tree.nodes[g].archived)
    results_of = key_results_of(own)
    for gid in own:
        line = tree.line(gid)
        ids = subtree_ids(gid)
        found = rows(
            "SELECT t.id, t.title, t.status, t.deadline, t.completed_at, t.goal_id, t.priority, p.handle "
            f"FROM task t LEFT JOIN person p ON p.id = t.owner_id WHERE t.goal_id IN ({id_list(ids)})",
        )
        titles = {gid: line.title}
        tasks = [_task_line(task[:7], titles, today, task[7]) for task in found]
        tasks.sort(
            key=lambda t: (
                not t.overdue,
                t.status != "blocked",
                t.status == "done",
                t.deadline or date.max,
                t.id,
            )
        )
        out.append(
            GoalPage(
                id=gid,
                title=line.title,
                level=line.level,
                progress=line.progress,
                status=line.status,
                behind=line.behind,
                expected=line.expected,
                measured=line.measured,
                key_results=tuple(results_of.get(gid, ())),
                tasks=tuple(tasks),
                execution=line.execution,
                milestones=milestones_of(gid, today),
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ReportTask:
    """An open task the report owns in a one-on-one, wherever it hangs: the goal it
    serves (with that goal's owner, a handle, who may be someone else) and its milestone."""

    id: int
    title: str
    status: str
    priority: str | None
    deadline: date | None
    overdue: bool
    goal_id: int
    goal: str
    goal_owner: str | None
    milestone: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "deadline": _iso(self.deadline) if self.deadline else None,
            "overdue": self.overdue,
            "goal_id": self.goal_id,
            "goal": self.goal,
            "goal_owner": self.goal_owner,
            "milestone": self.milestone,
        }


def report_tasks(actor: Person | PersonRow, report_id: int, cycle_id: int, today: date) -> tuple[ReportTask, ...]:
    """Every open task the report owns in the cycle, under their own goals or anyone
    else's: overdue and blocked first, then by deadline (none last), then priority."""
    actor = person_of(actor)
    report = get(Person, report_id)
    if not (is_manager_of(actor, report) or is_admin(actor) or actor.id == report.id):
        raise PermissionDenied(f"@{actor.handle} is not @{report.handle}'s manager")
    found = rows(
        "SELECT t.id, t.title, t.status, t.priority, t.deadline, t.goal_id, g.title, p.handle, m.title "
        "FROM task t JOIN goal g ON g.id = t.goal_id LEFT JOIN person p ON p.id = g.owner_id "
        "LEFT JOIN milestone m ON m.id = t.milestone_id "
        "WHERE t.owner_id = ? AND t.cycle_id = ? AND t.status <> 'done'",
        [report.id, cycle_id],
    )
    tasks = []
    for tid, title, status, priority, deadline, goal_id, goal, owner, milestone in found:
        day = _day(deadline)
        late = is_overdue(day, status, today)
        tasks.append(ReportTask(tid, title, status, priority, day, late, goal_id, goal, owner, milestone))
    tasks.sort(
        key=lambda t: (
            not t.overdue,
            t.status != "blocked",
            t.deadline or date.max,
            PRIORITY_RANK.get(t.priority, 4),
            t.id,
        )
    )
    return tuple(tasks)


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """A one-on-one: its day, the two people (by id), the shared notes."""

    id: int
    date: date
    manager_id: int
    report_id: int
    notes: str
    version: int

    @classmethod
    def of(cls, meeting: OneOnOne) -> MeetingRow:
        return cls(meeting.id, meeting.date, meeting.manager_id, meeting.report_id, meeting.notes, meeting.version)


@dataclass(frozen=True, slots=True)
class PointRow:
    """A talking point (an action item when it has a task)."""

    id: int
    text: str
    private: bool
    done: bool
    author_id: int | None
    task_id: int | None
    version: int
    position: int


@dataclass(frozen=True, slots=True)
class MeetingView:
    """A one-on-one as one of its people (or an admin) sees it: the meeting, both people,
    the talking points they may see, the report's goals in the cycle and every open task
    the report owns there, under whoever's goal."""

    meeting: MeetingRow
    manager: PersonRow
    report: PersonRow
    points: tuple[PointRow, ...]
    goals: tuple[GoalPage, ...]
    tasks: tuple[ReportTask, ...] = ()  # the report's open tasks, wherever they hang

    def other(self, person_id: int) -> PersonRow:
        """Whom ``person_id`` meets: the manager for the report, else the report."""
        return self.manager if person_id == self.meeting.report_id else self.report


def latest_meeting(actor: Person | PersonRow, report_id: int, on: date | None = None) -> OneOnOne | None:
    """The actor's latest one-on-one with the report (or the one on a date)."""
    actor = person_of(actor)
    query = OneOnOne.select().where(
        ((OneOnOne.manager == actor.id) & (OneOnOne.report == report_id))
        | ((OneOnOne.report == actor.id) & (OneOnOne.manager == report_id))
    )
    if on is not None:
        query = query.where(OneOnOne.date == on)
    return query.order_by(OneOnOne.date.desc(), OneOnOne.id.desc()).first()


def latest_as_report(actor: Person | PersonRow, manager_id: int | None = None) -> OneOnOne:
    """The latest one-on-one ``actor`` had as the report (with ``manager_id``, when given)."""
    actor = person_of(actor)
    query = OneOnOne.select().where(OneOnOne.report == actor.id)
    if manager_id is not None:
        query = query.where(OneOnOne.manager == manager_id)
    meeting = query.order_by(OneOnOne.date.desc(), OneOnOne.id.desc()).first()
    if meeting is None:
        raise PermissionDenied("no one-on-one yet: your manager starts one from their review pane")
    return meeting


def goal_title(goal_id: int) -> str:
    goal = Goal.get_or_none(Goal.id == goal_id)
    return goal.title if goal else "?"


def open_task_titles(task_ids: list[int]) -> dict[int, tuple[str, str]]:
    return {t.id: (t.title, t.status) for t in Task.select().where(Task.id.in_(task_ids or [0]))}
