"""One modal form for every edit: fields with messages beside them, checked as you
type and on save; nothing is written until the service accepts the whole form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, TextArea

from okrate_tui.core.errors import ConflictError, NotFoundError, OkrateError, ValidationError
from okrate_tui.core.inputs import declare
from okrate_tui.core.validation import clean_text, refuse_hidden
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import Event, RecordsChanged
from okrate_tui.ui.widgets.plain import Label, Static

T = TypeVar("T")

# Every form of the app: tasks, goals, key results, check-ins, milestones, people, teams,
# cycles, reviews, one-on-one notes and talking points (each saves through its service).
declare(
    "form",
    "form",
    "task.title",
    "task.objective",
    "task.context",
    "goal.title",
    "goal.description",
    "key_result.title",
    "key_result.unit",
    "check_in.note",
    "milestone.title",
    "person.name",
    "person.handle",
    "team.name",
    "cycle.name",
    "review.strengths",
    "review.improvements",
    "review.comments",
    "review.calibration_reason",
    "one_on_one.notes",
    "talking_point.text",
    module=__name__,
)


@dataclass
class Field:
    """One field of a form."""

    name: str
    label: str
    value: str = ""
    kind: str = "text"  # "text" | "area" | "select"
    options: Sequence[tuple[str, str]] = ()
    placeholder: str = ""
    check: Callable[[str], Any] | None = None
    required: bool = False
    help: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Watch:
    """The record an edit form changes: when another session changes it meanwhile, the
    form says who and what, and ctrl+r takes their values in place. ``reread`` returns
    the record's values as the form shows them, and its version (None: it is gone)."""

    entity: str
    ident: int
    version: int | None
    reread: Callable[[], Awaitable[tuple[dict[str, str], int | None]]]
    noun: str = "record"


