"""A searchable list to pick one thing from: a goal, a person, a cycle, a status. What is
typed ranks the choices (exact, whole word, word start, part, initials) and drops the
rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from okrate_tui.core.inputs import declare
from okrate_tui.core.rules.matching import Query, prepare, rank
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.widgets.plain import Label, Static

declare("query", "picker search", module=__name__)  # typed to find a choice, never stored

SHOWN = 300


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str | Text
    search: str = ""


class PickerScreen(ModalScreen[Any]):
    """Type to narrow the list, arrows to move, enter to pick, escape to cancel."""

    BINDINGS: ClassVar[list[BindingType]] = default_keys("picker")

    def __init__(self, title: str, choices: Sequence[Choice], *, hint: str = "", initial: Any = None):
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.hint = hint
        self.initial = initial
        self._shown: list[Choice] = []
        self._texts = [prepare(f"{c.label}\n{c.search}" if c.search else f"{c.label}") for c in self.choices]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield Input(placeholder="type to search", id="picker-input")
            yield OptionList(id="picker-list", markup=False)
            yield Static(self.hint, id="picker-hint")

    def on_mount(self) -> None:
        self._fill("")
        if self.initial is not None:
            for index, choice in enumerate(self._shown):
                if choice.value == self.initial:
                    self.query_one(OptionList).highlighted = index
                    break

    def _fill(self, text: str) -> None:
        query = Query(text)
        shown = [self.choices[i] for i in rank(query, self._texts, prepared=True)] if query else self.choices
        self._shown = shown[:SHOWN]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(c.label) for c in self._shown])
        if self._shown:
            options.highlighted = 0
        more = len(shown) - len(self._shown)
        hint = f"{len(shown)} match{'es' if len(shown) != 1 else ''}" + (f" ({more} more: keep typing)" if more else "")
        self.query_one("#picker-hint", Static).update(f"{hint}  ·  {self.hint}" if self.hint else hint)

    @on(Input.Changed, "#picker-input")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _enter(self) -> None:
        self._pick(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)

    def _pick(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self._shown):
            self.dismiss(self._shown[index].value)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
