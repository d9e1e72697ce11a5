"""Stored text on screen is shown, never obeyed.

Rich and Textual take control codes out of text only in part (a bell, a backspace, a
carriage return): an escape character in a title would reach the terminal and could
retitle it, set its clipboard or clear it. :func:`install` makes every piece of text
the app draws go through the one rule of :mod:`okrate_tui.core.text` before it is laid
out, so a hidden character shows as ``U+001B`` and takes the cells that shows. Behind
that, the last step before the terminal drops any such character that still comes
through a drawing path of its own (it takes no cells, so nothing moves).
"""

from __future__ import annotations

import rich.text
import textual.content
from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip

from okrate_tui.core.text import hidden_at, visible

_installed = False


def _shown(text: str, _translate_table: dict[int, None] | None = None) -> str:
    """Rich's and Textual's strip of control codes, in the shape of theirs (the table unused)."""
    return visible(text) if text else text


def _dropped(text: str) -> str:
    at = set(hidden_at(text))
    return "".join(ch for i, ch in enumerate(text) if i not in at)


def _harmless(strip: Strip) -> Strip:
    """``strip`` itself, or a copy without hidden characters (they take no cells)."""
    if all(seg.control or seg.text.isprintable() or not hidden_at(seg.text) for seg in strip):
        return strip
    segments = [seg if seg.control else Segment(_dropped(seg.text), seg.style, seg.control) for seg in strip]
    return Strip(segments, strip.cell_length)


def install() -> None:
    """Show hidden characters in all text the app lays out, and drop any left at the end."""
    global _installed
    if _installed:
        return
    _installed = True
    # Textual's and Rich's own strip of control codes (a bell, a carriage return) is where
    # every piece of text passes before it is measured: show the rest there too. Should a
    # release move it, the last step below still keeps the terminal safe.
    if callable(getattr(textual.content, "_strip_control_codes", None)):
        textual.content._strip_control_codes = _shown
    rich.text.strip_control_codes = _shown
    render = Strip.render

    def harmless_render(self: Strip, console: Console) -> str:
        return render(_harmless(self), console)

    Strip.render = harmless_render  # type: ignore[method-assign]


def installed() -> bool:
    return _installed
