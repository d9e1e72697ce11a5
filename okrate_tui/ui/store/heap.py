"""Keeping Python's cycle collector off what the session holds for long.

A goal tree of 7,500 goals and a board of 75,000 cards are hundreds of thousands of
objects. Python's full collections walk every one of them, and one lands now and then in
the middle of a keystroke: a card move that takes 50 ms took 200–400 ms then. Once such
a read has landed, :func:`keep` moves everything alive out of the collector's way; what
is let go later is still freed by reference counting."""

from __future__ import annotations

import gc


def keep() -> None:
    """Exempt everything alive now from later cycle collections."""
    gc.freeze()
