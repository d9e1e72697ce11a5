"""What a terminal cell shows, for comparing two terminals screen by screen.

A letter shows all of its style. A blank shows its background, and its foreground as
well when something is drawn in it: reverse video paints the cell in the foreground,
an underline or a strike-through is a line in it (boldness may brighten it)."""

from __future__ import annotations

import pyte

DRAWS_ON_BLANK = ("reverse", "underscore", "strikethrough")


def looks(char: pyte.screens.Char) -> tuple[object, ...]:
    """What ``char`` shows on a terminal."""
    if char.data.strip() or char.reverse or char.underscore or char.strikethrough:
        return tuple(char)
    return (char.data, char.bg)


def differences(a: pyte.Screen, b: pyte.Screen, limit: int = 5) -> list[str]:
    """The first cells (at most ``limit``) that look different on ``a`` and ``b``, one
    line each; empty when the two screens look the same."""
    found: list[str] = []
    for y in range(a.lines):
        for x in range(a.columns):
            first, second = looks(a.buffer[y][x]), looks(b.buffer[y][x])
            if first != second:
                found.append(f"row {y + 1}, column {x + 1}: {first} != {second}")
                if len(found) >= limit:
                    return found
    return found


def reversed_blank_colours(screen: pyte.Screen) -> set[str]:
    """The colours of the reversed blanks on ``screen`` (scrollbar thumbs, text cursors)."""
    return {c.fg for line in screen.buffer.values() for c in line.values() if c.reverse and c.data == " "}
