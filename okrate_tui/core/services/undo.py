"""Undo: reverse one logged service call through the services' own machinery, so the
change log stays true (the undo is itself a logged change)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import peewee

from okrate_tui.core.errors import ConflictError, NotFoundError, ValidationError
from okrate_tui.core.models import ENTITY_MODELS, BaseModel, Change, CheckIn, Goal, KeyResult, Milestone, Person, Task
from okrate_tui.core.services.cycles import ensure_open
from okrate_tui.core.services.tasks import delete_task, restore_task
from okrate_tui.core.writes import _raw, apply_edit, to_text, writes


def from_text(model: type[BaseModel], field: str, text: str | None) -> Any:
    """A change-log value back as the field's Python value."""
    if text is None:
        return None
    kind = model._meta.fields[field]
    if isinstance(kind, peewee.ForeignKeyField | peewee.IntegerField):
        return int(text)
    if isinstance(kind, peewee.BooleanField):
        return text == "true"
    if isinstance(kind, peewee.FloatField):
        return float(text)
    if isinstance(kind, peewee.DateTimeField):
        return datetime.fromisoformat(text)
    if isinstance(kind, peewee.DateField):
        return date.fromisoformat(text)
    return text


def cycle_of(record: BaseModel) -> int | None:
    """The cycle a record's goal or task lives in (None for people, teams, meetings)."""
    if isinstance(record, Task | Goal):
        return record.cycle_id
    goal_id = None
    if isinstance(record, Milestone | KeyResult):
        goal_id = record.goal_id
    elif isinstance(record, CheckIn):
        result = KeyResult.get_or_none(KeyResult.id == record.key_result_id)
        goal_id = result.goal_id if result is not None else None
    goal = Goal.get_or_none(Goal.id == goal_id) if goal_id is not None else None
    return goal.cycle_id if goal is not None else None


@writes
def undo_op(actor: Person, op: str) -> str:
    """Reverse every change of one logged call; refuses when someone changed the same
    fields since. Returns a short description of what was undone."""
    changes = list(Change.select().where(Change.op == op).order_by(Change.id.desc()))
    if not changes:
        raise ValidationError.single("undo", "there is nothing to undo")
    done: list[str] = []
    by_record: dict[tuple[str, int], list[Change]] = {}
    for change in changes:
        by_record.setdefault((change.entity, change.entity_id), []).append(change)
    for (entity, ident), entries in by_record.items():
        model = ENTITY_MODELS[entity]
        fields = {c.field for c in entries}
        if "@delete" in fields:
            if model is not Task:
                noun = entity.replace("_", " ")
                raise ValidationError.single("undo", f"a deleted {noun} cannot be brought back by undo")
            kept = next(c.old for c in entries if c.field == "@delete")
            if kept is None:
                raise ValidationError.single("undo", f"the deleted {entity} {ident} left no copy to bring back")
            copy = json.loads(kept)
            restore_task(actor, {k: from_text(Task, k, v) for k, v in copy.items() if k in Task._meta.fields})
            done.append(f"restored {entity} {ident}")
            continue
        record = model.get_or_none(model._meta.primary_key == ident)
        if record is None:
            raise NotFoundError(entity, ident)
        cycle = cycle_of(record)
        if cycle is not None:
            ensure_open(cycle)  # a closed cycle is read-only, undo included
        if "@create" in fields:
            if model is not Task:
                noun = entity.replace("_", " ")
                raise ValidationError.single("undo", f"a new {noun} is not undone: delete or archive it instead")
            created = next(c for c in entries if c.field == "@create")
            others = Change.select().where(
                (Change.entity == entity)
                & (Change.entity_id == ident)
                & (Change.id > created.id)
                & (Change.actor != actor.id)
            )
            touched = {c.field for c in others}
            if touched:
                raise ConflictError(entity, ident, touched, {})
            delete_task(actor, ident, None)  # only the actor changed it since adding it
            done.append(f"removed new {entity} {ident}")
            continue
        clash = {c.field for c in entries if to_text(_raw(record, c.field)) != c.new}
        if clash:
            raise ConflictError(entity, ident, clash, {f: _raw(record, f) for f in clash})
        old = {c.field: from_text(model, c.field, c.old) for c in entries}
        apply_edit(record, None, old)
        done.append(f"{entity} {ident}: {', '.join(sorted(old))}")
    return "; ".join(done)
