"""Printing: aligned tables for people, stable JSON for scripts, and everything a command
writes shown harmlessly (stored text cannot drive the terminal it is printed on)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from okrate_tui.core.cells import fit, pad
from okrate_tui.core.cells import width as cell_width
from okrate_tui.core.text import hidden_at, one_line, visible


def json_text(value: Any, indent: int | None = 2) -> str:
    """``value`` as JSON (UTF-8 kept) in which no character can drive a terminal: any
    hidden one inside a string is written as its ``\\u`` escape, so the data is the same."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, default=str)
    at = hidden_at(text, "\n")
    if not at:
        return text
    chars = list(text)
    for i in at:
        chars[i] = json.dumps(chars[i], ensure_ascii=True)[1:-1]  # \u202e, or a surrogate pair
    return "".join(chars)


def emit_json(value: Any) -> None:
    sys.stdout.write(json_text(value) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return one_line(str(value))


class Harmless:
    """A text stream that shows hidden characters (``U+001B``) instead of writing them:
    whatever a command prints, a stored title cannot retitle, clear or move around the
    terminal. Line breaks and tabs pass; a CRLF pair (an ICS file's line end) passes too."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        if "\r\n" in text:
            self.inner.write("\r\n".join(visible(part) for part in text.split("\r\n")))
        else:
            self.inner.write(visible(text))
        return len(text)

    def writelines(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextlib.contextmanager
def harmless_output() -> Iterator[None]:
    """Standard output and error shown harmlessly until the block ends."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, Harmless):
        sys.stdout = Harmless(sys.stdout)
    if not isinstance(sys.stderr, Harmless):
        sys.stderr = Harmless(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def raw_output() -> Iterator[None]:
    """The streams as they were (for the app, which draws the terminal itself)."""
    saved = sys.stdout, sys.stderr
    sys.stdout = getattr(sys.stdout, "inner", sys.stdout)
    sys.stderr = getattr(sys.stderr, "inner", sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str], *, width: int = 60) -> None:
    """Print rows under headers, columns padded; long cells cut with '…' (all in terminal cells)."""
    cells = [[fit(_cell(v), width) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, cell_width(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(pad(h.upper(), w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    for row in cells:
        print("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


PLURALS = {
    "person": "people",
    "key_result": "key results",
    "check_in": "check-ins",
    "one_on_one": "one-on-ones",
    "talking_point": "talking points",
    "change": "changes",
}


def counted(n: int, noun: str) -> str:
    """'1 task', '3 tasks', '12 people', '4 key results'."""
    if n == 1:
        return f"1 {noun.replace('_', ' ')}"
    return f"{n:,} {PLURALS.get(noun, noun.replace('_', ' ') + 's')}"


def num(value: float) -> str:
    """A number as people write it: 1,800,000 and 0.5, never 1.8e+06."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def interactive() -> bool:
    """Is a person at this command's terminal to answer a question?"""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask(question: str) -> bool:
    """Ask a yes/no question on the terminal; anything but yes is no."""
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
