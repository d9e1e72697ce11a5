"""Who may do what. Every service asks here before it writes.

- An inactive person may do nothing.
- Organisation set-up (teams, people) needs a manager or an admin; cycles an admin.
- A goal, its key results, milestones and check-ins are changed by its owner, anyone
  above the owner in the reporting line, or an admin; a goal without an owner by any
  manager. A check-in may also be corrected by its author. Anyone may add a goal of
  their own under any goal; top-level goals need a manager or an admin.
- Tasks are open to every active person: the work is shared.
Review visibility rules live beside reviews.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.models import Person

SETUP_ACTIONS = frozenset({"team.create", "person.create", "person.edit"})
ADMIN_ACTIONS = frozenset({"cycle.create", "cycle.edit"})


def is_admin(person: Person) -> bool:
    return person.role == "admin"


ManagerOf = Callable[[int], "int | None"]  # a person's id -> their manager's id


def _stored_manager(person_id: int) -> int | None:
    person = Person.get_or_none(Person.id == person_id)
    return person.manager_id if person is not None else None


def manages(manager_id: int, person_id: int, manager_of: ManagerOf = _stored_manager) -> bool:
    """True when ``manager_id`` is anywhere above ``person_id`` in the reporting line
    (``manager_of`` reads the line: stored records, or the people a session holds)."""
    seen: set[int] = set()
    current = manager_of(person_id)
    while current is not None and current not in seen:
        if current == manager_id:
            return True
        seen.add(current)
        current = manager_of(current)
    return False


def is_manager_of(manager: Person, person: Person) -> bool:
    """True when ``manager`` is anywhere above ``person`` in the reporting line."""
    return manages(manager.id, person.id)


def authorize(actor: Person | None, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may perform ``action``."""
    if actor is None:
        raise PermissionDenied("nobody is acting: name a person (--as HANDLE)")
    if not actor.active:
        raise PermissionDenied(f"{actor.handle} is no longer active")
    if action in SETUP_ACTIONS and actor.role == "member":
        raise PermissionDenied(f"@{actor.handle} is a member; {action} needs a manager or an admin")
    if action in ADMIN_ACTIONS and actor.role != "admin":
        raise PermissionDenied(f"@{actor.handle} is a {actor.role}; cycles are created and advanced by admins")


def can_manage_goal(actor: Any, owner_id: int | None, manager_of: ManagerOf = _stored_manager) -> bool:
    """May ``actor`` (a person or a row of one) change a goal owned by ``owner_id``?"""
    if actor.role == "admin" or owner_id == actor.id:
        return True
    if owner_id is None:
        return actor.role == "manager"
    return manages(actor.id, owner_id, manager_of)


def goal_refusal(
    actor: Any,
    title: str,
    owner_id: int | None,
    owner_handle: str | None,
    verb: str = "change",
    manager_of: ManagerOf = _stored_manager,
) -> str | None:
    """Why ``actor`` may not ``verb`` a goal, or None when they may. The services ask
    it of stored records; a screen asks it of what it holds, before any form opens."""
    if not actor.active:
        return f"@{actor.handle} is no longer active"
    if can_manage_goal(actor, owner_id, manager_of):
        return None
    whose = f"it is @{owner_handle}'s" if owner_handle else "it has no owner"
    return f"@{actor.handle} may not {verb} “{title}”: {whose}; its owner, their manager or an admin can."


def authorize_goal(actor: Person, goal, verb: str = "change") -> None:
    """Raise unless ``actor`` may change ``goal`` (a Goal record)."""
    authorize(actor, f"goal.{verb}")
    owner = Person.get_or_none(Person.id == goal.owner_id) if goal.owner_id else None
    refusal = goal_refusal(actor, goal.title, goal.owner_id, owner.handle if owner else None, verb)
    if refusal is not None:
        raise PermissionDenied(refusal)
