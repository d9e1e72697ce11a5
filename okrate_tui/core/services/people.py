"""Teams and people."""

from __future__ import annotations

from typing import Any

from okrate_tui.core.errors import NotFoundError, PermissionDenied
from okrate_tui.core.models import Person, Task, Team
from okrate_tui.core.permissions import authorize, is_admin, is_manager_of
from okrate_tui.core.services import sessions
from okrate_tui.core.validation import Checker, clean_handle, clean_title, id_of, parse_choice
from okrate_tui.core.vocab import OPEN_STATUSES, ROLES
from okrate_tui.core.writes import apply_edit, get, log, writes


def find_person(handle: str) -> Person:
    """The person with this handle (a leading '@' is ignored)."""
    key = handle.strip().lstrip("@").lower()
    person = Person.get_or_none(Person.handle == key)
    if person is None:
        raise NotFoundError("person", f"'{handle}'")
    return person


def find_team(name_or_id: str | int) -> Team:
    ident = name_or_id if isinstance(name_or_id, int) else id_of(str(name_or_id))
    if ident is not None:
        return get(Team, ident)
    team = Team.get_or_none(Team.name == str(name_or_id).strip())
    if team is None:
        raise NotFoundError("team", f"'{name_or_id}'")
    return team


@writes
def create_team(actor: Person, name: str) -> Team:
    authorize(actor, "team.create")
    check = Checker()
    clean = check("name", clean_title, name, 80)
    if clean and Team.get_or_none(Team.name == clean):
        check.fail("name", f"a team named '{clean}' exists already")
    check.done()
    team = Team.create(name=clean)
    log().created(team, clean)
    return team


@writes
def rename_team(actor: Person, team_id: int, version: int | None, name: str) -> Team:
    """Give a team a new name (managers and admins)."""
    authorize(actor, "team.create")
    team = get(Team, team_id)
    check = Checker()
    clean = check("name", clean_title, name, 80)
    if clean and Team.get_or_none((Team.name == clean) & (Team.id != team.id)):
        check.fail("name", f"a team named '{clean}' exists already")
    check.done()
    return apply_edit(team, version, {"name": clean})


@writes
def set_active(actor: Person, person_id: int, version: int | None, active: bool, **changes: Any) -> tuple[Person, int]:
    """Deactivate a person who left (or bring them back), with any other ``changes`` in
    the same transaction. Their open tasks are released (no owner), so they show as
    unowned and someone picks them up; the change log keeps who had them. Returns the
    person and how many tasks were released."""
    person = apply_edit_person(actor, person_id, version, {**changes, "active": active})
    released = 0
    if not active:
        for task in Task.select().where((Task.owner == person.id) & (Task.status.in_(OPEN_STATUSES))):
            apply_edit(task, None, {"owner": None})
            released += 1
    return person, released


def _person_fields(check: Checker, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in values:
        out["name"] = check("name", clean_title, values["name"], 80)
    if "role" in values:
        out["role"] = check("role", parse_choice, values["role"], ROLES)
    if "team" in values:
        team = values["team"]
        if team is None or isinstance(team, Team):
            out["team"] = team
        else:
            try:
                out["team"] = find_team(team)
            except NotFoundError as exc:
                check.fail("team", str(exc))
    if "manager" in values:
        manager = values["manager"]
        if manager is None or isinstance(manager, Person):
            out["manager"] = manager
        else:
            try:
                out["manager"] = find_person(str(manager))
            except NotFoundError as exc:
                check.fail("manager", str(exc))
    return out


@writes
def create_person(
    actor: Person | None,
    handle: str,
    name: str,
    *,
    role: str = "member",
    manager: Person | str | None = None,
    team: Team | str | int | None = None,
) -> Person:
    """Add a person. On an empty database the first person needs no actor and is an admin."""
    first = not Person.select().exists()
    if first:
        role = "admin"
    else:
        authorize(actor, "person.create")
        assert actor is not None
        if role == "admin" and not is_admin(actor):
            raise PermissionDenied(f"@{actor.handle} is a {actor.role}: only an admin can make someone an admin")
    check = Checker()
    clean = check("handle", clean_handle, handle)
    if clean and Person.get_or_none(Person.handle == clean):
        check.fail("handle", f"@{clean} is taken already")
    fields = _person_fields(check, {"name": name, "role": role, "team": team, "manager": manager})
    check.done()
    person = Person.create(handle=clean, **fields)
    log().actor_id = actor.id if actor is not None else person.id
    log().created(person, clean)
    return person


@writes
def edit_person(actor: Person, person_id: int, version: int | None, **changes: Any) -> Person:
    """Change a person's name, role, team or manager."""
    return apply_edit_person(actor, person_id, version, changes)


def apply_edit_person(actor: Person, person_id: int, version: int | None, changes: dict[str, Any]) -> Person:
    person = get(Person, person_id)
    if actor.id != person.id or set(changes) - {"name"}:
        authorize(actor, "person.edit")
        _check_may_edit(actor, person, changes)
    check = Checker()
    fields = _person_fields(check, changes)
    if "active" in changes:
        fields["active"] = bool(changes["active"])
    unknown = set(changes) - {"name", "role", "team", "manager", "active"}
    for field in unknown:
        check.fail(field, "cannot be changed here")
    manager = fields.get("manager")
    if manager is not None and _reports_to(manager, person):
        check.fail("manager", f"@{manager.handle} reports to @{person.handle}")
    check.done()
    losing_admin = person.role == "admin" and (
        (fields.get("role") and fields["role"] != "admin") or fields.get("active") is False
    )
    if losing_admin:
        admins = Person.select().where((Person.role == "admin") & (Person.active == True))  # noqa: E712
        if admins.count() <= 1:
            raise PermissionDenied("the last admin cannot give up the admin role or leave; make another admin first")
    was_active = person.active
    edited = apply_edit(person, version, fields)
    if was_active and not edited.active:
        sessions.end_for_person(person.id, actor)  # their open sessions on a team server end too
    return edited


def _check_may_edit(actor: Person, person: Person, changes: dict[str, Any]) -> None:
    """Admins change anyone; a manager changes the people below them, never roles to or
    from admin (only an admin grants or takes the admin role)."""
    if is_admin(actor):
        return
    if person.role == "admin" or changes.get("role") == "admin":
        raise PermissionDenied(f"@{actor.handle} is a {actor.role}: only an admin can grant or change the admin role")
    if not is_manager_of(actor, person):
        raise PermissionDenied(f"@{actor.handle} may change only the people below them, and @{person.handle} is not")


def _reports_to(candidate: Person, person: Person) -> bool:
    """True when ``candidate`` is ``person`` or sits below them (a loop in the line)."""
    seen: set[int] = set()
    current: Person | None = candidate
    while current is not None and current.id not in seen:
        if current.id == person.id:
            return True
        seen.add(current.id)
        current = Person.get_or_none(Person.id == current.manager_id) if current.manager_id else None
    return False
