"""The app shell and the goal tree pane, driven with real keys (Pilot)."""

from __future__ import annotations

from datetime import date

from okrate_tui.core.db import open_db
from okrate_tui.core.models import CheckIn, Goal, KeyResult, Task
from okrate_tui.core.services import key_results
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.help import HelpScreen
from okrate_tui.ui.screens.main import MainScreen
from okrate_tui.ui.screens.people import PeopleScreen
from okrate_tui.ui.screens.picker import PickerScreen
from okrate_tui.ui.screens.problem import ProblemScreen
from tests.ui.conftest import SIZE, on_main, settle


def tree_titles(app) -> list[str]:
    model = app.screen.query_one("#goal-tree").model
    return [app.session.tree.line(row.goal_id).title for row in model.rows]


def cursor_title(app) -> str | None:
    """The goal under the tree's cursor; None while the goal tree is not on screen yet."""
    trees = app.screen.query("#goal-tree")
    if not trees or app.session.tree is None or trees.first().model.cursor is None:
        return None
    return app.session.tree.line(trees.first().model.cursor).title


async def go_to(pilot, title: str) -> None:
    """Move the tree cursor to a visible goal by its title."""
    app = pilot.app
    for _ in range(60):
        if cursor_title(app) == title:
            await settle(pilot, on_main)
            return
        await pilot.press("down")
    raise AssertionError(f"{title} is not in the tree: {tree_titles(app)}")


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def test_opens_on_the_goal_tree(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        assert isinstance(app.screen, MainScreen)
        assert tree_titles(app) == [
            "Grow recurring revenue to €2.4M ARR",
            "Ship a product customers love",
            "Build a team people want to join",
        ]
        bar = app.screen.query_one("#topbar")
        assert "Maria Santos" in bar.person and "2026 Q4" in bar.cycle
        detail = app.screen.query_one("#goal-detail").detail
        assert detail.title == "Grow recurring revenue to €2.4M ARR" and detail.breakdown
        await pilot.press("down", "right")
        await settle(pilot, on_main)
        assert "Redesign onboarding" in tree_titles(app)
        await pilot.press("down")
        await settle(pilot, on_main)
        assert cursor_title(app) == "Redesign onboarding"
        assert app.screen.query_one("#goal-detail").detail.title == "Redesign onboarding"
        await pilot.press("left", "left")
        assert "Redesign onboarding" not in tree_titles(app)


async def test_new_sub_goal_with_validation(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "is required" in str(app.screen.query_one("#error-title").render())
        await type_text(pilot, "Open a Lisbon office")
        await pilot.press("tab", "tab", "tab", "tab")  # to the weight field
        await pilot.press("end", "ctrl+u", "0")
        await settle(pilot)
        assert "greater than 0" in str(app.screen.query_one("#error-weight").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen) and Goal.get_or_none(Goal.title == "Open a Lisbon office") is None
        await pilot.press("backspace", "2", "ctrl+s")
        await settle(pilot, on_main)
        goal = Goal.get(Goal.title == "Open a Lisbon office")
        assert goal.parent_id == 1 and goal.weight == 2 and goal.level == "team"
        assert cursor_title(app) == "Open a Lisbon office"


async def test_escape_cancels_a_form_without_a_trace(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        before = Goal.select().count()
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Never saved")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")  # "discard what you typed?" no: back to the form
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, on_main)
        assert Goal.select().count() == before
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: leaves at once
        await settle(pilot, on_main)


async def test_edit_changes_only_what_was_typed(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end", *["backspace"] * 3)
        await type_text(pilot, "by December")
        await pilot.press("ctrl+s")
        await settle(pilot, on_main)
        goal = Goal.get_by_id(1)
        assert goal.title == "Grow recurring revenue to €2.4M by December"
        assert goal.version == 2  # only the title was written
        assert tree_titles(app)[0] == goal.title


async def test_goal_dates_are_typed_like_every_date(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        form.query_one("#field-due").value = "fry"
        await settle(pilot)
        assert "'fry' is not a date: use 2026-12-01" in str(form.query_one("#error-due").render())
        form.query_one("#field-due").value = "fri"
        form.query_one("#field-starts").value = "+0d"
        await pilot.press("ctrl+s")
        await settle(pilot, on_main)
        goal = Goal.get_by_id(1)
        assert (goal.starts, goal.due) == (date(2026, 11, 26), date(2026, 11, 27))


async def test_move_goal_with_the_picker(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("down", "down")
        await settle(pilot, on_main)
        assert cursor_title(app) == "Build a team people want to join"
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "ship a product")
        await pilot.press("enter")
        await settle(pilot, on_main)
        assert Goal.get(Goal.title == "Build a team people want to join").parent_id == 7
        assert cursor_title(app) == "Build a team people want to join"


async def test_archive_show_and_restore(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("down", "down", "d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, on_main)
        assert Goal.get_by_id(14).archived
        assert "Build a team people want to join" not in tree_titles(app)
        await pilot.press("u")  # the undo shows it again, with the cursor on it
        await settle(pilot, lambda a: not Goal.get_by_id(14).archived and on_main(a))
        assert cursor_title(app) == "Build a team people want to join"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, lambda a: Goal.get_by_id(14).archived and on_main(a))
        await pilot.press("A")
        await settle(pilot, on_main)
        await go_to(pilot, "Build a team people want to join")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, on_main)
        assert not Goal.get_by_id(14).archived


async def test_add_key_result_and_check_in(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("r")
        await settle(pilot)
        await type_text(pilot, "Enterprise deals")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "5")
        await pilot.press("ctrl+s")
        await settle(pilot, on_main)
        result = KeyResult.get(KeyResult.title == "Enterprise deals")
        assert (result.goal_id, result.target, result.current) == (1, 5.0, 0.0)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "2300000")
        await pilot.press("tab", "tab")  # past the key result picker to the confidence
        await type_text(pilot, "80%")
        await pilot.press("ctrl+s")
        await settle(pilot, on_main)
        revenue = KeyResult.get(KeyResult.title == "Annual recurring revenue")
        assert revenue.current == 2_300_000
        entry = CheckIn.select().where(CheckIn.key_result == revenue.id).order_by(CheckIn.id.desc()).first()
        assert entry.confidence == 0.8 and entry.author_id == find_person("maria").id
        detail = app.screen.query_one("#goal-detail").detail
        assert detail.key_results[0].last_check_in.value == 2_300_000


async def test_set_status_and_new_task(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "off")
        await pilot.press("enter")
        await settle(pilot, on_main)
        assert Goal.get_by_id(1).status == "off_track"
        assert app.screen.query_one("#goal-detail").detail.status == "off_track"
        await pilot.press("t")
        await settle(pilot)
        await type_text(pilot, "Call the top ten customers")
        await pilot.press("tab", "tab", "tab", "tab")  # objective, owner, priority, deadline
        await type_text(pilot, "fri")  # deadlines read as on the board
        await pilot.press("ctrl+s")
        await settle(pilot, on_main)
        task = Task.get(Task.title == "Call the top ten customers")
        assert (task.goal_id, task.owner_id, task.priority) == (1, find_person("maria").id, "medium")
        assert task.deadline == date(2026, 11, 27)


async def test_filter_by_word_owner_and_team(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("slash")
        await type_text(pilot, "latency")
        await settle(pilot, on_main)
        assert tree_titles(app) == [
            "Ship a product customers love",
            "Make the app fast and reliable",
            "Cut p95 API latency",
        ]
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "@zoe")
        await settle(pilot, on_main)
        assert tree_titles(app)[-1] == "Refresh the brand site"
        await pilot.press("escape")
        await settle(pilot, on_main)
        titles = tree_titles(app)  # every goal is back; the selected one stays in view
        assert {
            "Grow recurring revenue to €2.4M ARR",
            "Ship a product customers love",
            "Build a team people want to join",
        } <= set(titles)
        assert cursor_title(app) == "Refresh the brand site" and "Cut p95 API latency" not in titles


async def test_help_lists_every_binding_with_its_id(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        ids = {binding.id for _, rows in app.screen.sections for _, binding in rows}
        assert {
            "goals.new",
            "goals.edit",
            "goals.move",
            "goals.archive",
            "goals.add_kr",
            "goals.check_in",
            "goals.status",
            "goals.new_task",
            "goals.open_board",
            "goals.filter",
            "app.help",
            "app.cycle",
            "app.quit",
        } <= ids
        await pilot.press("escape")
        await settle(pilot, on_main)


async def test_palette_lists_the_pane_actions(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("New", "Edit", "Move", "Archive", "Add KR", "Check in", "Status", "Task", "Filter"):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "check in")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.form_title == "Check in"


async def test_cycle_switcher(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("C")
        await settle(pilot)
        await type_text(pilot, "Q3")
        await pilot.press("enter")
        await settle(pilot, lambda a: on_main(a) and a.tree_for(a.cycle.id) is not None and a.cycle.name == "2026 Q3")
        assert tree_titles(app) == ["Reach €1.8M ARR"]
        assert "2026 Q3" in app.screen.query_one("#topbar").cycle


async def test_another_sessions_edit_shows_up(demo_path, make_app) -> None:
    app = make_app(demo_path)
    app.poll_seconds = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        before = app.session.tree.line(1).progress
        open_db(str(demo_path), create=True)  # a second connection, as another session would have
        key_results.check_in(find_person("maria"), 1, 2_400_000, note="Signed the big one")
        await app.refresh_now()
        await settle(pilot, lambda a: a.session.tree.line(1).progress > before, timeout=10)


async def test_keymap_from_the_config_file(demo_path, make_app) -> None:
    app = make_app(demo_path, config='theme = "nord"\n[keymap]\n"goals.new" = "ctrl+n"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        assert app.theme == "nord"
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)


async def test_bad_config_is_reported_not_raised(demo_path, make_app) -> None:
    app = make_app(demo_path, config='theme = "no-such-theme"\n[keymap]\n"goals.nope" = "x"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        messages = [n.message for n in app._notifications]
        assert any("unknown theme 'no-such-theme'" in m for m in messages)
        assert any("unknown binding 'goals.nope'" in m for m in messages)
    broken = make_app(demo_path, config="theme = [oops\n")
    async with broken.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        assert any("not valid TOML" in n.message for n in broken._notifications)


async def test_welcome_loads_the_demo(empty_path, make_app) -> None:
    from okrate_tui.ui.screens.welcome import WelcomeScreen

    app = make_app(empty_path, as_handle=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: isinstance(a.screen, WelcomeScreen))
        await pilot.press("d")
        await settle(pilot, on_main)
        assert app.actor.handle == "maria" and len(tree_titles(app)) == 3


async def test_welcome_starts_an_organisation(empty_path, make_app) -> None:
    from okrate_tui.ui.screens.welcome import WelcomeScreen

    app = make_app(empty_path, as_handle=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: isinstance(a.screen, WelcomeScreen))
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "sam")
        await pilot.press("tab")
        await type_text(pilot, "Sam Founder")
        await pilot.press("tab", "tab", "tab", "tab")
        await type_text(pilot, "Find ten paying customers")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: isinstance(a.screen, PeopleScreen))  # next: add colleagues
        assert any("Add the people you work with" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot, on_main)
        assert app.actor.handle == "sam" and app.actor.role == "admin"
        assert tree_titles(app) == ["Find ten paying customers"]


async def test_person_picker_when_nobody_matches(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen))
        assert "Who are you?" in app.screen.title_text
        await type_text(pilot, "jonas")
        await pilot.press("enter")
        await settle(pilot, on_main)
        assert app.actor.handle == "jonas"


async def test_a_shared_database_offers_no_picker(demo_path, make_app) -> None:
    """On a file the group may write, nobody picks who they are: the login decides."""
    demo_path.chmod(0o660)
    app = make_app(demo_path, as_handle=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: isinstance(a.screen, ProblemScreen))
        assert not any(isinstance(s, PickerScreen) for s in app.screen_stack)
        assert "ask an admin to add you" in app.screen.message
    claimed = make_app(demo_path, as_handle="maria")
    async with claimed.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: isinstance(a.screen, ProblemScreen))
        assert "refused on a shared database" in claimed.screen.message
        assert claimed.actor is None
