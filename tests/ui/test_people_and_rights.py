"""Keys that know who is pressing them, and the people screen, driven with real keys."""

from __future__ import annotations

from okrate_tui.core.models import Person, Task, Team
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.main import MainScreen
from okrate_tui.ui.screens.people import PeopleScreen
from tests.ui.conftest import SIZE, on_main, settle
from tests.ui.test_goals_pane import type_text


def messages(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


def footer_keys(app) -> set[str]:
    """The descriptions the footer and palette offer on this screen."""
    return {binding.description for _, _, binding in app.bindings_in_reach(app.screen)}


async def test_a_member_sees_no_edit_keys_on_someone_elses_goal_and_hears_why(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="jonas")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)  # the cursor is on Maria's company goal
        offered = footer_keys(app)
        assert "Edit" not in offered and "Add KR" not in offered and "Check in" not in offered
        assert "New" in offered and "Task" in offered  # a goal of his own under it, and tasks, are his to add
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # no form opened
        assert "may not change “Grow recurring revenue to €2.4M ARR”: it is @maria's" in messages(app)
        await pilot.press("N")  # top-level goals: managers and admins
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Top-level goals are added by managers and admins" in messages(app)
        await pilot.press("n")  # allowed: the form opens
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)


async def test_a_closed_cycle_offers_no_changes_and_says_so(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        closed = next(c for c in app.session.cycles if c.state == "closed")  # the demo's last quarter
        app.session.choose_cycle(closed)
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "New" not in footer_keys(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "is closed: it is read-only" in messages(app)


async def test_people_screen_adds_a_colleague_and_deactivates_one(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Noor Ahmed")
        await pilot.press("tab")
        await type_text(pilot, "noor")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: isinstance(a.screen, PeopleScreen))
        noor = Person.get(Person.handle == "noor")
        assert (noor.name, noor.role, noor.manager_id) == ("Noor Ahmed", "member", find_person("maria").id)
        screen = app.screen
        jonas = find_person("jonas")
        open_before = Task.select().where((Task.owner == jonas.id) & (Task.status != "done")).count()
        assert open_before
        await settle(pilot, lambda a: any(e.row.handle == "noor" for e in screen.entries))
        for _ in range(len(screen.entries)):  # down to Jonas with j, as a person would
            if screen.current() is not None and screen.current().row.handle == "jonas":
                break
            await pilot.press("j")
            await settle(pilot)
        assert screen.current().row.handle == "jonas"
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, lambda a: isinstance(a.screen, PeopleScreen))
        await app.workers.wait_for_complete()
        assert not Person.get_by_id(jonas.id).active
        assert not Task.select().where((Task.owner == jonas.id) & (Task.status != "done")).exists()
        assert f"{open_before} open task(s) released" in messages(app)
        await pilot.press("t")
        await settle(pilot)
        await type_text(pilot, "Support")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: isinstance(a.screen, PeopleScreen))
        assert Team.get_or_none(Team.name == "Support") is not None


async def test_a_member_may_look_at_people_but_not_change_them(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="jonas")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("P")
        await settle(pilot)
        assert "Add person" not in footer_keys(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert "people and teams are added and changed by managers and admins" in messages(app)