class FormScreen(ModalScreen[T | None], Generic[T]):
    """A titled form. ``submit`` gets the values and returns the saved result, or
    raises a core error whose messages are shown beside the fields."""

    BINDINGS: ClassVar[list[BindingType]] = default_keys("form")

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        submit: Callable[[dict[str, str]], Awaitable[T]],
        *,
        watch: Watch | None = None,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.submit = submit
        self.saving = False
        self.watched = watch
        self.theirs: dict[str, str] | None = None
        self.gone = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(self.form_title, id="form-title")
            yield Static("", id="form-news")
            yield Static("", id="form-error", classes="error")
            with VerticalScroll(id="form-fields", can_focus=False):
                for spec in self.fields:
                    yield Label(spec.label + (" *" if spec.required else ""), classes="field-label")
                    yield self._widget(spec)
                    if spec.help:
                        yield Static(spec.help, classes="field-help")
                    yield Static("", id=f"error-{spec.name}", classes="field-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary")
                yield Button("Cancel  esc", id="cancel")
        yield Footer()  # the form's keys; ctrl+e shows while a long text has the focus

    def on_mount(self) -> None:
        self.initial = self.values()
        self.query_one("#form-news").display = False
        for widget in self.query(TextArea):
            widget.move_cursor(widget.document.end)  # edits add to the text, never replace it
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    # --- the record changing underneath ----------------------------------------------------

    def on_store_changed(self, message: StoreChanged) -> None:
        self._heard(message.event)

    def _heard(self, event: Event) -> None:
        if not isinstance(event, RecordsChanged) or self.watched is None:
            return
        touch = event.touch(self.watched.entity, self.watched.ident)
        if touch is None or touch.local:
            return
        if touch.deleted:
            self.gone = True
            self._news(f"{touch.who()} deleted this {self.watched.noun} a moment ago: there is nothing left to save.")
            return
        if self.gone:  # brought back (an undo of the delete): what was typed can be saved again
            self.gone = False
            self._news(f"{touch.who()} brought this {self.watched.noun} back: ctrl+s saves what you typed.")
        self.run_worker(self._compare(touch.who()), group="form-reread", exclusive=True)

    async def _compare(self, who: str) -> None:
        assert self.watched is not None
        try:
            values, version = await self.watched.reread()
        except NotFoundError:
            self.gone = True
            self._news(f"{who} deleted this {self.watched.noun} a moment ago: there is nothing left to save.")
            return
        except OkrateError:
            return
        if version is None:
            return
        self.theirs = values
        differ = [s for s in self.fields if s.name in values and values[s.name] != self.initial.get(s.name)]
        if not differ:
            self.watched.version = version
            return
        shown = "; ".join(f"{s.label.lower()}: {_short(values[s.name])}" for s in differ[:4])
        self._news(f"{who} changed this {self.watched.noun} a moment ago ({shown}). ctrl+r takes their values.")

    def action_take_theirs(self) -> None:
        """Put the other person's values in. Where you had typed something too, nothing of
        yours is lost: longer text keeps yours after theirs, a short value is named."""
        if self.theirs is None or self.watched is None:
            return
        mine = self.values()
        kept: list[str] = []
        for spec in self.fields:
            if spec.name not in self.theirs or self.theirs[spec.name] == self.initial.get(spec.name):
                continue
            theirs, yours = self.theirs[spec.name], mine[spec.name]
            if yours == self.initial.get(spec.name) or yours == theirs:
                self._set_value(spec, theirs)
            elif spec.kind == "area":
                self._set_value(spec, f"{theirs.rstrip()}\n\n{yours.strip()}")
                kept.append(f"{spec.label.lower()}: yours follows theirs")
            else:
                self._set_value(spec, theirs)
                kept.append(f"{spec.label.lower()}: yours was {_short(yours)}")
        self.initial = {**self.initial, **{k: v for k, v in self.theirs.items() if k in self.initial}}
        note = f" ({'; '.join(kept)})" if kept else ""
        self.run_worker(self._adopt(note), group="form-reread", exclusive=True)

    async def _adopt(self, note: str) -> None:
        assert self.watched is not None
        try:
            _, version = await self.watched.reread()
        except OkrateError:
            return
        self.watched.version = version
        self.theirs = None
        self._news(f"Their values are in{note}. ctrl+s saves.")

    def _set_value(self, spec: Field, value: str) -> None:
        widget = self.query_one(f"#field-{spec.name}")
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value if value in {v for _, v in spec.options} else Select.NULL
        elif isinstance(widget, Input):
            widget.value = value

    # --- long text in an editor -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The editor key is there while a long text field has the focus."""
        if action == "edit_in_editor":
            return isinstance(self.focused, TextArea)
        return True

    def action_edit_in_editor(self) -> None:
        """Hand the focused text to the editor; what it saves replaces the field's text
        and is checked as typed text is. Every other field stays as it is."""
        from okrate_tui.ui.editor import edit_text

        widget = self.focused
        spec = next((s for s in self.fields if widget is not None and widget.id == f"field-{s.name}"), None)
        if not isinstance(widget, TextArea) or spec is None:
            return
        server = getattr(self.app, "person_id", None) is not None or bool(getattr(self.app, "operator", False))
        edited = edit_text(self.app, widget.text, server=server)
        if edited.text is None:
            if edited.note:
                self.notify(edited.note, title="Editor", severity="warning" if edited.problem else "information")
            return
        widget.text = edited.text
        widget.move_cursor(widget.document.end)
        complaint = self._recheck(spec, edited.text)
        if complaint:
            self.notify(f"{spec.label}: {complaint}", title="Editor", severity="warning")

    def _recheck(self, spec: Field, text: str) -> str:
        """Check a long text as it stands now and say so beside it."""
        complaint = self.check_field(spec, text) or _long_text_problem(text)
        self.query_one(f"#error-{spec.name}", Static).update(complaint)
        self.query_one("#form-error", Static).update("")
        return complaint

    def _news(self, text: str) -> None:
        news = self.query_one("#form-news", Static)
        news.display = True
        news.update(Text(text, style="bold"))

    def on_resize(self) -> None:
        """Keep the buttons on screen: the fields scroll inside what is left."""
        self.query_one("#form-fields").styles.max_height = max(self.size.height - 11, 4)

    def _widget(self, spec: Field) -> TextArea | Select[str] | Input:
        wid = f"field-{spec.name}"
        if spec.kind == "area":
            return TextArea(spec.value, id=wid, soft_wrap=True, show_line_numbers=False)
        if spec.kind == "select":
            return Select(
                [(Content(label), value) for label, value in spec.options],  # names as written, never markup
                value=spec.value if spec.value in {v for _, v in spec.options} else Select.NULL,
                allow_blank=not spec.required,
                prompt=spec.placeholder or "—",
                id=wid,
            )
        return Input(spec.value, placeholder=spec.placeholder, id=wid, select_on_focus=False)

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, TextArea):
                out[spec.name] = widget.text
            elif isinstance(widget, Select):
                out[spec.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                out[spec.name] = widget.value
        return out

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        names = {spec.name for spec in self.fields}
        leftovers = [f"{k}: {v}" for k, v in errors.items() if k not in names]
        for spec in self.fields:
            self.query_one(f"#error-{spec.name}", Static).update(errors.get(spec.name, ""))
        message = "; ".join([general, *leftovers] if general else leftovers)
        self.query_one("#form-error", Static).update(message)
        first = next((s.name for s in self.fields if s.name in errors), None)
        if first:
            self.query_one(f"#field-{first}").focus()

    def check_field(self, spec: Field, value: str) -> str:
        if spec.required and not value.strip():
            return "is required"
        if spec.kind != "select":  # every typed field, whatever else it checks: the one rule
            try:
                refuse_hidden(value.replace("\r\n", "\n"), multiline=spec.kind == "area")
            except ValueError as exc:
                return str(exc)
        if spec.check is not None and value.strip():
            try:
                spec.check(value)
            except ValueError as exc:
                return str(exc)
        return ""

    def local_errors(self) -> dict[str, str]:
        values = self.values()
        errors = {spec.name: self.check_field(spec, values[spec.name]) for spec in self.fields}
        return {k: v for k, v in errors.items() if v}

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        spec = next((s for s in self.fields if s.name == name), None)
        if spec is not None:
            self.query_one(f"#error-{name}", Static).update(self.check_field(spec, event.value))
            self.query_one("#form-error", Static).update("")  # an old complaint about the whole form

    @on(TextArea.Changed)
    def _written(self, event: TextArea.Changed) -> None:
        name = (event.text_area.id or "").removeprefix("field-")
        spec = next((s for s in self.fields if s.name == name), None)
        if spec is not None:
            self._recheck(spec, event.text_area.text)

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.run_worker(self.save(), exclusive=True)

    @on(Button.Pressed, "#save")
    def _save_button(self) -> None:
        self.run_worker(self.save(), exclusive=True)

    @on(Button.Pressed, "#cancel")
    def _cancel_button(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        self.run_worker(self.save(), exclusive=True)

    def action_cancel(self) -> None:
        """Leave; ask first when something was typed."""
        from okrate_tui.ui.screens.confirm import ConfirmScreen

        if self.values() == getattr(self, "initial", self.values()):
            self.dismiss(None)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)  # not awaited: this runs inside the form's own handler

        self.app.push_screen(
            ConfirmScreen("Discard what you typed?", "y leaves without saving · n goes back to the form"), answer
        )

    async def save(self) -> None:
        if self.saving:
            return
        if self.gone:
            self.show_errors({}, "Not saved: it was deleted meanwhile. esc leaves the form.")
            return
        errors = self.local_errors()
        if errors:
            self.show_errors(errors)
            return
        self.saving = True
        try:
            result = await self.submit(self.values())
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except ConflictError as exc:
            hint = " ctrl+r takes their values, then ctrl+s saves yours over the rest." if self.watched else ""
            self.show_errors({}, f"Not saved: {exc.plain()}.{hint}")
            if self.watched is not None:
                self.run_worker(self._compare("someone"), group="form-reread", exclusive=True)
            return
        except OkrateError as exc:
            self.show_errors({}, str(exc))
            return
        finally:
            self.saving = False
        self.dismiss(result)


def _long_text_problem(value: str) -> str:
    """What the services would say of this long text (length, control characters)."""
    try:
        clean_text(value)
    except ValueError as exc:
        return str(exc)
    return ""


def _short(value: str, width: int = 40) -> str:
    value = " ".join(value.split())
    shown = value if len(value) <= width else value[: width - 1] + "…"
    return f"“{shown}”" if shown else "empty"
