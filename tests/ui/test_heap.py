"""What the session keeps out of the cycle collector's way is still freed once it dies,
cycles included, and what is kept does not pile up read after read."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from okrate_tui.ui.store.heap import keep


class Node:
    """An object that refers to itself: only the cycle collector frees it."""

    alive = 0

    def __init__(self) -> None:
        self.me = self
        Node.alive += 1

    def __del__(self) -> None:
        Node.alive -= 1


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def read(size: int) -> list[list[int]]:
    """What a whole read leaves: many small containers that live long."""
    return [[n] for n in range(size)]


def test_keep_moves_what_is_alive_out_of_the_collectors_way() -> None:
    node = Node()
    keep()
    assert gc.get_freeze_count() > 0
    assert not any(obj is node for obj in gc.get_objects()), "a full collection would walk it still"


def test_a_cycle_kept_and_let_go_is_freed_once_reads_have_frozen_enough() -> None:
    keep()
    node = Node()
    dead = weakref.ref(node)
    keep()
    del node
    gc.collect()
    assert dead() is not None, "a kept object is out of the collector's reach for a while"
    board = read(gc.get_freeze_count())
    for _ in range(10):
        board = read(len(board))  # the scope changes: a new board replaces the old one
        keep()
        if dead() is None:
            break
    assert dead() is None
    assert board


BOARD = 100_000  # containers a whole read leaves (a large board), whatever else the process holds


def test_a_hundred_reads_leave_nothing_piled_up() -> None:
    """Each whole read freezes; the cycles that died since earlier reads are freed along the way."""
    keep()
    board = read(min(gc.get_freeze_count() // 2, BOARD))
    keep()
    Node.alive = 0
    counts, kept = [], []
    for _ in range(100):
        nodes = [Node() for _ in range(200)]
        board = read(len(board))
        keep()
        del nodes
        counts.append(gc.get_freeze_count())
        kept.append(Node.alive)
    assert max(kept[50:]) <= max(kept[:50]), "dead cycles pile up read after read"
    assert min(kept[50:]) < 200 * 10, "dead cycles are never freed"
    assert max(counts[50:]) <= max(counts[:50]) + 1000, "what is frozen grows read after read"
    assert board
