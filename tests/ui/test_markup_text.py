"""Titles and names are shown as written, never read as markup: ``Fix [/b] bug`` would
stop a screen with a markup error and ``[link=…]`` would put a link in the terminal.
Every screen that shows them is visited with such text in the database."""

from __future__ import annotations

import html
import re

import pytest
from textual.visual import visualize
from textual.widgets import DataTable, OptionList, Select

from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.models import Goal, Person, Task
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.analytics import AnalyticsScreen
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.help import HelpScreen
from okrate_tui.ui.screens.main import MainScreen
from okrate_tui.ui.screens.people import PeopleScreen
from okrate_tui.ui.screens.picker import PickerScreen
from okrate_tui.ui.screens.task_detail import TaskDetailScreen
from tests.ui.conftest import SIZE, settle
from tests.ui.test_board import board, open_board

TITLE = "Fix [/b] the [link='https://e.vil']report[/link] [bold"
NAME = "Ana [/i] [reverse]Ruiz"


@pytest.fixture
def marked_up(demo_path):
    open_db(str(demo_path))
    task = Task.select().where(Task.status == "todo").order_by(Task.position).first()
    Task.update(title=TITLE).where(Task.id == task.id).execute()
    Goal.update(title=TITLE).where(Goal.id == task.goal_id).execute()
    Person.update(name=NAME).where(Person.handle == "ana").execute()
    close_db()
    return demo_path


def shown(app) -> str:
    """Every piece of text the screen's own text widgets draw."""
    return "\n".join(str(widget.render()) for widget in app.screen.query("Static, Label"))


def on_screen(app) -> str:
    """The screen as drawn, as plain text (from its SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def listed(app) -> list[str]:
    """The options of the screen's list, as drawn."""
    options = app.screen.query_one(OptionList)
    return [visualize(options, option.prompt, markup=options._markup).plain for option in options.options]


async def test_titles_and_names_with_brackets_show_as_written(marked_up, make_app) -> None:
    app = make_app(marked_up)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: isinstance(a.screen, MainScreen))
        await open_board(pilot)
        pane = board(app)
        for _ in range(40):  # to the card with the title
            if pane.current() is not None and pane.current().title == TITLE:
                break
            await pilot.press("j")
        assert pane.current().title == TITLE

        async def opens(key: str, screen: type) -> None:
            await pilot.press(key)
            await settle(pilot, lambda a: isinstance(a.screen, screen))

        async def back() -> None:
            await pilot.press("escape")
            await settle(pilot, lambda a: isinstance(a.screen, MainScreen))

        await opens("enter", TaskDetailScreen)
        assert f"Task {pane.current().id}: {TITLE}" in shown(app)
        await back()
        await opens("d", ConfirmScreen)
        assert f"Delete “{TITLE}”?" in shown(app)
        await back()
        await opens("g", PickerScreen)
        assert any(TITLE in option for option in listed(app))
        await back()
        await opens("o", PickerScreen)
        assert any(NAME in option for option in listed(app))
        await back()
        await opens("e", FormScreen)
        owner = app.screen.query_one("#field-owner", Select)
        assert f"{NAME} (@ana)" in [str(label) for label, _ in owner._options]
        await back()
        await pilot.press("3")  # the review pane's table of people
        await settle(pilot, lambda a: bool(a.screen.query("#review-people")))
        table = app.screen.query_one("#review-people", DataTable)
        await settle(pilot, lambda a: table.row_count > 0)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        assert any(NAME in cell for cell in cells)
        await opens("a", AnalyticsScreen)  # goal titles in a table of its own
        await settle(pilot, lambda a: "Fix [/b] the [link=" in on_screen(a))
        await pilot.press("escape")
        await settle(pilot, lambda a: isinstance(a.screen, MainScreen))
        await opens("question_mark", HelpScreen)
        await pilot.press("escape")
        await pilot.press("P")
        await settle(pilot, lambda a: isinstance(a.screen, PeopleScreen) and bool(a.screen.entries))
        await pilot.press("escape")
        await pilot.press("1")  # the goal tree and its detail panel
        await settle(pilot)
        assert app.is_running


def test_every_text_widget_of_the_app_shows_strings_as_written() -> None:
    """Text widgets come from ui/widgets/plain.py (markup off); lists and tables of the app
    turn markup off too, so a widget added later cannot read a title as markup."""
    import re
    from pathlib import Path

    import okrate_tui.ui as ui

    root = Path(ui.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        source = path.read_text()
        if path.name != "plain.py" and re.search(r"from textual\.widgets import [^\n]*\b(Static|Label)\b", source):
            offenders.append(f"{path.relative_to(root)}: Static/Label from textual (use ui.widgets.plain)")
        for call in re.findall(r"\bOptionList\(([^)]*)\)", source):
            if "markup=False" not in call and "class " not in call:
                offenders.append(f"{path.relative_to(root)}: OptionList({call}) reads markup")
    assert not offenders, "\n".join(offenders)
