"""Regenerate the README's screenshots from the real app on the demo organisation.

    python screenshots/make.py              # all of them
    python screenshots/make.py board-light  # only these

Each shot opens the app on a fresh demo database with the clock pinned, presses keys
as a person would, and saves an SVG of the screen next to this script.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("OKRATE_TODAY", "2026-11-26")

from okrate_tui import demo  # noqa: E402
from okrate_tui.core.db import close_db, open_db  # noqa: E402
from okrate_tui.ui.app import OkrateApp  # noqa: E402
from tests.ui.conftest import on_main, settle  # noqa: E402

Steps = Callable[[object], Awaitable[None]]


async def keys(pilot, *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await settle(pilot)


async def goal_tree(pilot) -> None:
    await keys(pilot, "down", "right", "down")


async def check_in(pilot) -> None:
    await keys(pilot, "right", "down", "c", *"22", "tab", "tab", *"80%", "tab")
    for ch in "Two renewals came in early":
        await pilot.press(ch if ch != " " else "space")


async def goal_parts(pilot) -> None:
    """The mid-market goal's parts, the cursor on its late milestone."""
    await keys(pilot, "right", "j", "tab")
    parts = pilot.app.screen.query_one("#parts")
    for _ in range(20):
        option = parts.highlighted_option
        if option is not None and option.id and option.id.startswith("ms:") and "pricing" in str(option.prompt):
            break
        await keys(pilot, "j")


async def check_ins(pilot) -> None:
    """The history of a key result, its latest check-in corrected from 18 to 17."""
    await keys(pilot, "right", "j", "tab", "i")
    await settle(pilot, lambda app: bool(getattr(app.screen, "entries", None)))
    await keys(pilot, "e", "end", "ctrl+u", "1", "7", "ctrl+s")
    await settle(pilot, lambda app: bool(getattr(app.screen, "entries", None)) and app.screen.entries[0].corrected)


async def people(pilot) -> None:
    await keys(pilot, "P")
    await settle(pilot, lambda app: bool(getattr(app.screen, "entries", None)))


async def help_screen(pilot) -> None:
    await keys(pilot, "question_mark")


async def filtered(pilot) -> None:
    await keys(pilot, "slash", *"@jonas")


async def board(pilot) -> None:
    await keys(pilot, "2", "j", "l")


async def quick_add(pilot) -> None:
    await keys(pilot, "2", "n")
    for ch in "Draft launch email @ana !hi ^fri #winter/live":
        await pilot.press(ch if ch != " " else "space")


async def next_view(pilot) -> None:
    await keys(pilot, "2", "N")


async def review_people(pilot) -> None:
    await keys(pilot, "3")


async def one_on_one(pilot) -> None:
    await keys(pilot, "3")
    pane = pilot.app.screen.query_one("#review")
    while pane.selected().handle != "jonas":
        await keys(pilot, "down")
    await keys(pilot, "o")
    await settle(pilot, lambda app: getattr(app.screen, "goals", None))


async def workspace(pilot) -> None:
    await keys(pilot, "C", *"Q3", "enter", "3")
    pane = pilot.app.screen.query_one("#review")
    while pane.selected().handle != "priya":
        await keys(pilot, "down")
    await keys(pilot, "enter")
    await settle(pilot, lambda app: getattr(app.screen, "space", None))


async def file_gone(pilot) -> None:
    """The database file deleted under a running session: the banner and what to do."""
    await keys(pilot, "2", "L")
    Path(pilot.app.url).unlink()
    await pilot.app.refresh_now()
    await settle(pilot, lambda app: not app.session.health.ok)
    await keys(pilot, "x")


async def changed_meanwhile(pilot) -> None:
    """Someone else renames the task while it is being edited."""
    from okrate_tui.core.services import tasks
    from okrate_tui.core.services.people import find_person

    await keys(pilot, "2", "e")
    await keys(pilot, "end", *" (draft)")
    task_id = pilot.app.screen.watched.ident
    tasks.edit_task(find_person("omar"), task_id, None, title="Share the Q1 revenue plan with every team")
    await pilot.app.refresh_now()
    await settle(pilot, lambda app: app.screen.query_one("#form-news").display)


async def agenda_notice(pilot) -> None:
    """The line the app opens with when something is overdue or due today."""
    await settle(pilot, lambda app: any(n.title == "Agenda" for n in app._notifications))
    await pilot.pause(0.3)  # the toast is mounted on the next refresh


