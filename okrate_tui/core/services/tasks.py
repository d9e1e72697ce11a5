"""Tasks: the work that moves a goal. Create, edit, move, reorder, complete, delete."""

from __future__ import annotations

from typing import Any

from peewee import fn

from okrate_tui.core import clock
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.grammar import parse_priority
from okrate_tui.core.models import Goal, Milestone, Person, Task
from okrate_tui.core.permissions import authorize
from okrate_tui.core.rows import tuples
from okrate_tui.core.services import refs
from okrate_tui.core.services.cycles import ensure_open
from okrate_tui.core.validation import Checker, clean_text, clean_title, parse_choice, parse_date
from okrate_tui.core.vocab import TASK_STATUSES
from okrate_tui.core.writes import apply_edit, check_version, get, log, snapshot, writes

EDITABLE = {"title", "objective", "context", "owner", "deadline", "priority", "goal", "milestone"}
_MIN_GAP = 1e-6


def _task_fields(check: Checker, values: dict[str, Any], actor: Person) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in values:
        out["title"] = check("title", clean_title, values["title"])
    for name in ("objective", "context"):
        if name in values:
            out[name] = check(name, clean_text, values[name])
    if "owner" in values:
        out["owner"] = refs.person(check, "owner", values["owner"], me=actor)
    if "deadline" in values:
        out["deadline"] = check("deadline", parse_date, values["deadline"])
    if "priority" in values:
        out["priority"] = check("priority", parse_priority, values["priority"])
    if "goal" in values:
        goal = refs.goal(check, "goal", values["goal"])
        if goal is not None and goal.archived:
            check.fail("goal", f"goal {goal.id} is archived")
        out["goal"] = goal
    if "milestone" in values:
        out["milestone"] = refs.milestone(check, "milestone", values["milestone"])
    return out


def _check_milestone(check: Checker, goal: Goal | None, milestone: Milestone | None) -> None:
    if goal is not None and milestone is not None and milestone.goal_id != goal.id:
        check.fail("milestone", f"milestone {milestone.id} belongs to another goal")


def _edge(status: str, top: bool) -> float:
    """A position above the first (or below the last) card of a column."""
    if top:
        low = Task.select(fn.MIN(Task.position)).where(Task.status == status).scalar()
        return (low if low is not None else 1.0) - 1.0
    high = Task.select(fn.MAX(Task.position)).where(Task.status == status).scalar()
    return (high if high is not None else 0.0) + 1.0


def _renumber(status: str) -> None:
    """Spread a column's positions out again when two cards got too close."""
    ids = [
        row[0] for row in tuples(Task.select(Task.id).where(Task.status == status).order_by(Task.position, Task.id))
    ]  # read them all first: updating while iterating would revisit rows
    for index, task_id in enumerate(ids):
        Task.update(position=float(index + 1)).where(Task.id == task_id).execute()


def _position(status: str, after: Task | None, before: Task | None, *, moving: int | None) -> float:
    """A position in ``status`` just below ``after`` and/or just above ``before``."""
    for neighbour, name in ((after, "after"), (before, "before")):
        if neighbour is not None and neighbour.status != status:
            raise ValidationError.single(name, f"task {neighbour.id} is not in {status}")
    if after is None and before is None:
        return _edge(status, top=True)
    others = Task.select(Task.position).where((Task.status == status) & (Task.id != (moving or 0)))
    if after is not None and before is None:
        nxt: float | None = others.where(Task.position > after.position).order_by(Task.position).limit(1).scalar()
        if nxt is None:
            return after.position + 1.0
        low, high = after.position, nxt
    elif before is not None and after is None:
        prv: float | None = (
            others.where(Task.position < before.position).order_by(Task.position.desc()).limit(1).scalar()
        )
        if prv is None:
            return before.position - 1.0
        low, high = prv, before.position
    else:
        assert after is not None and before is not None
        low, high = after.position, before.position
    if high - low < _MIN_GAP:
        _renumber(status)
        return _position(
            status,
            get(Task, after.id) if after else None,
            get(Task, before.id) if before else None,
            moving=moving,
        )
    return (low + high) / 2


@writes
def create_task(
    actor: Person,
    title: str,
    *,
    goal: Any = None,
    milestone: Any = None,
    objective: str = "",
    context: str = "",
    owner: Any = None,
    deadline: Any = None,
    priority: Any = None,
    status: str = "todo",
) -> Task:
    """Add a task under a goal (or a milestone, whose goal it then serves)."""
    authorize(actor, "task.create")
    check = Checker()
    values: dict[str, Any] = {
        "title": title,
        "objective": objective,
        "context": context,
        "owner": owner,
        "deadline": deadline,
        "priority": priority,
        "milestone": milestone,
    }
    if goal is not None or milestone is None:
        values["goal"] = goal
    fields = _task_fields(check, values, actor)
    if fields.get("goal") is None and fields.get("milestone") is not None:
        fields["goal"] = get(Goal, fields["milestone"].goal_id)
    _check_milestone(check, fields.get("goal"), fields.get("milestone"))
    state = check("status", parse_choice, status, TASK_STATUSES)
    check.done()
    ensure_open(fields["goal"].cycle_id)
    now = clock.now()
    task = Task.create(
        **fields,
        cycle=fields["goal"].cycle_id,
        status=state,
        position=_edge(state, top=False),
        created_by=actor,
        created_at=now,
        updated_at=now,
        completed_at=now if state == "done" else None,
    )
    log().created(task, task.title)
    return task


