"""People and teams over time: renaming teams, deactivating someone who left (their open
work is released), bringing them back, and what each person's sessions remember."""

from __future__ import annotations

import pytest

from okrate_tui.core.errors import ConflictError, PermissionDenied, ValidationError
from okrate_tui.core.models import Change, Person, Preference, Task, Team
from okrate_tui.core.permissions import goal_refusal, manages
from okrate_tui.core.queries.org import people_overview, person_row
from okrate_tui.core.queries.scopes import opening_scope, scope_text
from okrate_tui.core.services import people, preferences, tasks


def test_renaming_a_team_checks_the_name_and_the_version(org) -> None:
    people.create_team(org.admin, "Growth")
    with pytest.raises(ValidationError, match="exists already"):
        people.rename_team(org.admin, org.team.id, None, "Growth")
    with pytest.raises(PermissionDenied):
        people.rename_team(org.mia, org.team.id, None, "Platform")
    renamed = people.rename_team(org.admin, org.team.id, org.team.version, "Platform")
    assert Team.get_by_id(org.team.id).name == "Platform" == renamed.name
    with pytest.raises(ConflictError):
        people.rename_team(org.admin, org.team.id, org.team.version, "Core again")


def test_deactivating_releases_open_tasks_and_keeps_done_ones(org) -> None:
    open_task = tasks.create_task(org.mia, "Open work", goal=org.child.id, owner="mia")
    done = tasks.create_task(org.mia, "Finished work", goal=org.child.id, owner="mia")
    tasks.move_task(org.mia, done.id, None, "done")
    person, released = people.set_active(org.boss, org.mia.id, None, False)
    assert (person.active, released) == (False, 1)
    assert Task.get_by_id(open_task.id).owner_id is None
    assert Task.get_by_id(done.id).owner_id == org.mia.id
    logged = Change.get((Change.entity == "task") & (Change.entity_id == open_task.id) & (Change.field == "owner"))
    assert logged.old == str(org.mia.id)  # who had it is kept
    back, none = people.set_active(org.boss, org.mia.id, None, True)
    assert back.active and none == 0


def test_only_the_people_above_someone_deactivate_them(org) -> None:
    with pytest.raises(PermissionDenied):
        people.set_active(org.ben, org.mia.id, None, False)
    with pytest.raises(PermissionDenied, match="last admin"):
        people.set_active(org.admin, org.admin.id, None, False)
    assert Person.get_by_id(org.mia.id).active


def test_the_overview_lists_active_people_first_with_their_open_work(org) -> None:
    tasks.create_task(org.mia, "One", goal=org.child.id, owner="mia")
    people.set_active(org.admin, org.ben.id, None, False)
    entries = people_overview()
    assert [e.row.handle for e in entries] == ["ada", "max", "mia", "ben"]
    by = {e.row.handle: e for e in entries}
    assert (by["mia"].open_tasks, by["mia"].manager, by["max"].reports) == (1, "max", 1)


def test_a_refusal_is_the_same_from_stored_records_and_from_a_session(org) -> None:
    lines = {p.id: p.manager_id for p in Person.select()}
    for actor in (org.admin, org.boss, org.mia, org.ben):
        held = goal_refusal(person_row(actor.id), org.child.title, org.boss.id, "max", "change", lines.get)
        stored = goal_refusal(actor, org.child.title, org.boss.id, "max", "change")
        assert held == stored
    assert manages(org.admin.id, org.mia.id, lines.get) and not manages(org.mia.id, org.admin.id, lines.get)
    assert goal_refusal(org.mia, "Win accounts", org.boss.id, "max") is not None


def test_each_person_opens_the_board_where_they_left_it(org) -> None:
    mia, boss, admin = (person_row(p.id) for p in (org.mia, org.boss, org.admin))
    assert (opening_scope(mia).kind, opening_scope(boss).kind, opening_scope(admin).kind) == ("mine", "team", "org")
    preferences.remember(mia, "board.scope", f"goal:{org.child.id}")
    assert opening_scope(mia).goal_id == org.child.id
    assert opening_scope(mia, cycle_id=org.cycle.id + 100).kind == "mine"  # that goal is in another cycle
    assert opening_scope(boss).kind == "team"  # nobody else's choice moved
    preferences.remember(mia, "board.scope", "team:999")  # a team that is gone: back to the role's board
    assert opening_scope(mia).kind == "mine"
    assert scope_text(opening_scope(boss)) == f"team:{org.team.id}"
    assert Preference.select().count() == 1
    assert not Change.select().where(Change.entity == "preference").exists()
    with pytest.raises(ValidationError):
        preferences.remember(mia, "secret.key", "x")