async def analytics_view(pilot) -> None:
    await keys(pilot, "3", "a")
    await settle(pilot, lambda app: "Analytics" in str(app.screen.query_one("#analytics-head").render()))


async def task_history(pilot) -> None:
    """A card moved to Doing, marked done, its priority raised: one history line each."""
    await keys(pilot, "2", "L", "x", "p", "enter")


async def question_typed_ahead(pilot) -> None:
    """d and y in one burst: the question stays, and says why."""
    from textual import events

    await keys(pilot, "2")
    for key in "dy":
        pilot.app.post_message(events.Key(key, key))
    await settle(pilot, lambda app: "Keys typed before" in str(app.screen.query_one("#confirm-news").render()))


async def goal_plan(pilot) -> None:
    """A goal with no key result, measured by its plan: the detail says so, and why."""
    await keys(pilot, "slash", *"mentoring")

    def shown(app: object) -> bool:
        detail = app.screen.query_one("#goal-detail").detail  # type: ignore[attr-defined]
        return detail is not None and detail.title == "Start a mentoring programme"

    await settle(pilot, shown)


async def close_progress(pilot) -> None:
    """Closing a cycle: the dry run has said where each carried goal would start."""
    from okrate_tui.ui.screens.picker import PickerScreen

    await keys(pilot, "3", "c")
    await settle(pilot, lambda app: bool(getattr(app.screen, "cycles", None)))
    await keys(pilot, "a")
    await keys(pilot, "y")
    await settle(pilot, lambda app: getattr(app.screen, "cycles", [None])[0].state == "review")
    await keys(pilot, "z")
    await settle(pilot, lambda app: isinstance(app.screen, PickerScreen))
    await keys(pilot, "enter")  # copy the open tasks
    await settle(pilot, lambda app: isinstance(app.screen, PickerScreen) and "overdue" in app.screen.title_text)
    await keys(pilot, "down", "enter")  # keep the deadlines
    await settle(pilot, lambda app: isinstance(app.screen, PickerScreen) and "Progress" in app.screen.title_text)


SHOTS: list[tuple[str, Steps, tuple[int, int]]] = [
    ("review-people", review_people, (130, 30)),
    ("one-on-one", one_on_one, (130, 38)),
    ("review-workspace", workspace, (130, 38)),
    ("analytics", analytics_view, (130, 44)),
    ("goal-tree", goal_tree, (130, 38)),
    ("goal-plan", goal_plan, (130, 38)),
    ("close-progress", close_progress, (130, 30)),
    ("board", board, (150, 40)),
    ("board-light", board, (150, 40)),
    ("quick-add", quick_add, (130, 38)),
    ("next", next_view, (130, 38)),
    ("check-in", check_in, (130, 38)),
    ("goal-parts", goal_parts, (130, 44)),
    ("check-ins", check_ins, (130, 24)),
    ("people", people, (130, 24)),
    ("goal-filter", filtered, (130, 38)),
    ("help", help_screen, (130, 38)),
    ("file-gone", file_gone, (130, 30)),
    ("changed-meanwhile", changed_meanwhile, (130, 38)),
    ("agenda-notice", agenda_notice, (130, 30)),
    ("task-history", task_history, (130, 36)),
    ("question-typed-ahead", question_typed_ahead, (130, 30)),
]


WHO = {"one-on-one": "devon"}
THEMES = {"board-light": "textual-light"}  # the shots in another theme than the default
TOASTS = {"agenda-notice"}  # the shots that show notifications


async def shoot(db: Path, name: str, steps: Steps, size: tuple[int, int]) -> None:
    app = OkrateApp(
        url=str(db), as_handle=WHO.get(name, "maria"), config_file=Path("none.toml"), poll_seconds=3600, blink=False
    )
    async with app.run_test(size=size, notifications=name in TOASTS) as pilot:
        await settle(pilot, on_main)
        if name in THEMES:
            app.theme = THEMES[name]
        await steps(pilot)
        await settle(pilot)
        app.save_screenshot(str(HERE / f"{name}.svg"))
    print(f"wrote screenshots/{name}.svg")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        wanted = set(sys.argv[1:])
        for name, steps, size in SHOTS:
            if wanted and name not in wanted:
                continue
            db = Path(folder) / f"{name}.db"
            open_db(str(db), create=True)
            demo.generate()
            close_db()
            asyncio.run(shoot(db, name, steps, size))


if __name__ == "__main__":
    main()
