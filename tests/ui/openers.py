"""Which keys open something (a screen, a form, a picker, a filter, the palette), found by
pressing every key in reach of each pane in a running app: the list is built from the
bindings themselves, so a key added later is covered without naming it here."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from textual.widgets import Input, TextArea

from okrate_tui.ui.app import OkrateApp
from okrate_tui.ui.screens.main import MainScreen
from tests.ui.conftest import settle

# Keys that leave the app or only move between places: never openers.
NOT_OPENERS = {"app.quit", "app.goals", "app.board", "app.review"}
PLACES = {
    "goals": ("1",),
    "parts": ("1", "tab"),
    "board": ("2",),
    "review": ("3",),
}
SIZE = (160, 45)


@dataclass(frozen=True)
class Opener:
    place: str  # where the key was pressed: goals, parts, board, review
    key: str  # the key as Textual names it (after the keymap)
    binding: str  # the binding's id, or its action when it has none
    screen: str  # what opened: a screen's class name, or "" when a field in the pane got the focus
    field: bool  # the focus went to a text field (what follows the key is typed into it)
    writes: bool  # opening it writes by itself (a one-on-one starts today's meeting)
    keys: frozenset[str] = frozenset()  # the keys of what opened (its bindings)


def digest(path: Path) -> str:
    """Everything stored, as one hash (read beside the running app)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        hashed = hashlib.sha256()
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                hashed.update(repr(row).encode())
        return hashed.hexdigest()
    finally:
        db.close()


async def _home(app: OkrateApp, pilot, place: str, focus: object = None) -> None:
    """Back to ``place`` (nothing to do when the focus is still where it was left there)."""
    if focus is not None and isinstance(app.screen, MainScreen) and app.focused is focus:
        return
    for _ in range(6):
        if isinstance(app.screen, MainScreen) and not isinstance(app.focused, Input | TextArea):
            break
        await pilot.press("escape")
        await settle(pilot, timeout=60)
    for key in PLACES[place]:
        await pilot.press(key)
        await settle(pilot, timeout=60)


def _keys_in_reach(app: OkrateApp) -> list[tuple[str, str]]:
    """(key, binding id) of every binding the focused widget, its containers, the screen
    and the app answer to now, system ones (the palette) included."""
    found: dict[str, tuple[str, str]] = {}
    for key, active in app.screen.active_bindings.items():
        binding = active.binding
        if not active.enabled or binding.action in ("quit", "app.quit"):
            continue
        name = binding.id or f"{type(active.node).__name__}.{binding.action}"
        if name in NOT_OPENERS or name in found:
            continue
        found[name] = (key, name)
    return sorted(found.values())


async def _find(demo: Path, work: Path) -> list[Opener]:
    openers: list[Opener] = []
    for place in PLACES:
        path = work / f"openers-{place}.db"
        shutil.copy(demo, path)
        app = OkrateApp(
            url=str(path),
            as_handle="maria",
            config_file=work / "none.toml",
            poll_seconds=3600,
            blink=False,
            agenda_notice=False,
        )
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda a: isinstance(a.screen, MainScreen), timeout=60)
            await _home(app, pilot, place)
            home = app.focused
            for key, name in _keys_in_reach(app):
                await _home(app, pilot, place, home)
                screen, focused, before = app.screen, app.focused, digest(path)
                await pilot.press(key)
                await settle(pilot, timeout=60)
                await pilot.pause(0.05)
                await settle(pilot, timeout=60)
                writes = digest(path) != before
                if app.screen is not screen:
                    field = isinstance(app.focused, Input | TextArea)
                    keys = frozenset(app.screen.active_bindings)
                    openers.append(Opener(place, key, name, type(app.screen).__name__, field, writes, keys))
                elif app.focused is not focused and isinstance(app.focused, Input | TextArea):
                    openers.append(Opener(place, key, name, "", True, writes))
    return openers


def find_openers(demo: Path, work: Path) -> list[Opener]:
    """Every opener of every pane of the demo organisation, as @maria (an admin)."""
    return asyncio.run(_find(demo, work))
