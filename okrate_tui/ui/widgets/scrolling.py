"""Growing or shrinking what a list scrolls over without laying the whole screen out again."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


def set_virtual_size(view: ScrollView, size: Size, *, repaint: bool = True) -> None:
    """Give ``view`` a new virtual size. Setting it normally lays out the whole screen,
    which on a board of tens of thousands of cards costs a full repaint per change; when
    the scroll bar stays as it is (shown or not), only the bar and the view repaint (only
    the bar with ``repaint=False``, for views that repaint the rows that changed)."""
    if size == view.virtual_size:
        return
    height = view.container_size.height
    before = view.virtual_size.height > height
    after = size.height > height
    if not height or before != after or size.width != view.virtual_size.width:
        view.virtual_size = size  # the scroll bar comes or goes: a real layout
        return
    view.set_reactive(ScrollView.virtual_size, size)
    if view.show_vertical_scrollbar:
        bar = view.vertical_scrollbar
        bar.window_virtual_size = size.height
        bar.refresh()
    if repaint:
        view.refresh()
