"""Hostile text and the app: typed into any form it is refused beside its field and
nothing is saved; planted in the database it is shown as ``U+001B`` and never reaches
the terminal as an escape code (the real app, in a pseudo-terminal, read by pyte)."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static, TextArea

from benchmarks._wire import Wire
from okrate_tui.core.inputs import routes
from okrate_tui.core.models import Task
from okrate_tui.core.text import control_chars
from okrate_tui.ui import harmless
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.screens.quick_add import QuickAddScreen
from tests.hostile import HOSTILE, KEPT, MULTILINE_OK, SURROGATE
from tests.ui.conftest import SIZE, settle
from tests.ui.test_board import open_board

UI = Path(harmless.__file__).parent


def test_every_screen_that_takes_typed_text_is_a_declared_route() -> None:
    """A screen with an input or a text area is a way in: it declares what it stores (or
    that it only searches), so the corpus reaches it."""
    import importlib

    takes_text = set()
    for path in UI.rglob("*.py"):
        source = path.read_text()
        if "Input(" in source or "TextArea(" in source:
            module = ".".join(path.relative_to(UI.parent.parent).with_suffix("").parts)
            importlib.import_module(module)
            takes_text.add(module)
    declared = {r.module for r in routes("form")} | {r.module for r in routes("query")}
    assert takes_text and takes_text <= declared, f"declare these in okrate_tui.core.inputs: {takes_text - declared}"


def test_the_app_shows_hidden_characters_in_all_its_text() -> None:
    from okrate_tui.ui.app import OkrateApp

    OkrateApp()  # the app installs it as it is made
    assert harmless.installed()
    from rich.text import Text
    from textual.content import Content

    assert Content("a\x1b]0;x\x07b").plain == "aU+001B]0;xU+0007b"
    assert Text.assemble(("T\x1b[2J", "bold"), " ok").plain == "TU+001B[2J ok"
    for text in KEPT.values():
        assert Content(text).plain == text and Text(text).plain == text


class _Host(App):
    def __init__(self, form: FormScreen) -> None:
        super().__init__()
        self.form = form

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.form)


async def test_every_form_refuses_hostile_text_beside_its_field_and_saves_nothing() -> None:
    """Every form of the app is a :class:`FormScreen`: whatever a field's own check, the
    one rule refuses hidden characters in its text before anything is saved."""
    saved: list[dict[str, str]] = []

    async def submit(values: dict[str, str]) -> str:
        saved.append(values)
        return "saved"

    fields = [
        Field("title", "Title", required=True),
        Field("unit", "Unit"),  # no check of its own
        Field("due", "Due", check=lambda v: v),  # a check that would let anything through
        Field("notes", "Notes", kind="area"),
    ]
    form = FormScreen("Edit", fields, submit)
    app = _Host(form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for name, text in [*HOSTILE.items(), ("surrogate", SURROGATE)]:
            for spec in fields:
                if name == "100 KB" or (name in MULTILINE_OK and spec.kind == "area"):
                    continue  # the form takes these (a note may be long; a CR is a line break): services judge
                for other in fields:
                    value = text if other is spec else ("Plain" if other.name == "title" else "")
                    widget = form.query_one(f"#field-{other.name}")
                    if isinstance(widget, TextArea):
                        widget.text = value
                    else:
                        widget.value = value  # type: ignore[union-attr]
                await pilot.pause()
                if not control_chars(form.values()[spec.name], "\n\t"):
                    continue  # the widget itself made it harmless (a text area reads U+2028 as a line break)
                await pilot.press("ctrl+s")
                await pilot.pause()
                error = str(form.query_one(f"#error-{spec.name}", Static).render())
                assert "control characters" in error, f"{spec.name} {name}: {error!r}"
                assert not saved, f"{spec.name} {name} was saved"
        widget = form.query_one("#field-title", Input)
        widget.value = KEPT["emoji with joiners"]
        await pilot.pause()
        assert form.check_field(fields[0], widget.value) == ""


async def test_quick_add_and_the_edit_form_refuse_hostile_titles(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        before = Task.select().count()
        await pilot.press("n")
        await settle(pilot, lambda a: isinstance(a.screen, QuickAddScreen))
        for name, text in HOSTILE.items():
            if not control_chars(" ".join(text.split())):
                continue  # quick add reads words: a CR or U+2028 between them is only a space
            app.screen.query_one(Input).value = text + " @me"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, QuickAddScreen), name
            preview = str(app.screen.query_one("#quick-preview", Static).render())
            assert "✗ the title" in preview and ("control characters" in preview or "too long" in preview), name
        assert Task.select().count() == before
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        form = app.screen
        card = Task.get_by_id(form.watched.ident)  # type: ignore[union-attr]
        form.query_one("#field-title", Input).value = HOSTILE["CR and erase line"]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "control characters" in str(form.query_one("#error-title", Static).render())
        assert Task.get_by_id(card.id).version == card.version


PAYLOADS = {
    "goal": "G \x1b]2;HACKED\x07\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07 \x9b31m \u202eevil 👩\u200d💻 日本語",
    "task": "T \x1b]0;pwned\x07\r\x1b[2K@ada refused \x1b[10;10Hmoved \u2066x\u2069 pay\u200bpal",
    "description": "D \x1b[2J\x1b[H cleared \x1b]2;HACKED\x07",
}
# What must never reach the terminal: the payloads' own sequences, as the bytes they are.
FORBIDDEN = [
    b"\x1b]2;HACKED",
    b"\x1b]0;pwned",
    b"\x1b]52",
    b"\xc2\x9b",
    "\u202e".encode(),
    "\u2066".encode(),
    "\u200b".encode(),
    b"\x1b[10;10Hmoved",
    b"\x1b[2J\x1b[H cleared",
    b"\r\x1b[2K@ada",
]


@pytest.mark.slow
def test_hostile_text_planted_in_the_database_never_reaches_the_terminal(demo_path: Path, tmp_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:  # as an older version or sqlite3 could write it
        conn.execute("UPDATE goal SET title = ?, description = ?", (PAYLOADS["goal"], PAYLOADS["description"]))
        conn.execute("UPDATE task SET title = ?, objective = ?", (PAYLOADS["task"], PAYLOADS["description"]))
        conn.execute("UPDATE person SET name = ? WHERE handle != 'maria'", (PAYLOADS["task"][:80],))
        conn.execute("UPDATE team SET name = name || ?", ("\x1b]2;HACKED\x07",))
    env = {
        "OKRATE_AS": "maria",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "OKRATE_TODAY": os.environ["OKRATE_TODAY"],
    }
    raw = bytearray()
    terminal = Wire(["--db", str(demo_path)], (160, 45), env)
    feed = terminal.stream.feed

    def keep(data: bytes) -> None:
        raw.extend(data)
        feed(data)

    terminal.stream.feed = keep  # type: ignore[method-assign]
    screens = []
    try:
        terminal.start(re.compile(r"\d[\d,]* goals"))
        title = terminal.emulator.title
        screens.append(terminal.text())
        for key in ("\r", "2", "\r", "\x1b", "3", "?", "\x1b", "1"):
            terminal.act(key, quiet=0.6)
            screens.append(terminal.text())
    finally:
        terminal.close()
    for sequence in FORBIDDEN:
        assert sequence not in raw, f"{sequence!r} reached the terminal"
    assert terminal.emulator.title == title and "HACKED" not in title and "pwned" not in title
    assert "U+001B]2;HACKED" in screens[0]  # shown, visibly, in the goal tree
    assert any("U+001B]0;pwned" in screen for screen in screens[2:])  # and on the board's cards
