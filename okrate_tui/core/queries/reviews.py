"""What the cycle review pane shows: people, a person's evidence and reviews, and a
one-on-one walkthrough. Every function takes the acting person and returns only what
they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from okrate_tui.core.access import can_calibrate, can_reopen, can_write_review, review_visible
from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.models import Change, Cycle, Goal, OneOnOne, Person, Review, Task, Team
from okrate_tui.core.permissions import is_admin, is_manager_of
from okrate_tui.core.queries.details import key_results_of
from okrate_tui.core.queries.goals import subtree_ids
from okrate_tui.core.queries.sql import id_list, rows
from okrate_tui.core.queries.tree import CycleTree, load_tree
from okrate_tui.core.rules.health import is_overdue
from okrate_tui.core.writes import get


def visible_people(actor: Person) -> list[Person]:
    """Whom ``actor`` reviews or is reviewed by: everyone for admins, the reporting line
    below a manager (and themself), just themself for a member."""
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


def may_see_person(actor: Person, person: Person) -> bool:
    return actor.id == person.id or is_admin(actor) or is_manager_of(actor, person)


@dataclass(frozen=True)
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


def people_overview(actor: Person, cycle_id: int, today: date, tree: CycleTree | None = None) -> list[ReviewRow]:
    """The people ``actor`` may see, with goal progress, tasks and review states."""
    tree = tree if tree is not None and tree.cycle.id == cycle_id else load_tree(cycle_id, today)
    people = visible_people(actor)
    teams = {t.id: t.name for t in Team.select()}
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


def review_dict(actor: Person, review: Review, reviewee: Person) -> dict[str, Any]:
    """A review as the actor may see it, with what they may do to it and its history."""
    reviewer = Person.get_or_none(Person.id == review.reviewer_id)
    calibrator = Person.get_or_none(Person.id == review.calibrated_by_id) if review.calibrated_by_id else None
    history = [
        {"at": c.at, "by": c.actor_id, "field": c.field, "old": c.old, "new": c.new}
        for c in Change.select()
        .where((Change.entity == "review") & (Change.entity_id == review.id) & (Change.field.in_(["rating", "state"])))
        .order_by(Change.id)
    ]
    handles = {p.id: p.handle for p in Person.select(Person.id, Person.handle)}
    for entry in history:
        entry["by"] = handles.get(entry["by"])
    mine = review.reviewer_id == actor.id
    if not mine:
        history = without_drafting(history)
    return {
        "id": review.id,
        "kind": review.kind,
        "reviewer": reviewer.handle if reviewer else None,
        "reviewee": reviewee.handle,
        "state": review.state,
        "rating": review.rating,
        "original_rating": review.original_rating,
        "strengths": review.strengths,
        "improvements": review.improvements,
        "comments": review.comments,
        "private": review.private,
        "submitted_at": review.submitted_at,
        "calibrated_by": calibrator.handle if calibrator else None,
        "calibrated_at": review.calibrated_at,
        "calibration_reason": review.calibration_reason,
        "history": history,
        "version": review.version,
        "can_edit": mine and review.state == "draft",
        "can_reopen": review.state != "draft" and can_reopen(actor, reviewee),
        "can_calibrate": review.state != "draft" and can_calibrate(actor, reviewee),
    }


def without_drafting(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What others may see of a review's history: submissions, reopenings and
    calibrations, never the ratings its author tried while it was a draft."""
    state = "draft"
    shown = []
    for entry in history:
        if entry["field"] == "state":
            state = entry["new"] or "draft"
            shown.append(entry)
        elif state != "draft":
            shown.append(entry)
    return shown


def visible_reviews(actor: Person, cycle_id: int, person: Person) -> list[dict[str, Any]]:
    found = Review.select().where((Review.cycle == cycle_id) & (Review.reviewee == person.id)).order_by(Review.id)
    return [review_dict(actor, r, person) for r in found if review_visible(actor, r, person)]


def _task_row(task: tuple, goals: dict[int, str], today: date) -> dict[str, Any]:
    tid, title, status, deadline, completed, goal_id, priority = task
    deadline = date.fromisoformat(str(deadline)[:10]) if deadline else None
    return {
        "id": tid,
        "title": title,
        "status": status,
        "priority": priority,
        "deadline": deadline.isoformat() if deadline else None,
        "completed_at": str(completed)[:10] if completed else None,
        "goal": goals.get(goal_id, "?"),
        "overdue": is_overdue(deadline, status, today),
    }


