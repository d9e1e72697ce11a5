"""Text measured in terminal cells: a CJK character or an emoji takes two, a combining
mark none. Columns line up and cuts land on whole characters."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """0, 1 or 2 cells for one code point."""
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0  # accents, variation selectors, joiners
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """How many cells ``text`` takes in a terminal."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(char_width(ch) for ch in text)


def fit(text: str, cells: int) -> str:
    """``text`` cut to at most ``cells`` cells, ending in '…' when cut."""
    if width(text) <= cells:
        return text
    room = cells - 1
    kept: list[str] = []
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > room:
            break
        kept.append(ch)
        used += w
    return "".join(kept) + ELLIPSIS if cells > 0 else ""


def pad(text: str, cells: int) -> str:
    """``text`` with spaces after it to fill ``cells`` cells (like ``str.ljust``)."""
    return text + " " * max(cells - width(text), 0)
