"""Long text in the person's own editor: the field's text goes into a private temporary
file, the editor runs on the terminal while the app steps aside, and what was saved comes
back into the field.

On a team server the app runs as the server's account, so an editor that can open other
files or start a shell would hand a person that account. There only ``nano`` in its
restricted mode (``rnano``) is run, whatever ``$EDITOR`` says.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import SuspendNotSupported

FALLBACKS = ("vi", "nano")
LARGEST = 200_000  # characters taken back at most: a field holds far less (see TEXT_MAX)


@dataclass(frozen=True)
class Edited:
    """What came back: the new ``text`` (None when the field stays as it was) and a
    sentence for the person when something went wrong or nothing changed."""

    text: str | None
    note: str = ""
    problem: bool = False


def editor_command(
    environ: Mapping[str, str], *, server: bool = False, which: Callable[[str], str | None] = shutil.which
) -> list[str] | None:
    """The editor to run, as words (``$VISUAL``, then ``$EDITOR``, then ``vi``, then
    ``nano``); on a team server only restricted ``nano``. None when there is none."""
    if server:
        if which("rnano"):
            return ["rnano"]
        return ["nano", "--restricted"] if which("nano") else None
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if not value:
            continue
        try:
            words = shlex.split(value)
        except ValueError:
            continue
        if words:
            return words
    return next(([name] for name in FALLBACKS if which(name)), None)


def run_editor(command: list[str], text: str) -> Edited:
    """Run ``command`` on a file holding ``text`` and read back what was saved. The file
    (mode 0600) lives in a folder of its own (mode 0700) that is removed afterwards.
    Never raises: every failure is an :class:`Edited` that keeps the field."""
    name = Path(command[0]).name
    with tempfile.TemporaryDirectory(prefix="okrate-") as folder:
        path = Path(folder) / "text.md"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            with _quiet_interrupts():
                code = subprocess.call([*command, str(path)])
        except OSError as exc:
            return Edited(None, f"Could not run {name}: {exc.strerror or exc}.", problem=True)
        if code != 0:
            return Edited(None, f"{name} exited with status {code}: the field is unchanged.", problem=True)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return Edited(None, f"The edited text could not be read back ({exc.strerror}).", problem=True)
    try:
        back = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Edited(None, "The edited text is not UTF-8: the field is unchanged.", problem=True)
    back = back.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")  # editors end the file with a newline
    if len(back) > LARGEST:
        too_long = f"The edited text is far too long ({len(back):,} characters): the field is unchanged."
        return Edited(None, too_long, problem=True)
    if back == text.rstrip("\n"):
        return Edited(None, "Nothing was changed in the editor.")
    return Edited(back)


@contextmanager
def _quiet_interrupts() -> Iterator[None]:
    """While the editor has the terminal, ctrl+c belongs to it: the app ignores the
    interrupt (a handler, not SIG_IGN, so the editor itself still gets the default)."""
    try:
        before = signal.signal(signal.SIGINT, _ignore)
    except ValueError:  # not the main thread: nothing to guard
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _ignore(signum: int, frame: Any) -> None:
    return None


def edit_text(app: Any, text: str, *, server: bool = False, environ: Mapping[str, str] | None = None) -> Edited:
    """Hand the terminal to the editor for ``text`` (through ``app.suspend()``)."""
    command = editor_command(os.environ if environ is None else environ, server=server)
    if command is None:
        if server:
            why = "This server has no restricted editor (rnano): type the text here, or ask its operator for nano."
        else:
            why = "No editor found: set $EDITOR (for example EDITOR=nano or EDITOR='code --wait')."
        return Edited(None, why, problem=True)
    outcome: Edited | None = None
    failure: BaseException | None = None
    try:
        with app.suspend():
            try:
                outcome = run_editor(command, text)
            except Exception as exc:  # the app must come back whatever happened
                failure = exc
    except SuspendNotSupported:
        return Edited(
            None, "This terminal cannot step aside for an editor (as in a browser): type the text here.", problem=True
        )
    if failure is not None:
        raise failure
    return outcome if outcome is not None else Edited(None)
