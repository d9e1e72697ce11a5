"""Small text helpers every reader of typed input shares: folding for comparison, finding
characters that hide text, and echoing what was typed safely in a message."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Control and format characters, surrogates, unassigned code points and line separators
# can hide text or break a terminal; joiners stay (emoji and some scripts need them).
BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
JOINERS = frozenset({"\u200c", "\u200d"})


def fold(text: str) -> str:
    """Lower case without accents, for matching what people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _hidden(ch: str) -> bool:
    return ch not in JOINERS and unicodedata.category(ch) in BAD_CATEGORIES


def control_chars(value: str, allowed: Iterable[str] = ()) -> list[str]:
    """The characters of ``value`` that would hide text or break a terminal."""
    keep = set(allowed)
    return [ch for ch in value if ch not in keep and _hidden(ch)]


def echo(text: str, width: int = 30) -> str:
    """What was typed, fit to quote in a message: hidden characters shown as ``U+…``
    and cut to ``width`` characters."""
    shown = "".join(f"U+{ord(ch):04X}" if _hidden(ch) else ch for ch in text.strip())
    return shown if len(shown) <= width else shown[: width - 1] + "…"
