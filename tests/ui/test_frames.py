"""What the real app writes to a terminal: one frame per card move, and never a board
that says "nothing here" while it has cards to show. The app runs as the real command in
a pseudo-terminal that answers Textual's question about synchronized output, so every
frame is marked and can be counted and looked at one by one."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmarks._wire import FRAME_START, Wire

pytestmark = pytest.mark.slow

TREE_READY = re.compile(r"\d[\d,]* goals")
BOARD_READY = re.compile(r"· [\d,]+ tasks")
STYLES_BACK_TO_BACK = re.compile(rb"\x1b\[[0-9;]*m\x1b\[[0-9;]*m")


class FrameByFrame(Wire):
    """A terminal that shows each frame on its own and remembers every screen it showed."""

    def __init__(self, *args, **kwargs) -> None:
        self.screens: list[str] = []
        self.received = bytearray()  # every byte the terminal got
        super().__init__(*args, **kwargs)
        self.stream.feed = self._feed_frames  # type: ignore[method-assign]

    def _feed_frames(self, data: bytes) -> None:
        self.received.extend(data)
        parts = data.split(FRAME_START)
        for number, part in enumerate(parts):
            type(self.stream).feed(self.stream, (FRAME_START if number else b"") + part)
            self.screens.append(self.text())


@pytest.fixture
def app_in_terminal(demo_path: Path, tmp_path: Path):
    env = {
        "OKRATE_AS": "maria",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "SSH_CONNECTION": "203.0.113.5 50000 198.51.100.7 22",
        "OKRATE_TODAY": os.environ["OKRATE_TODAY"],
    }
    terminal = FrameByFrame(["--db", str(demo_path)], (160, 45), env)
    terminal.start(TREE_READY)
    yield terminal
    terminal.close()


def test_opening_the_board_never_shows_an_empty_board(app_in_terminal: FrameByFrame) -> None:
    terminal = app_in_terminal
    terminal.screens.clear()
    terminal.act("2")
    terminal.wait(lambda s: BOARD_READY.search(s.text()) is not None and "▌" in s.text(), limit=60)
    terminal.quiet(0.5)
    assert re.search(r"To do [1-9]", terminal.text()) and "@" in terminal.text()  # cards are on screen
    empty = [screen for screen in terminal.screens if "nothing here" in screen]
    assert not empty, "a frame said nothing here:\n" + empty[0]


def test_a_card_move_is_one_frame(app_in_terminal: FrameByFrame) -> None:
    terminal = app_in_terminal
    terminal.act("2")
    terminal.wait(lambda s: BOARD_READY.search(s.text()) is not None, limit=30)
    terminal.quiet(0.5)
    for key in "LH":
        tally = terminal.act(key, quiet=0.6)
        assert tally.frames == 1, f"{key} painted {tally.frames} frames"
        assert "u undoes" in terminal.text()
    assert terminal.text().count("▌") >= 3  # the moved card is selected where it landed
    assert tally.size < 16_000


def test_the_terminal_gets_lean_output(app_in_terminal: FrameByFrame) -> None:
    """The app draws through the lean driver. Textual's own output resets the style and
    writes a whole one before every run of text (thousands of style codes back to back in
    this session) and sends a card move as two whole columns (about 20 KB); lean output
    says each style change once and sends only the cells that changed."""
    terminal = app_in_terminal
    terminal.act("2")
    terminal.wait(lambda s: BOARD_READY.search(s.text()) is not None and "▌" in s.text(), limit=60)
    terminal.quiet(0.5)
    move = terminal.act("L", quiet=0.6)
    assert "u undoes" in terminal.text()
    assert move.size < 10_000, f"a card move sent {move.size} bytes"
    pairs = STYLES_BACK_TO_BACK.findall(terminal.received)
    assert not pairs, f"{len(pairs)} style codes back to back: the output is not the lean driver's"


def test_the_app_draws_at_the_terminals_own_size(demo_path: Path, tmp_path: Path) -> None:
    """A COLUMNS or LINES that a shell exported is not the terminal's size: the app draws
    at the size the terminal has (here 160×45, with 80×24 in the environment)."""
    env = {
        "OKRATE_AS": "maria",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "OKRATE_TODAY": os.environ["OKRATE_TODAY"],
        "COLUMNS": "80",
        "LINES": "24",
    }
    terminal = FrameByFrame(["--db", str(demo_path)], (160, 45), env)
    try:
        terminal.start(TREE_READY)
        terminal.wait(lambda s: "Maria Santos (@maria, admin)" in s.text(), limit=120)
        assert terminal.lines()[44].strip()  # the footer on the last of 45 rows
    finally:
        terminal.close()
