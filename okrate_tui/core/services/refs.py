"""Resolve what a caller names (a record, an id or a handle) into records, gathering
errors per field."""

from __future__ import annotations

from typing import Any, TypeVar

from peewee import CharField

from okrate_tui.core.errors import NotFoundError
from okrate_tui.core.grammar import owner_handle
from okrate_tui.core.models import ENTITY_NAMES, BaseModel, Cycle, Goal, KeyResult, Milestone, Person, Team
from okrate_tui.core.text import echo
from okrate_tui.core.validation import ID_MAX, Checker, id_of
from okrate_tui.core.writes import get

M = TypeVar("M", bound=BaseModel)

# The records also named by their (unique) name.
_NAMED: dict[type[BaseModel], CharField[str]] = {Team: Team.name, Cycle: Cycle.name}


def _by_key(model: type[M], value: Any) -> M:
    if isinstance(value, model):
        return value
    if isinstance(value, bool):
        raise NotFoundError(model.__name__.lower(), value)
    if isinstance(value, int):
        return get(model, value)
    if isinstance(value, str) and (ident := id_of(value)) is not None:
        if ident > ID_MAX:
            raise NotFoundError(ENTITY_NAMES.get(model, model.__name__.lower()), echo(value, 40))
        return get(model, ident)
    if model is Person:
        key = str(value).strip().lstrip("@").lower()
        person = model.get_or_none(Person.handle == key)
        if person is None:
            raise NotFoundError("person", f"@{key}" if key else "(empty)")
        return person
    name = _NAMED.get(model)
    if name is not None:
        found = model.get_or_none(name == str(value).strip())
        if found is None:
            raise NotFoundError(model.__name__.lower(), f"'{value}'")
        return found
    raise NotFoundError(model.__name__.lower(), f"'{value}'")


def resolve(check: Checker, field: str, model: type[M], value: Any, *, optional: bool = True) -> M | None:
    """The record ``value`` names, ``None`` for empty (when optional), else a field error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if not optional:
            check.fail(field, "is required")
        return None
    try:
        return _by_key(model, value)
    except NotFoundError as exc:
        check.fail(field, str(exc))
        return None


def person(check: Checker, field: str, value: Any, *, me: Person | None = None, nobody: bool = True) -> Person | None:
    """The person an owner-like value names: a record, an id, or a typed owner
    (``@ana``, ``ana``, ``me`` for ``me``, and ``none`` / ``-`` / empty for nobody)."""
    if isinstance(value, str) and id_of(value) is None:
        try:
            handle = owner_handle(value, me=me.handle if me is not None else None, nobody=nobody)
        except ValueError as exc:
            check.fail(field, str(exc))
            return None
        if handle is None:
            return None
        value = handle
    found = resolve(check, field, Person, value)
    if found is not None and not found.active:
        check.fail(field, f"@{found.handle} is no longer active")
    return found


def goal(check: Checker, field: str, value: Any, *, optional: bool = False) -> Goal | None:
    return resolve(check, field, Goal, value, optional=optional)


def milestone(check: Checker, field: str, value: Any) -> Milestone | None:
    return resolve(check, field, Milestone, value)


def key_result(check: Checker, field: str, value: Any) -> KeyResult | None:
    return resolve(check, field, KeyResult, value, optional=False)
