"""Keys typed ahead, in a real terminal: a key and what follows it arrive in one write (a
fast typist, a paste, one SSH packet). Whatever the key opens takes the rest, in order,
and nothing reaches the pane underneath: the database is compared before and after.

The openers are found by pressing every key in reach of each pane (tests/ui/openers.py),
so a key added later is tested without being named here."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks._wire import Wire
from okrate_tui import demo
from okrate_tui.core import clock
from okrate_tui.core.db import close_db, open_db
from tests.conftest import TODAY
from tests.ui.openers import Opener, digest, find_openers

pytestmark = pytest.mark.slow

TREE_READY = re.compile(r"\d[\d,]* goals")
BOARD_READY = re.compile(r"· [\d,]+ tasks")
KEY_BYTES = {
    "slash": b"/",
    "question_mark": b"?",
    "enter": b"\r",
    "tab": b"\t",
    "ctrl+p": b"\x10",
    "ctrl+s": b"\x13",
    "ctrl+u": b"\x15",
    "backspace": b"\x7f",
}
PLACE_KEYS = {"goals": b"1", "parts": b"1\t", "board": b"2", "review": b"3"}
FULL_TOP = "Maria Santos (@maria, admin)"  # the top bar once the session is read
READY = {
    "goals": lambda text: FULL_TOP in text and TREE_READY.search(text) is not None and "⏎ Open board" in text,
    "parts": lambda text: FULL_TOP in text and text.splitlines()[-1].startswith(" a Add"),
    "board": lambda text: FULL_TOP in text and BOARD_READY.search(text) is not None and "workload " in text,
    "review": lambda text: FULL_TOP in text and " o 1:1 " in text.splitlines()[-1],
}
TYPED = "taxed"
# keys that write on the panes: what follows a key that opens a screen without a field
PANE_WRITES = "xudpLHJK"  # every letter of it does something on a pane when it leaks there
TOASTS = 95  # notifications show right of this column
LONG = 120.0  # a cap for waits that end on their own: only a stuck app reaches it


def stored(path: Path, sql: str, *args: object) -> list[tuple]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return list(db.execute(sql, args))
    finally:
        db.close()


def eventually(terminal: Terminal, check: Callable[[], bool]) -> None:
    """Until ``check`` holds (the terminal read meanwhile, so the app is never held up)."""
    terminal.wait(lambda _: check(), limit=LONG)


def key_bytes(key: str) -> bytes:
    return KEY_BYTES.get(key, key.encode())


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("typeahead") / "demo.db"
    clock.freeze(TODAY)
    open_db(str(path), create=True)
    demo.generate()
    close_db()
    yield path


@pytest.fixture(scope="module")
def openers(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Opener]:
    clock.freeze(TODAY)
    found = find_openers(demo_file, tmp_path_factory.mktemp("openers"))
    close_db()
    return found


class Terminal(Wire):
    """The app in a pseudo-terminal, on its own copy of the demo."""

    def __init__(
        self, path: Path, home: Path, typed_at_start: bytes = b"", ready: re.Pattern[str] = TREE_READY
    ) -> None:
        env = {
            "OKRATE_AS": "maria",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home),
            "XDG_DATA_HOME": str(home),
            "OKRATE_TODAY": os.environ["OKRATE_TODAY"],
            "SSH_CONNECTION": "203.0.113.5 50000 198.51.100.7 22",  # no blinking cursor to tell apart
        }
        super().__init__(["--db", str(path)], (160, 45), env)
        self.path = path
        if typed_at_start:
            self._send(typed_at_start)  # before the app has drawn anything
        self.start(ready)

    def burst(self, data: bytes) -> None:
        """Everything in one write, as one SSH packet brings it."""
        self.quiet(0.2)
        self._send(data)

    def settle(self) -> None:
        self.quiet(0.6, limit=LONG)

    def shows(self, text: str) -> None:
        self.wait(lambda s: text in s.text(), limit=LONG)

    def go(self, place: str) -> None:
        """To a pane, and wait until it is whole (a busy machine draws it in several goes)."""
        self.burst(PLACE_KEYS[place])
        self.wait(lambda s: READY[place](s.text()), limit=LONG)
        self.settle()

    def view(self) -> str:
        """The screen but its bottom-right corner, where notifications come and go."""
        return "\n".join(line[:TOASTS] if row > 2 else line for row, line in enumerate(self.lines()))

    def at(self, home: str) -> bool:
        """Back on the pane as it was."""
        return self.view() == home

    def changes(self, data: bytes) -> None:
        """Send ``data`` and wait until the screen shows its effect."""
        shown = self.view()
        self.burst(data)
        self.wait(lambda s: s.view() != shown, limit=LONG)
        self.settle()

    def close_all(self, home: str) -> None:
        """Back to the pane: esc until nothing is open (saying yes to leaving a form)."""
        for _ in range(6):
            if self.at(home):
                return
            self.changes(b"\x1b")
            if "Discard what you typed?" in self.text():
                self.changes(b"y")


@pytest.fixture
def terminal(demo_file: Path, tmp_path: Path) -> Iterator[Terminal]:
    path = tmp_path / "typeahead.db"
    shutil.copy(demo_file, path)
    term = Terminal(path, tmp_path)
    yield term
    term.close()


@pytest.mark.parametrize("place", list(PLACE_KEYS))
def test_every_opener_takes_the_keys_typed_with_it(place: str, openers: list[Opener], terminal: Terminal) -> None:
    mine = [opener for opener in openers if opener.place == place]
    assert mine, f"no key opens anything on the {place} pane"
    terminal.go(place)
    home = terminal.view()
    before = digest(terminal.path)
    for opener in mine:
        if opener.writes:  # what opening it writes by itself is not what this test is after
            terminal.changes(key_bytes(opener.key))
            terminal.changes(b"\x1b")  # the pane shows what was written: take it as it is now
            home, before = terminal.view(), digest(terminal.path)
        if opener.screen == "ConfirmScreen":
            typed = b"y"  # a yes typed before the question showed answers nothing
        elif opener.field:
            typed = TYPED.encode()
        else:  # keys that would write on the pane and mean nothing on the screen that opens
            typed = "".join(key for key in PANE_WRITES if key not in opener.keys)[:3].encode()
        terminal.burst(key_bytes(opener.key) + typed)
        if opener.screen == "ConfirmScreen":
            terminal.shows("Keys typed before this question showed do not answer it")
        elif opener.field:
            terminal.shows(TYPED)
        else:
            terminal.wait(lambda s, home=home: not s.at(home), limit=LONG)  # type: ignore[misc]
        terminal.settle()
        assert digest(terminal.path) == before, f"{opener.key} + {typed!r} ({opener.binding}) changed the database"
        terminal.close_all(home)
        assert terminal.at(home), f"after {opener.key} ({opener.binding}) the pane is not as it was"


def selected_task(terminal: Terminal) -> int:
    return stored(terminal.path, "SELECT id FROM task WHERE title LIKE 'Share the quarterly revenue plan%'")[0][0]


def test_control_keys_in_a_burst_apply_in_order(terminal: Terminal) -> None:
    terminal.go("board")
    task = selected_task(terminal)  # the first card of To do, where the selection starts
    title = "SELECT title, deadline FROM task WHERE id = ?"
    # ctrl+u empties the title, three backspaces take "act" back, "act" types it again
    terminal.burst(b"e\x15Contract\x7f\x7f\x7fact\x13")
    eventually(
        terminal, lambda: stored(terminal.path, title, task)[0][0] != "Share the quarterly revenue plan with all teams"
    )
    terminal.settle()
    assert stored(terminal.path, title, task) == [("Contract", "2026-12-29")]
    # the deadline is the sixth field: five tabs, ctrl+u, a relative date, ctrl+s
    terminal.burst(b"e\t\t\t\t\t\x15+2w\x13")
    eventually(terminal, lambda: stored(terminal.path, title, task)[0][1] != "2026-12-29")
    terminal.settle()
    assert stored(terminal.path, title, task) == [("Contract", (TODAY + timedelta(days=14)).isoformat())]


def test_a_question_never_takes_a_yes_typed_before_it(terminal: Terminal) -> None:
    terminal.go("board")
    before = digest(terminal.path)
    terminal.burst(b"dy")
    terminal.shows("Keys typed before this question showed do not answer it")
    terminal.settle()
    assert "Delete “Share the quarterly revenue plan" in terminal.text()
    assert digest(terminal.path) == before
    terminal.burst(b"n")
    terminal.wait(lambda s: "Delete “" not in s.text(), limit=LONG)
    assert digest(terminal.path) == before


def test_done_undo_done_completes_the_card_it_should(terminal: Terminal) -> None:
    terminal.go("board")
    task = selected_task(terminal)
    ops = "SELECT COUNT(DISTINCT op) FROM change WHERE entity = 'task' AND entity_id = ?"
    terminal.burst(b"xux")
    eventually(terminal, lambda: stored(terminal.path, ops, task) != [(1,)] and "u undoes (1)" in terminal.text())
    terminal.settle()
    assert stored(terminal.path, ops, task) == [(4,)]  # created, done, undone, done: the same card each time
    done = stored(terminal.path, "SELECT id FROM task WHERE status = 'done' ORDER BY completed_at DESC LIMIT 1")
    assert done == [(task,)]


def test_keys_typed_while_the_app_starts_wait_for_it(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "start.db"
    shutil.copy(demo_file, path)
    before = digest(path)
    terminal = Terminal(path, tmp_path, typed_at_start=b"2/tax", ready=re.compile("filter: tax"))
    try:
        terminal.settle()
        assert "Board · 0 of 67 · filter: tax" in terminal.text()
        assert digest(path) == before
    finally:
        terminal.close()
