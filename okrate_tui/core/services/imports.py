"""Write an import's plan: every row through the task (and goal) services, in one
transaction, all rows or none."""

from __future__ import annotations

from typing import Any

from okrate_tui.core.errors import OkrateError, ValidationError
from okrate_tui.core.imports.plan import Draft, ImportRefused, Outcome, Plan, RowError, Step
from okrate_tui.core.models import Person, Task, db
from okrate_tui.core.services.goals import create_goal
from okrate_tui.core.services.tasks import changed_fields, create_task, edit_task
from okrate_tui.core.writes import get, snapshot, writes

SHOWN = ("title", "status", "priority", "deadline", "owner", "goal", "milestone", "objective", "context")


class _RolledBack(Exception):
    """A dry run got through every row: undo it all, keep what it would have done."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome


def apply_plan(actor: Person, plan: Plan, *, dry_run: bool = False) -> Outcome:
    """Create and update what ``plan`` says as ``actor``; raise :class:`ImportRefused`
    with every row's errors (reading and writing ones) when any row fails. A dry run
    does the same work and rolls it back, so it refuses exactly what the import would."""
    try:
        return _apply(actor, plan, dry_run)
    except _RolledBack as done:
        return done.outcome


@writes
def _apply(actor: Person, plan: Plan, dry_run: bool) -> Outcome:
    outcome = Outcome(dry_run)
    errors = list(plan.errors)
    failed = {e.row for e in errors}
    goals = _create_goals(actor, plan, outcome, errors)
    for draft in plan.drafts:
        if draft.skip:
            outcome.steps.append(Step(draft.row, "skip", f"“{draft.label}”: {draft.skip}"))
            continue
        if draft.row in failed:
            continue
        if draft.project is not None:
            if draft.project not in goals:
                continue  # the goal could not be made: its rows carry the error
            draft.fields["goal"] = goals[draft.project]
        try:
            with db.atomic():  # a savepoint: a failing row leaves nothing behind
                outcome.steps.append(_write(actor, draft))
        except ValidationError as exc:
            errors += [RowError(draft.row, draft.column(f), m) for f, m in exc.errors.items()]
        except OkrateError as exc:
            errors.append(RowError(draft.row, "", str(exc)))
    if errors:
        raise ImportRefused(errors)
    if dry_run:
        raise _RolledBack(outcome)
    return outcome


def _create_goals(actor: Person, plan: Plan, outcome: Outcome, errors: list[RowError]) -> dict[str, int]:
    made: dict[str, int] = {}
    for name in plan.new_goals:
        rows = [d.row for d in plan.drafts if d.project == name and not d.skip]
        if not rows:
            continue
        try:
            with db.atomic():
                goal = create_goal(actor, name, parent=plan.parent, owner=actor)
        except OkrateError as exc:
            reason = "; ".join(f"{f} {m}" for f, m in exc.errors.items()) if isinstance(exc, ValidationError) else exc
            errors += [RowError(r, "project", f"no goal for '{name}': {reason}") for r in rows]
            continue
        made[name] = goal.id
        where = f"under goal {plan.parent}" if plan.parent else f"in cycle {goal.cycle.name}"
        outcome.steps.append(Step(rows[0], "goal", f"“{goal.title}” {where}, owned by @{actor.handle}", goal.id))
    return made


def _write(actor: Person, draft: Draft) -> Step:
    fields = dict(draft.fields)
    if draft.task_id is None:
        title = fields.pop("title", "")
        status = fields.pop("status", None) or "todo"
        task = create_task(actor, title, status=status, **fields)
        done_at = task.completed_at
        if task.status == "done" and draft.finished is not None and done_at is not None and draft.finished <= done_at:
            task.completed_at = draft.finished  # finished then, not when it was imported
            Task.update(completed_at=draft.finished).where(Task.id == task.id).execute()
        facts = [task.status]
        if task.owner_id is not None:
            facts.append(_shown("owner", task.owner_id))
        if task.priority:
            facts.append(task.priority)
        if task.deadline:
            facts.append(f"due {task.deadline.isoformat()}")
        goal = f"goal “{draft.project}”" if draft.project else f"goal {task.goal_id}"
        return Step(draft.row, "add", f"“{task.title}” → {goal} ({', '.join(facts)})", task.id)
    current = get(Task, draft.task_id)
    if not changed_fields(actor, current, fields):  # nothing to write: even a closed cycle's task is fine
        return Step(draft.row, "unchanged", f"task {current.id} “{current.title}”: no change", current.id)
    before = snapshot(current)
    task = edit_task(actor, draft.task_id, draft.version, **fields)
    after = snapshot(task)
    changed = [f for f in SHOWN if before[f] != after[f]]
    if not changed:
        return Step(draft.row, "unchanged", f"task {task.id} “{task.title}”: no change", task.id)
    detail = ", ".join(f"{f} {_shown(f, before[f])} → {_shown(f, after[f])}" for f in changed)
    return Step(draft.row, "update", f"task {task.id}: {detail}", task.id)


def _shown(field: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if field == "owner":
        person = Person.get_or_none(Person.id == value)
        return f"@{person.handle}" if person else str(value)
    if field == "goal":
        return f"goal {value}"
    if field in ("title", "objective", "context"):
        text = str(value).replace("\n", " ")
        return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"
    return str(getattr(value, "isoformat", lambda: value)())
