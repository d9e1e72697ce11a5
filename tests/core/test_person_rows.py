"""Services and reads take the acting person as a ``PersonRow`` (what the UI holds) as
well as a ``Person``, and act as the person is now, not as the row says."""

from __future__ import annotations

from datetime import date

import pytest

from okrate_tui.core.errors import NotFoundError, PermissionDenied
from okrate_tui.core.models import Change, Person, Task
from okrate_tui.core.queries import reviews as read
from okrate_tui.core.queries.org import CycleRow, PersonRow, cycle_row, cycles, person_row
from okrate_tui.core.reports import cycle_packet
from okrate_tui.core.services import goals, people, tasks
from okrate_tui.core.services import reviews as svc
from okrate_tui.core.writes import last_op, person_of
from tests.conftest import TODAY


def _row(person: Person) -> PersonRow:
    return person_row(person.id)


def test_cycle_and_person_rows(org) -> None:
    assert cycles() == [CycleRow(org.cycle.id, "2026 Q4", date(2026, 10, 1), date(2026, 12, 31), "active", 1)]
    assert cycle_row(org.cycle.id) == cycles()[0]
    mia = person_row(org.mia.id)
    assert (mia.handle, mia.team, mia.manager_id, mia.active) == ("mia", "Core", org.boss.id, True)
    with pytest.raises(NotFoundError):
        person_row(999)
    with pytest.raises(NotFoundError):
        cycle_row(999)


def test_person_of_reads_a_row_again(org) -> None:
    assert person_of(org.mia) is org.mia
    row = _row(org.mia)
    people.edit_person(org.admin, org.mia.id, None, role="manager")
    fresh = person_of(row)
    assert isinstance(fresh, Person) and (fresh.id, fresh.role) == (org.mia.id, "manager")
    with pytest.raises(PermissionDenied, match="nobody is acting"):
        person_of(None)


def test_services_take_a_person_row_as_the_actor(org) -> None:
    row = _row(org.mia)
    task = tasks.create_task(row, "Invite testers", goal=org.child.id)
    assert task.created_by_id == org.mia.id
    op = last_op()
    assert {c.actor_id for c in Change.select().where(Change.op == op)} == {org.mia.id}
    moved = tasks.move_task(actor=row, task_id=task.id, version=task.version, status="doing")  # by keyword
    assert moved.status == "doing"
    assert tasks.complete_task(row, task.id, None).status == "done"  # a plain function over a service


def test_a_person_row_acts_as_the_person_is_now(org) -> None:
    stale = PersonRow(org.mia.id, "mia", "Mia Member", "admin", "Core", None, None, True)  # claims too much
    with pytest.raises(PermissionDenied):
        goals.create_goal(stale, "A company goal")  # she is a member: top-level goals need a manager
    row = _row(org.mia)
    people.edit_person(org.boss, org.mia.id, None, active=False)
    with pytest.raises(PermissionDenied, match="no longer active"):
        tasks.create_task(row, "Anything", goal=org.child.id)
    assert not Task.select().exists()


def test_reads_take_a_person_row_as_the_actor(org) -> None:
    svc.write_review(org.boss, org.cycle.id, "mia", "manager", None, rating=3)
    boss = _row(org.boss)
    assert read.people_overview(boss, org.cycle.id, TODAY) == read.people_overview(org.boss, org.cycle.id, TODAY)
    space = read.workspace(boss, org.cycle.id, org.mia.id, TODAY)
    assert space == read.workspace(org.boss, org.cycle.id, org.mia.id, TODAY)
    assert [r.kind for r in space.reviews] == ["manager"] and space.reviews[0].can_edit
    assert read.visible_reviews(boss, org.cycle.id, org.mia) == space.reviews
    assert cycle_packet(boss, org.cycle, TODAY) == cycle_packet(org.boss, org.cycle, TODAY)
    view = svc.open_meeting(boss, org.mia.id, org.cycle.id, TODAY)
    assert (view.manager.handle, view.report.handle) == ("max", "mia")
    with pytest.raises(PermissionDenied):
        read.workspace(_row(org.ben), org.cycle.id, org.mia.id, TODAY)
