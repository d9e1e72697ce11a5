"""Small text helpers every reader of typed input and every printer of stored text shares:
folding for comparison, finding characters that hide text or drive a terminal, and
showing text harmlessly.

The one rule: control and format characters, surrogates, unassigned code points and line
separators are *hidden* characters. They can hide text (U+202E turns it around, U+200B is
invisible) or drive a terminal (ESC starts an escape sequence, U+009B is one on its own,
``\\r`` goes back to the line's start). Typed or imported text that holds one is refused
(see :mod:`okrate_tui.core.validation`); text printed to a terminal shows each as
``U+001B`` (see :func:`visible`), whoever stored it. What stays: the joiners that emoji
and some scripts need (U+200D in 👩‍💻, U+200C in Persian), the tag characters of a
flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿, and emoji newer than this Python's character tables.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
JOINERS = frozenset({"\u200c", "\u200d"})
FLAG = "\U0001f3f4"  # a black flag followed by tag letters and a cancel tag: a region's flag
_TAG_LETTERS = range(0xE0020, 0xE007F)
_CANCEL_TAG = 0xE007F
_EMOJI_BLOCKS = range(0x1F000, 0x1FB00)  # unassigned here: emoji newer than unicodedata's tables
LINES = "\n\t"  # what multi-line text keeps when it is shown
_PIECE = 512


def fold(text: str) -> str:
    """Lower case without accents, for matching what people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _hidden(ch: str) -> bool:
    if ch in JOINERS:
        return False
    category = unicodedata.category(ch)
    if category not in BAD_CATEGORIES:
        return False
    return not (category == "Cn" and ord(ch) in _EMOJI_BLOCKS)


def _flag_tags(value: str) -> set[int]:
    """Positions of tag characters that spell a flag after U+1F3F4 (and end in U+E007F)."""
    kept: set[int] = set()
    start = value.find(FLAG)
    while start != -1:
        end = start + 1
        while end < len(value) and ord(value[end]) in _TAG_LETTERS:
            end += 1
        if end > start + 1 and end < len(value) and ord(value[end]) == _CANCEL_TAG:
            kept.update(range(start + 1, end + 1))
        start = value.find(FLAG, end)
    return kept


def _plain(value: str, keep: str) -> bool:
    """Certainly free of hidden characters (a fast test that may say no to clean text)."""
    if value.isprintable():
        return True
    for ch in (*keep, *JOINERS):
        if ch in value:
            value = value.replace(ch, "")
    return value.isprintable()


def hidden_at(value: str, allowed: Iterable[str] = ()) -> list[int]:
    """Positions of the characters of ``value`` that would hide text or drive a terminal."""
    keep = "".join(allowed)
    if _plain(value, keep):
        return []
    found: list[int] = []
    for start in range(0, len(value), _PIECE):  # long text: only pieces that need it are read by hand
        piece = value[start : start + _PIECE]
        if not _plain(piece, keep):
            found += [i for i, ch in enumerate(piece, start) if ch not in keep and _hidden(ch)]
    if found and FLAG in value:
        flags = _flag_tags(value)
        found = [i for i in found if i not in flags]
    return found


def control_chars(value: str, allowed: Iterable[str] = ()) -> list[str]:
    """The characters of ``value`` that would hide text or drive a terminal."""
    return [value[i] for i in hidden_at(value, allowed)]


def visible(value: str, keep: str = LINES) -> str:
    """``value`` fit for a terminal: each hidden character shown as ``U+001B`` (line
    breaks and tabs kept unless ``keep`` says otherwise). Clean text comes back as is."""
    if _plain(value, keep):
        return value
    at = hidden_at(value, keep)
    if not at:
        return value
    parts: list[str] = []
    last = 0
    for i in at:
        parts.append(value[last:i])
        parts.append(f"U+{ord(value[i]):04X}")
        last = i + 1
    parts.append(value[last:])
    return "".join(parts)


def one_line(value: str) -> str:
    """``value`` shown on one line: line breaks and tabs as spaces, hidden characters visible."""
    return visible(" ".join(value.split("\n")).replace("\t", " "), keep="")


def logged(value: str, limit: int) -> str:
    """Text a log keeps of what was sent: every hidden character, line breaks too, shown
    as ``U+001B`` (a log cannot refuse what happened, so it keeps it harmless and on one
    line), cut to ``limit`` characters."""
    shown = visible(value, keep="")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def echo(text: str, width: int = 30) -> str:
    """What was typed, fit to quote in a message: hidden characters shown as ``U+…``
    and cut to ``width`` characters."""
    shown = visible(text.strip(), keep="")
    return shown if len(shown) <= width else shown[: width - 1] + "…"