@writes
def edit_task(actor: Person, task_id: int, version: int | None, **changes: Any) -> Task:
    """Change any of a task's fields; a ``status`` change is a move."""
    authorize(actor, "task.edit")
    task = get(Task, task_id)
    ensure_open(task.cycle_id)
    status = changes.pop("status", None)
    check = Checker()
    for field in set(changes) - EDITABLE:
        check.fail(field, "cannot be changed here")
    fields = _task_fields(check, changes, actor)
    goal = fields.get("goal") or (get(Goal, task.goal_id) if "milestone" in fields else None)
    milestone = fields.get("milestone", ...)
    if "goal" in fields and milestone is ... and task.milestone_id is not None:
        current = get(Milestone, task.milestone_id)
        if fields["goal"] is not None and current.goal_id != fields["goal"].id:
            fields["milestone"] = None  # the old milestone belongs to the old goal
    elif milestone is not ...:
        _check_milestone(check, goal, milestone)
    if status is not None:
        check("status", parse_choice, status, TASK_STATUSES)
    check.done()
    if status is not None and status != task.status:
        task = move_task(actor, task.id, version, status)
    extra = {"cycle": fields["goal"].cycle_id} if fields.get("goal") is not None else None
    return apply_edit(task, version, fields, extra=extra)


@writes
def move_task(
    actor: Person,
    task_id: int,
    version: int | None,
    status: str,
    *,
    after: int | None = None,
    before: int | None = None,
) -> Task:
    """Move a task to a column, at the top unless ``after``/``before`` name neighbours."""
    authorize(actor, "task.move")
    task = get(Task, task_id)
    ensure_open(task.cycle_id)
    check = Checker()
    state = check("status", parse_choice, status, TASK_STATUSES)
    check.done()
    assert state is not None
    neighbours = [get(Task, i) if i is not None else None for i in (after, before)]
    extra: dict[str, Any] = {"position": _position(state, *neighbours, moving=task.id)}
    if state == "done" and task.status != "done":
        extra["completed_at"] = clock.now()
    elif state != "done":
        extra["completed_at"] = None
    return apply_edit(task, version, {"status": state}, extra=extra)


@writes
def reorder_task(
    actor: Person,
    task_id: int,
    version: int | None,
    *,
    after: int | None = None,
    before: int | None = None,
) -> Task:
    """Place a task between neighbours within its own column."""
    authorize(actor, "task.move")
    task = get(Task, task_id)
    ensure_open(task.cycle_id)
    check_version_of_position(task, version)
    neighbours = [get(Task, i) if i is not None else None for i in (after, before)]
    position = _position(task.status, *neighbours, moving=task.id)
    return apply_edit(task, None, {"position": position})


def check_version_of_position(task: Task, version: int | None) -> None:
    """A reorder conflicts only with another change of the same card's place."""
    if version is not None and task.version != version:
        from okrate_tui.core.writes import fields_changed_since

        if fields_changed_since(task, version) & {"position", "status"}:
            check_version(task, version)


def complete_task(actor: Person, task_id: int, version: int | None) -> Task:
    return move_task(actor, task_id, version, "done")


def reopen_task(actor: Person, task_id: int, version: int | None) -> Task:
    return move_task(actor, task_id, version, "todo")


@writes
def delete_task(actor: Person, task_id: int, version: int | None) -> dict[str, Any]:
    """Delete a task; the change log keeps a full copy so it can be restored."""
    authorize(actor, "task.delete")
    task = get(Task, task_id)
    ensure_open(task.cycle_id)
    check_version(task, version)
    copy = snapshot(task)
    log().deleted(task, copy)
    task.delete_instance()
    return copy


@writes
def restore_task(actor: Person, copy: dict[str, Any]) -> Task:
    """Bring a deleted task back from its copy (same id when it is still free)."""
    authorize(actor, "task.create")
    check = Checker()
    goal = refs.goal(check, "goal", copy.get("goal"))
    check.done()
    assert goal is not None
    ensure_open(goal.cycle_id)
    data = {k: v for k, v in copy.items() if k in Task._meta.fields}
    data["goal"] = goal
    data["cycle"] = goal.cycle_id if goal is not None else None
    if data.get("milestone") and not Milestone.get_or_none(Milestone.id == data["milestone"]):
        data["milestone"] = None
    if data.get("owner") and not Person.get_or_none(Person.id == data["owner"]):
        data["owner"] = None
    if Task.get_or_none(Task.id == data.get("id")) is not None:
        data.pop("id", None)
    data["version"] = int(data.get("version") or 1) + 2  # past the delete's own entry
    task = Task.create(**data)
    log().restored(task, task.title)
    return task


def changed_fields(actor: Person, task: Task, changes: dict[str, Any]) -> set[str]:
    """Which of ``changes`` would change ``task`` (read only; a value that does not
    validate counts as a change, so that editing says what is wrong with it)."""
    check = Checker()
    values = {k: v for k, v in changes.items() if k in EDITABLE}
    fields = _task_fields(check, values, actor)
    out = {f for f in values if f in check.errors}
    out |= {f for f, v in fields.items() if f not in check.errors and _stored(task, f) != _id_of(v)}
    if "status" in changes:
        try:
            if parse_choice(changes["status"], TASK_STATUSES) != task.status:
                out.add("status")
        except ValueError:
            out.add("status")
    return out


def _stored(task: Task, field: str) -> Any:
    return task.__data__.get(field) if field in ("goal", "owner", "milestone") else getattr(task, field)


def _id_of(value: Any) -> Any:
    return value.get_id() if isinstance(value, Goal | Person | Milestone) else value
