"""Keys typed while the app starts are the app's keys.

Until Textual takes the terminal over, the terminal reads what is typed as a line of
its own: ``ctrl+u`` erases the line, Enter turns into a line feed, ``ctrl+c`` stops
Python with a traceback. A person who types ahead while the app starts (a habit, a
slow SSH link) would see their keys changed on the way. :func:`keys_as_typed` switches
the terminal's line reading off at once, before the slow imports, and puts it back as
it was when the app has ended (Textual restores what it found: this mode)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def keys_as_typed(wanted: bool) -> Iterator[None]:
    """While inside, a terminal on stdin passes each key on as typed (when ``wanted``)."""
    if not wanted or not sys.stdin.isatty():
        yield
        return
    import termios

    fd = sys.stdin.fileno()
    try:
        before = termios.tcgetattr(fd)
    except termios.error:
        yield
        return
    keys = termios.tcgetattr(fd)
    keys[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR | termios.IXON | termios.BRKINT)
    keys[3] &= ~(termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN)
    keys[6][termios.VMIN] = 1
    keys[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSANOW, keys)  # TCSANOW: what was typed already stays
    try:
        yield
    finally:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, before)