def workspace(
    actor: Person, cycle_id: int, person_id: int, today: date, tree: CycleTree | None = None
) -> dict[str, Any]:
    """A person's evidence for the cycle (goals, key results, tasks) beside the reviews
    the actor may read, and which reviews the actor may write."""
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
            {
                "id": gid,
                "title": line.title,
                "level": line.level,
                "progress": line.progress,
                "measured": line.measured,
                "status": line.status,
                "behind": line.behind,
                "key_results": results_of.get(gid, []),
                "tasks_done": line.execution.done,
                "tasks_total": line.execution.total,
            }
        )
    tasks = rows(
        "SELECT id, title, status, deadline, completed_at, goal_id, priority FROM task "
        "WHERE cycle_id = ? AND owner_id = ? ORDER BY completed_at DESC, deadline",
        [cycle_id, person.id],
    )
    goal_titles = {gid: tree.nodes[gid].title for gid in {t[5] for t in tasks} if gid in tree.nodes}
    done = [_task_row(t, goal_titles, today) for t in tasks if t[2] == "done"]
    open_ = [_task_row(t, goal_titles, today) for t in tasks if t[2] != "done"]
    trouble = [t for t in open_ if t["overdue"] or t["status"] == "blocked"]
    manager = Person.get_or_none(Person.id == person.manager_id) if person.manager_id else None
    writable = [] if cycle.state == "closed" else [k for k in ("self", "manager") if can_write_review(actor, person, k)]
    return {
        "person": {
            "id": person.id,
            "handle": person.handle,
            "name": person.name,
            "role": person.role,
            "manager": manager.handle if manager else None,
        },
        "cycle": {"id": cycle.id, "name": cycle.name, "state": cycle.state},
        "goals": goals,
        "tasks_done": done,
        "tasks_open": len(open_),
        "trouble": trouble,
        "reviews": visible_reviews(actor, cycle_id, person),
        "can_write": writable,
    }


def walkthrough(actor: Person, report_id: int, cycle_id: int, today: date, tree: CycleTree | None = None) -> list[dict]:
    """The report's goals one by one: progress, key results with their last check-ins,
    and the tasks behind each goal, overdue and blocked first."""
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
        tasks = []
        for task in found:
            row = _task_row(task[:7], titles, today)
            row["owner"] = task[7]
            tasks.append(row)
        tasks.sort(
            key=lambda t: (
                not t["overdue"],
                t["status"] != "blocked",
                t["status"] == "done",
                t["deadline"] or "9999",
                t["id"],
            )
        )
        out.append(
            {
                "id": gid,
                "title": line.title,
                "level": line.level,
                "progress": line.progress,
                "status": line.status,
                "behind": line.behind,
                "expected": line.expected,
                "measured": line.measured,
                "key_results": results_of.get(gid, []),
                "tasks": tasks,
                "execution": line.execution,
            }
        )
    return out


def latest_meeting(actor: Person, report_id: int, on: date | None = None) -> OneOnOne | None:
    """The actor's latest one-on-one with the report (or the one on a date)."""
    query = OneOnOne.select().where(
        ((OneOnOne.manager == actor.id) & (OneOnOne.report == report_id))
        | ((OneOnOne.report == actor.id) & (OneOnOne.manager == report_id))
    )
    if on is not None:
        query = query.where(OneOnOne.date == on)
    return query.order_by(OneOnOne.date.desc(), OneOnOne.id.desc()).first()


def latest_as_report(actor: Person) -> OneOnOne:
    """The latest one-on-one ``actor`` had as the report."""
    meeting = (
        OneOnOne.select().where(OneOnOne.report == actor.id).order_by(OneOnOne.date.desc(), OneOnOne.id.desc()).first()
    )
    if meeting is None:
        raise PermissionDenied("no one-on-one yet: your manager starts one from their review pane")
    return meeting


def goal_title(goal_id: int) -> str:
    goal = Goal.get_or_none(Goal.id == goal_id)
    return goal.title if goal else "?"


def open_task_titles(task_ids: list[int]) -> dict[int, tuple[str, str]]:
    return {t.id: (t.title, t.status) for t in Task.select().where(Task.id.in_(task_ids or [0]))}
