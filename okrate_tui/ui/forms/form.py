"""One modal form for every edit: fields with messages beside them, checked as you
type and on save; nothing is written until the service accepts the whole form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from okrate_tui.core.errors import ConflictError, OkrateError, ValidationError

T = TypeVar("T")


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


class FormScreen(ModalScreen[T | None], Generic[T]):
    """A titled form. ``submit`` gets the values and returns the saved result, or
    raises a core error whose messages are shown beside the fields."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, title: str, fields: Sequence[Field], submit: Callable[[dict[str, str]], Awaitable[T]]) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.submit = submit
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(self.form_title, id="form-title")
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

    def on_mount(self) -> None:
        self.initial = self.values()
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    def on_resize(self) -> None:
        """Keep the buttons on screen: the fields scroll inside what is left."""
        self.query_one("#form-fields").styles.max_height = max(self.size.height - 11, 4)

    def _widget(self, spec: Field):
        wid = f"field-{spec.name}"
        if spec.kind == "area":
            return TextArea(spec.value, id=wid, soft_wrap=True, show_line_numbers=False)
        if spec.kind == "select":
            return Select(
                [(label, value) for label, value in spec.options],
                value=spec.value if spec.value in {v for _, v in spec.options} else Select.NULL,
                allow_blank=not spec.required,
                prompt=spec.placeholder or "—",
                id=wid,
            )
        return Input(spec.value, placeholder=spec.placeholder, id=wid)

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, TextArea):
                out[spec.name] = widget.text
            elif isinstance(widget, Select):
                out[spec.name] = "" if widget.value is Select.NULL else str(widget.value)
            else:
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
        self.app.push_screen(
            ConfirmScreen("Discard what you typed?", "y leaves without saving · n goes back to the form"),
            lambda yes: yes and self.dismiss(None),
        )

    async def save(self) -> None:
        if self.saving:
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
            self.show_errors({}, f"{exc}")
            return
        except OkrateError as exc:
            self.show_errors({}, str(exc))
            return
        finally:
            self.saving = False
        self.dismiss(result)
