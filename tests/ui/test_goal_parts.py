"""The parts of a goal in its detail panel: milestones, key results and their check-ins,
driven with real keys and checked on screen and in the database."""

from __future__ import annotations

from okrate_tui.core.models import Change, CheckIn, KeyResult, Milestone, Task
from okrate_tui.core.services import milestones
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.check_ins import CheckInsScreen
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.main import MainScreen
from okrate_tui.ui.widgets.part_list import PartList
from tests.ui.conftest import SIZE, on_main, settle
from tests.ui.test_goals_pane import type_text


def parts(app) -> PartList:
    return app.screen.query_one(PartList)


def part_ids(app) -> list[str]:
    return [o.id for o in parts(app)._options]


async def part_to(pilot, option_id: str) -> None:
    """Focus the parts and move their cursor to ``option_id`` with j/k."""
    app = pilot.app
    await settle(pilot, lambda a: option_id in part_ids(a))
    if not parts(app).has_focus:
        await pilot.press("tab")
    for key in ("k", "j"):
        for _ in range(40):
            option = parts(app).highlighted_option
            if option is not None and option.id == option_id:
                return
            before = parts(app).highlighted
            await pilot.press(key)
            if parts(app).highlighted == before:
                break
    raise AssertionError(f"{option_id} not reached in {part_ids(app)}")


async def test_milestones_are_added_finished_reordered_and_deleted_from_the_goal(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)  # goal 1, Maria's
        goal = app.session.tree.ordered()[0][0].id
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Pilot with three customers")
        await pilot.press("tab")
        await type_text(pilot, "2026-12-20")
        await pilot.press("ctrl+s")
        await settle(pilot, on_main)
        first = Milestone.get(Milestone.title == "Pilot with three customers")
        assert (first.goal_id, str(first.due)) == (goal, "2026-12-20")
        second = await app.db.write(milestones.add_milestone, app.session.actor, goal, "Launch to everyone")
        await app.refresh_now()
        await part_to(pilot, f"ms:{second.id}")
        await pilot.press("K")  # up: before the pilot
        await settle(pilot)
        ordered = [m.id for m in Milestone.select().where(Milestone.goal == goal).order_by(Milestone.position)]
        assert ordered[:2] == [second.id, first.id]
        await settle(pilot, lambda a: part_ids(a).index(f"ms:{second.id}") < part_ids(a).index(f"ms:{first.id}"))
        await part_to(pilot, f"ms:{first.id}")
        await pilot.press("x")
        await settle(pilot)
        assert Milestone.get_by_id(first.id).done
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, on_main)
        assert Milestone.get_or_none(Milestone.id == first.id) is None
        await settle(pilot, lambda a: f"ms:{first.id}" not in part_ids(a))
        await pilot.press("u")  # the goal tree's undo brings it back
        await settle(pilot)


async def test_a_key_result_is_edited_archived_and_its_check_ins_corrected(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        detail = app.screen.query_one("#goal-detail").detail
        kr = detail.key_results[0]
        await part_to(pilot, f"kr:{kr.id}")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("tab", "tab", "tab")  # title, kind, baseline → target
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "2600000")
        await pilot.press("ctrl+s")
        await settle(pilot, on_main)
        assert KeyResult.get_by_id(kr.id).target == 2_600_000
        await part_to(pilot, f"kr:{kr.id}")
        await pilot.press("i")
        await settle(pilot, lambda a: isinstance(a.screen, CheckInsScreen))
        screen = app.screen
        await settle(pilot, lambda a: bool(screen.entries))
        latest = screen.entries[0]
        await pilot.press("e")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "2100000")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: isinstance(a.screen, CheckInsScreen))
        fixed = CheckIn.get_by_id(latest.id)
        assert fixed.value == 2_100_000 and fixed.corrected_by_id == find_person("maria").id
        assert KeyResult.get_by_id(kr.id).current == 2_100_000  # the latest one sets the current value
        old = Change.get((Change.entity == "check_in") & (Change.entity_id == latest.id) & (Change.field == "value"))
        assert float(old.old) == latest.value
        await settle(pilot, lambda a: screen.entries and screen.entries[0].corrected)
        await pilot.press("escape")
        await settle(pilot, on_main)
        await part_to(pilot, f"kr:{kr.id}")
        await pilot.press("d", "y")
        await settle(pilot, on_main)
        assert KeyResult.get_by_id(kr.id).archived


async def test_a_member_reads_history_but_corrects_only_their_own_check_ins(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="jonas")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        kr = app.screen.query_one("#goal-detail").detail.key_results[0]
        await part_to(pilot, f"kr:{kr.id}")
        await pilot.press("e")  # not his goal: no form
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("i")
        await settle(pilot, lambda a: isinstance(a.screen, CheckInsScreen))
        await settle(pilot, lambda a: bool(a.screen.entries))
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CheckInsScreen)
        assert any("may not correct check-ins on" in str(n.message) for n in app._notifications)


async def test_tasks_of_a_goal_are_listed_and_finished_from_it(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        goal = app.session.tree.ordered()[0][0].id
        task = Task.select().where((Task.goal == goal) & (Task.status != "done")).order_by(Task.id).first()
        await part_to(pilot, f"task:{task.id}")
        await pilot.press("x")
        await settle(pilot)
        assert Task.get_by_id(task.id).status == "done"
