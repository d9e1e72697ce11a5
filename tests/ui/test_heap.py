"""What the session keeps out of the cycle collector's way is still freed once it dies,
cycles included."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from okrate_tui.ui.store.heap import keep


class Node:
    """An object that refers to itself: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_keep_moves_what_is_alive_out_of_the_collectors_way() -> None:
    node = Node()
    keep()
    assert gc.get_freeze_count() > 0
    assert not any(obj is node for obj in gc.get_objects()), "a full collection would walk it still"


def test_a_cycle_kept_and_let_go_is_freed_by_the_next_keep() -> None:
    node = Node()
    dead = weakref.ref(node)
    keep()
    del node
    gc.collect()
    assert dead() is not None, "a kept object is out of the collector's reach until the next keep"
    keep()
    assert dead() is None


def test_a_hundred_reads_leave_nothing_behind() -> None:
    """Each whole read freezes; cycles that died since an earlier read do not pile up."""
    keep()
    refs = []
    for _ in range(100):
        nodes = [Node() for _ in range(50)]
        refs += [weakref.ref(n) for n in nodes]
        keep()
        del nodes
    keep()
    assert sum(ref() is not None for ref in refs) == 0
