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

from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.models import Person

SETUP_ACTIONS = frozenset({"team.create", "person.create", "person.edit"})
ADMIN_ACTIONS = frozenset({"cycle.create", "cycle.edit"})


def is_admin(person: Person) -> bool:
    return person.role == "admin"


def is_manager_of(manager: Person, person: Person) -> bool:
    """True when ``manager`` is anywhere above ``person`` in the reporting line."""
    seen: set[int] = set()
    current = person
    while current.manager_id is not None and current.manager_id not in seen:
        if current.manager_id == manager.id:
            return True
        seen.add(current.manager_id)
        current = Person.get_or_none(Person.id == current.manager_id)
        if current is None:
            return False
    return False


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


def can_manage_goal(actor: Person, owner_id: int | None) -> bool:
    """May ``actor`` change a goal owned by ``owner_id``?"""
    if actor.role == "admin" or owner_id == actor.id:
        return True
    if owner_id is None:
        return actor.role == "manager"
    owner = Person.get_or_none(Person.id == owner_id)
    return owner is not None and is_manager_of(actor, owner)


def authorize_goal(actor: Person, goal, verb: str = "change") -> None:
    """Raise unless ``actor`` may change ``goal`` (a Goal record)."""
    authorize(actor, f"goal.{verb}")
    if not can_manage_goal(actor, goal.owner_id):
        owner = Person.get_or_none(Person.id == goal.owner_id) if goal.owner_id else None
        whose = f"it is @{owner.handle}'s" if owner else "it has no owner"
        raise PermissionDenied(
            f"@{actor.handle} may not {verb} “{goal.title}”: {whose}; its owner, their manager or an admin can"
        )
