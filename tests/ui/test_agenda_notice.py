"""The app opens with one line on what is overdue or due today, read once the goal tree
is on screen, and says nothing when nothing is."""

from __future__ import annotations

from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.models import Person
from okrate_tui.core.queries import agenda
from okrate_tui.core.services import tasks
from tests.ui.conftest import SIZE, on_main, settle


def _agenda_lines(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Agenda"]


async def _opened(pilot) -> None:
    await settle(pilot, on_main)
    await pilot.pause(0.2)
    await settle(pilot)


async def test_the_app_opens_with_what_is_overdue(demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path, agenda_notice=True)  # Maria: one task overdue
    seen: list[bool] = []
    read = agenda.start_notice

    def after_paint(person_id, today):
        tree = app.screen.query_one("#goal-tree") if app.screen.query("#goal-tree") else None
        seen.append(tree is not None and tree.size.height > 0)
        return read(person_id, today)

    monkeypatch.setattr(agenda, "start_notice", after_paint)
    async with app.run_test(size=SIZE) as pilot:
        await _opened(pilot)
        assert _agenda_lines(app) == ["1 task overdue — okrate agenda lists them"]
    assert seen == [True]  # read once, with the goal tree already laid out


async def test_a_task_due_today_is_told_too(demo_path, make_app) -> None:
    open_db(str(demo_path))
    jonas = Person.get(Person.handle == "jonas")
    tasks.create_task(jonas, "Send the release notes", goal=13, owner="me", deadline="today")
    close_db()
    app = make_app(demo_path, as_handle="jonas", agenda_notice=True)
    async with app.run_test(size=SIZE) as pilot:
        await _opened(pilot)
        assert _agenda_lines(app) == ["1 task due today — okrate agenda lists them"]


async def test_nothing_due_no_notice(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="jonas", agenda_notice=True)
    async with app.run_test(size=SIZE) as pilot:
        await _opened(pilot)
        assert app._notifications is not None and _agenda_lines(app) == []


def test_the_config_file_sets_the_quiet_days(tmp_path) -> None:
    from okrate_tui.ui.config import load_config, stale_check_in_days

    path = tmp_path / "config.toml"
    path.write_text("stale_check_in_days = 7\n")
    config = load_config(path, themes=set(), owners=dict)
    assert (config.stale_check_in_days, config.problems) == (7, [])
    assert stale_check_in_days(path) == (7, [])
    path.write_text("stale_check_in_days = 0\n")
    config = load_config(path, themes=set(), owners=dict)
    assert config.stale_check_in_days == 14
    assert config.problems == [f"{path}: stale_check_in_days is a number of days from 1 to 365, not 0"]
    assert stale_check_in_days(tmp_path / "missing.toml") == (14, [])
