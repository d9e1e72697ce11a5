"""The terminal driver: Textual's own, writing only what changed on the screen
(:mod:`okrate_tui.ui.damage`) in lean style codes (:mod:`okrate_tui.ui.sgr`).

The rewriting happens on the driver's writer thread, off the event loop. Set
``OKRATE_RAW_OUTPUT=1`` to write exactly what Textual produces.

What this leans on in Textual (pinned in ``pyproject.toml``; ``tests/ui/test_driver.py``
fails when an upgrade changes any of it):

- :class:`~textual.drivers.linux_driver.LinuxDriver` is the terminal driver of Linux and
  macOS, and hands the file named by :data:`TEXTUAL_OUTPUT_FILE` to its writer thread
  when application mode starts. That attribute is the one private hook: wrapping the
  file is what keeps the rewriting on the writer thread.
- The app writes each frame as three writes: :data:`SYNC_START`, the frame, :data:`SYNC_END`
  (the marks of synchronized output, when the terminal has it).
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

from textual.driver import Driver

from okrate_tui.ui.damage import ScreenCopy

# the marks around a frame in synchronized output (the terminal mode 2026)
SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"
# LinuxDriver's attribute holding the file its writer thread writes to (private to Textual)
TEXTUAL_OUTPUT_FILE = "_file"
RAW_ENV = "OKRATE_RAW_OUTPUT"


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


if sys.platform != "win32":
    from textual.drivers.linux_driver import LinuxDriver

    class LeanDriver(LinuxDriver):
        """Textual's terminal driver of Linux and macOS, writing through :class:`LeanOutput`."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.lean_output = LeanOutput(getattr(self, TEXTUAL_OUTPUT_FILE))
            setattr(self, TEXTUAL_OUTPUT_FILE, self.lean_output)

    def lean_driver(base: type[Driver]) -> type[Driver]:
        """``base`` writing lean output, when it is the terminal driver of Linux and macOS
        (or a subclass of it) and raw output was not asked for."""
        if os.environ.get(RAW_ENV) or not issubclass(base, LinuxDriver) or issubclass(base, LeanDriver):
            return base
        if base is LinuxDriver:
            return LeanDriver
        return type(f"Lean{base.__name__}", (LeanDriver, base), {})

else:  # Windows has its own driver, and it writes what Textual writes

    def lean_driver(base: type[Driver]) -> type[Driver]:
        """``base`` itself: the lean output rides on the driver of Linux and macOS."""
        return base
