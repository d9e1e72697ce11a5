"""Text widgets that show text as it is.

Textual's ``Static`` and ``Label`` read a string as content markup by default: a title
such as ``Fix [/b] bug`` would stop the screen with a markup error, and
``[link="…"]here[/link]`` would become a link in the terminal. People's text is data, so
every text widget of the app comes from here, with markup off (a test holds ``ui/`` to
it); styled text is built as ``rich.text.Text`` or ``Content``, never as markup."""

from __future__ import annotations

from typing import Any

from textual import widgets


class Static(widgets.Static):
    """A ``Static`` whose strings are shown as written."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(content, **kwargs)


class Label(widgets.Label):
    """A ``Label`` whose strings are shown as written."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(content, **kwargs)
