"""A yes/no question, which says so when its subject changes or vanishes meanwhile, and
which only keys typed after it was drawn can answer."""

from __future__ import annotations

from time import monotonic
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import Event, RecordsChanged
from okrate_tui.ui.widgets.plain import Label, Static


class ConfirmScreen(ModalScreen[bool]):
    """``watch`` (kept as ``watched``) names the record the question is about, as
    ``(entity, id)``: when another session changes it the question says who and what, and
    when it is deleted the answer can only be no. Keys typed before the question was on
    screen (``d`` then ``y`` in one burst) never answer it yes:
    :mod:`okrate_tui.ui.typeahead` drops them; a "no" typed ahead closes it."""

    fresh_keys_only = True

    BINDINGS: ClassVar[list[BindingType]] = default_keys("confirm")

    def __init__(self, question: str, detail: str = "", *, watch: tuple[str, int] | None = None) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.watched = watch
        self.gone = False
        self.drawn_at: float | None = None  # when the question was first on screen

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(self.question, id="confirm-question")
            yield Static(self.detail, id="confirm-detail")
            yield Static("", id="confirm-news")
            yield Static("y  yes      n  no", id="confirm-keys")

    def on_mount(self) -> None:
        self.call_after_refresh(self._drawn)
        self.query_one("#confirm-detail").display = bool(self.detail)
        self.query_one("#confirm-news").display = False

    def _drawn(self) -> None:
        self.drawn_at = monotonic()

    def safe_early(self, key: str) -> bool:
        """A key that answers no may come before the question showed: it only closes it."""
        active = self.active_bindings.get(key)
        return active is not None and active.binding.action == "answer(False)"

    def keys_ignored(self) -> None:
        """Say why a key did nothing: it was typed before the question showed."""
        news = self.query_one("#confirm-news", Static)
        if self.gone or news.display:
            return
        news.display = True
        news.update(Text("Keys typed before this question showed do not answer it: y yes, n no.", style="bold"))

    def on_store_changed(self, message: StoreChanged) -> None:
        self._heard(message.event)

    def _heard(self, event: Event) -> None:
        if not isinstance(event, RecordsChanged) or self.watched is None:
            return
        touch = event.touch(*self.watched)
        if touch is None or touch.local:
            return
        news = self.query_one("#confirm-news", Static)
        news.display = True
        noun = self.watched[0].replace("_", " ")
        if touch.deleted:
            self.gone = True
            self.query_one("#confirm-detail").display = False  # what it said of the answer no longer holds
            news.update(Text(f"{touch.who()} deleted this {noun} a moment ago: nothing is left to do.", style="bold"))
            self.query_one("#confirm-keys", Static).update("n or esc  close")
        else:
            changed = ", ".join(sorted(f for f in touch.fields if not f.startswith("@"))) or "it"
            news.update(Text(f"{touch.who()} changed this {noun} a moment ago ({changed}).", style="bold"))

    def action_answer(self, yes: bool) -> None:
        if yes and self.gone:
            return
        self.dismiss(yes)
