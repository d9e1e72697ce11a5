"""Lean output shows exactly what Textual's own output shows, on real frames of every pane.

The real command runs in a pseudo-terminal with ``OKRATE_RAW_OUTPUT=1``, so what it
writes is Textual's own output, and is recorded while someone visits every pane, opens
the filter, the help and the palette (input cursors) and scrolls (scrollbar thumbs).
The recording is then replayed write by write through the lean output
(:class:`~okrate_tui.ui.driver.LeanOutput` and its screen copy) into one terminal and
as recorded into another: after every frame the two must show the same text in the same
colours."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pyte
import pytest

from benchmarks._wire import Wire
from okrate_tui.ui.driver import SYNC_END, SYNC_START, LeanOutput
from tests.ui.terminal_cells import differences, reversed_blank_colours

pytestmark = pytest.mark.slow

SIZE = (100, 30)
TREE_READY = re.compile(r"\d[\d,]* goals")


class Recorder(Wire):
    """A terminal that keeps every byte the app wrote."""

    def __init__(self, *args, **kwargs) -> None:
        self.recording = bytearray()
        super().__init__(*args, **kwargs)
        feed = self.stream.feed

        def keep(data: bytes) -> None:
            self.recording.extend(data)
            feed(data)

        self.stream.feed = keep  # type: ignore[method-assign]

    def visit(self, keys: str, shows: str, gone: str | None = None) -> None:
        """Press ``keys`` and wait until the screen shows ``shows`` (and no longer ``gone``)
        and is quiet."""
        self.press(keys)
        self.wait(lambda s: shows in s.text() and (gone is None or gone not in s.text()), limit=60)
        self.quiet(0.4)


class FixedSize(LeanOutput):
    """Lean output to a terminal of :data:`SIZE`."""

    def _size(self) -> tuple[int, int]:
        return SIZE


def record(demo_path: Path, home: Path) -> str:
    """Textual's own output while every pane is visited."""
    env = {
        "OKRATE_AS": "maria",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "OKRATE_TODAY": os.environ["OKRATE_TODAY"],
        "OKRATE_RAW_OUTPUT": "1",
    }
    terminal = Recorder(["--db", str(demo_path)], SIZE, env)
    try:
        terminal.start(TREE_READY)
        terminal.visit("jjj", "Hire well")  # the third goal's detail overflows: a scrollbar thumb
        terminal.visit("/", "filter: words")  # an input with its cursor
        terminal.visit("\x1b", "16 goals", gone="filter: words")
        terminal.visit("e", "ctrl+s")  # a form of inputs
        terminal.visit("\x1b", "16 goals", gone="ctrl+s")
        terminal.visit("2", "To do ")
        terminal.visit("jjL", "u undoes")
        terminal.visit("3", "progress  done")
        terminal.visit("?", "Review pane")
        terminal.visit("\x1b", "progress  done", gone="Review pane")
        terminal.visit("\x10", "Search for commands")  # ctrl+p: the palette's input
        terminal.visit("\x1b", "progress  done", gone="Search for commands")
        terminal.visit("1", "16 goals")
    finally:
        terminal.close()
    return bytes(terminal.recording).decode()


def test_every_frame_replayed_through_lean_output_looks_the_same(demo_path: Path, tmp_path: Path) -> None:
    recording = record(demo_path, tmp_path)
    raw, raw_in = terminal()
    lean, lean_in = terminal()
    written = io.StringIO()
    output = FixedSize(written)
    frames = 0
    reversed_blanks: set[str] = set()
    for write in (piece for piece in re.split(f"({re.escape(SYNC_START)}|{re.escape(SYNC_END)})", recording) if piece):
        raw_in.feed(write)
        written.seek(0)
        written.truncate()
        output.write(write)
        lean_in.feed(written.getvalue())
        if write == SYNC_END:
            frames += 1
            different = differences(raw, lean)
            assert not different, f"frame {frames} looks different after lean output:\n" + "\n".join(different)
            assert (raw.cursor.x, raw.cursor.y) == (lean.cursor.x, lean.cursor.y)
            reversed_blanks |= reversed_blank_colours(raw)
    assert frames >= 15  # every pane was drawn, frame by frame
    assert len(reversed_blanks) >= 2, reversed_blanks  # thumbs and cursors, in more than one colour


def terminal() -> tuple[pyte.Screen, pyte.Stream]:
    screen = pyte.Screen(*SIZE)
    return screen, pyte.Stream(screen)
