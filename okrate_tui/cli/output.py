"""Printing: aligned tables for people, stable JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from okrate_tui.core.cells import fit, pad
from okrate_tui.core.cells import width as cell_width


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


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
