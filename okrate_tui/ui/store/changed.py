"""How a store change reaches the views: one typed message, :class:`StoreChanged`.

A view hears of changes by defining ``on_store_changed``; the app hands every event of
the session store to each such view on the screens it shows or holds beneath.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from okrate_tui.ui.store.events import Event

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

HANDLERS = ("on_store_changed", "_on_store_changed")


class StoreChanged(Message, bubble=False):
    """Something the session store holds changed: ``event`` says what."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


def hears(node: DOMNode) -> bool:
    """Does ``node`` handle :class:`StoreChanged` (with an ``on_store_changed`` method)?"""
    return any(hasattr(node, name) for name in HANDLERS)


def tell_views(app: App[Any], event: Event) -> int:
    """Post ``event`` to every view that hears store changes, on every screen shown or
    stacked; returns how many were told."""
    told = 0
    for screen in app.screen_stack:
        for node in screen.walk_children(with_self=True):
            if hears(node) and node.post_message(StoreChanged(event)):
                told += 1
    return told
