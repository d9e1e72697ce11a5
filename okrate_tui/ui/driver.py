"""The terminal driver: Textual's own, writing only what changed on the screen
(:mod:`okrate_tui.ui.damage`) in lean style codes (:mod:`okrate_tui.ui.sgr`).

The rewriting happens on the driver's writer thread, off the event loop. Set
``OKRATE_RAW_OUTPUT=1`` to write exactly what Textual produces."""

from __future__ import annotations

import os
from typing import IO, Any

from textual._ansi_sequences import SYNC_END, SYNC_START
from textual.driver import Driver

from okrate_tui.ui.damage import ScreenCopy


class LeanOutput:
    """A terminal's text file whose writes carry only what changes on the screen."""

    limit: tuple[int, int] | None = None  # the largest screen copied (a team server's terminal limit)

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self._copy = ScreenCopy()
        self._held = ""  # a frame's start mark, sent with the frame if it changes anything
        self._dropped = False

    def _size(self) -> tuple[int, int] | None:
        try:
            columns, rows = os.get_terminal_size(self._file.fileno())
        except (OSError, ValueError):
            return None
        if self.limit is not None:
            return min(columns, self.limit[0]), min(rows, self.limit[1])
        return columns, rows

    def write(self, text: str) -> int:
        """Frames come as three writes: the start mark, the frame, the end mark. A frame
        that changes nothing is not sent, marks included."""
        if text == SYNC_START:
            self._held = text
            return len(text)
        if text == SYNC_END and self._dropped:
            self._dropped = False
            return len(text)
        out = self._copy.frame(text, self._size())
        if self._held:
            self._held = ""
            if not out:
                self._dropped = True
                return len(text)
            out = SYNC_START + out
        return self._file.write(out) if out else len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def lean_driver(base: type[Driver]) -> type[Driver]:
    """``base`` writing lean output, when it is the terminal driver of Linux and macOS."""
    if base.__name__ != "LinuxDriver" or os.environ.get("OKRATE_RAW_OUTPUT"):
        return base

    class LeanDriver(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._file = LeanOutput(self._file)

    return LeanDriver
