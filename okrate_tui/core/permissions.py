"""Who may do what. Every service asks here before it writes.

The rules so far: an inactive person may do nothing; organisation set-up (teams,
people, cycles) needs a manager or an admin once anyone holds those roles; the rest of
the work is open to every active person. Review visibility rules live beside reviews.
"""

from __future__ import annotations

from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.models import Person

SETUP_ACTIONS = frozenset({"team.create", "person.create", "person.edit", "cycle.create", "cycle.edit"})


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
        raise PermissionDenied(f"{actor.handle} is a member; {action} needs a manager or an admin")
