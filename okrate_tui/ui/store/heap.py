"""Keeping Python's cycle collector off what the session holds for long.

A goal tree of 7,500 goals and a board of 75,000 cards are hundreds of thousands of
objects. Python's full collections walk every one of them, and one lands now and then in
the middle of a keystroke: a card move that takes 50 ms took 200–400 ms then. Once such
a read has landed, :func:`keep` moves everything alive out of the collector's way
(``gc.freeze``), so the collections that follow walk only what was made since.

A frozen object is never collected: freed by reference counting when it is let go, but
kept for good when it dies inside a reference cycle (Textual's rendered lines and
layouts are such cycles, a few thousand objects at any moment). Freezing on every read
therefore kept the cycles of every earlier screen: toggling the board's scope leaked
about 0.8 MB a toggle. So once the reads since the last collection have frozen a quarter
as many objects again as were frozen after it (the rule of Python's own full
collections), a read gives the frozen objects back to the collector, collects once, and
freezes what is still alive: what died is freed, the cycles kept in between never add up
to more than a share of what is alive, and the full pass (about 0.1 s on the
100,000-task organisation, about every second whole board) is spent while the read's
own screen is being built, never between keystrokes.

A whole read also lets go of the one before it (75,000 cards when the scope changes),
and the C allocator keeps the pages they stood on; where it can (glibc), those pages are
handed back to the system after the collection, so a session's memory follows what it
holds.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable


def _trimmer() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where there is none (macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_trim = _trimmer()


class _Kept:
    """How much is frozen: right after the last collection, and newly since."""

    after_collection = 0
    since = 0


def keep() -> None:
    """Exempt everything alive now from later cycle collections; when enough has been
    exempted since the last time, first collect the cycles that died among it."""
    frozen = gc.get_freeze_count()
    if frozen and _Kept.since > _Kept.after_collection // 4:
        gc.unfreeze()
        gc.collect()
        if _trim is not None:
            _trim(0)
        gc.freeze()
        _Kept.after_collection, _Kept.since = gc.get_freeze_count(), 0
        return
    gc.freeze()
    _Kept.since += max(gc.get_freeze_count() - frozen, 0)
