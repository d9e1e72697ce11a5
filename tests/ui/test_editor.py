"""Long text in $EDITOR: which editor runs, the private file it gets, and the round trip
through a form with a scripted editor (the headless driver cannot step aside, so the
Pilot tests put a no-op in place of ``App.suspend``)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from okrate_tui.core.models import Task
from okrate_tui.ui.editor import editor_command, run_editor
from okrate_tui.ui.forms.form import FormScreen
from tests.ui.conftest import SIZE, settle
from tests.ui.test_board import board, open_board, type_text

# A scripted editor: keeps what it was given and how the file was protected, then
# writes the text of $NEW_TEXT (or exits with $EXIT_CODE).
SCRIPT = """\
import os, pathlib, stat, sys
path = pathlib.Path(sys.argv[-1])
seen = pathlib.Path(os.environ["SEEN"])
mode = stat.S_IMODE(path.stat().st_mode)
folder = stat.S_IMODE(path.parent.stat().st_mode)
seen.write_text(f"{oct(mode)} {oct(folder)} {path}\\n{' '.join(sys.argv[1:-1])}\\n" + path.read_text())
code = int(os.environ.get("EXIT_CODE", "0"))
if code == 0 and "NEW_TEXT" in os.environ:
    path.write_text(os.environ["NEW_TEXT"])
sys.exit(code)
"""


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR is the scripted editor (with an argument, as in EDITOR='code --wait');
    returns the file where it notes what it saw."""
    script = tmp_path / "fake editor.py"
    script.write_text(SCRIPT)
    seen = tmp_path / "seen.txt"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} '{script}' --wait")
    monkeypatch.setenv("SEEN", str(seen))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return seen


def test_the_editor_is_visual_then_editor_then_vi_then_nano() -> None:
    def which(*found: str):
        return lambda name: f"/usr/bin/{name}" if name in found else None

    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vim"}, which=which()) == ["code", "--wait"]
    assert editor_command({"EDITOR": "'/opt/my editor/ed' -f"}, which=which()) == ["/opt/my editor/ed", "-f"]
    assert editor_command({"VISUAL": "  ", "EDITOR": "nano"}, which=which()) == ["nano"]
    assert editor_command({}, which=which("vi", "nano")) == ["vi"]
    assert editor_command({"EDITOR": "'unclosed"}, which=which("nano")) == ["nano"]
    assert editor_command({}, which=which()) is None


def test_a_team_server_runs_only_restricted_nano() -> None:
    """The app runs as the server's account there: $EDITOR (vi, say, with its shell
    escape) would hand a person that account."""
    env = {"EDITOR": "vim", "VISUAL": "vim"}
    assert editor_command(env, server=True, which=lambda n: f"/usr/bin/{n}") == ["rnano"]
    assert editor_command(env, server=True, which=lambda n: "/bin/nano" if n == "nano" else None) == [
        "nano",
        "--restricted",
    ]
    assert editor_command(env, server=True, which=lambda n: "/usr/bin/vim" if n == "vim" else None) is None


def test_run_editor_round_trip_in_a_private_file(editor: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEW_TEXT", "Line one\nline two\n")
    command = editor_command({"EDITOR": os.environ["EDITOR"]})
    edited = run_editor(command, "Old text")
    assert edited.text == "Line one\nline two" and not edited.problem  # the editor's last newline goes
    modes, args, given = editor.read_text().split("\n", 2)
    file_mode, folder_mode, path = modes.split(" ", 2)
    assert (file_mode, folder_mode) == ("0o600", "0o700") and args == "--wait" and given == "Old text"
    assert Path(path).parent.parent == tmp_path / "tmp" and not Path(path).parent.exists()  # removed after


def test_run_editor_keeps_the_field_on_failure_or_no_change(editor: Path, monkeypatch) -> None:
    command = editor_command({"EDITOR": os.environ["EDITOR"]})
    monkeypatch.setenv("EXIT_CODE", "3")
    monkeypatch.setenv("NEW_TEXT", "thrown away")
    failed = run_editor(command, "Kept")
    assert failed.text is None and failed.problem and "exited with status 3" in failed.note
    monkeypatch.delenv("EXIT_CODE")
    monkeypatch.setenv("NEW_TEXT", "Kept\n")
    same = run_editor(command, "Kept")
    assert same.text is None and not same.problem and "Nothing was changed" in same.note
    missing = run_editor(["/nonexistent/editor"], "Kept")
    assert missing.text is None and missing.problem and "Could not run editor" in missing.note
    assert list((Path(tempfile.gettempdir())).iterdir()) == []  # no file left behind either way


def edit_form(app) -> FormScreen:
    assert isinstance(app.screen, FormScreen)
    return app.screen


def field(app, name: str):
    return edit_form(app).query_one(f"#field-{name}")


async def test_ctrl_e_puts_the_editors_text_in_the_field_and_keeps_the_rest(
    editor: Path, demo_path, make_app, monkeypatch
) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # the headless driver cannot step aside
        await open_board(pilot)
        card = board(app).current()
        await pilot.press("e")
        await settle(pilot)
        form = edit_form(app)
        assert "edit_in_editor" not in {b.binding.action for b in form.active_bindings.values()}  # on a title
        await pilot.press("end")
        await type_text(pilot, " soon")  # typed before the editor: it must survive
        await pilot.press("tab")
        assert isinstance(app.focused, TextArea) and app.focused.id == "field-objective"
        assert "edit_in_editor" in {b.binding.action for b in form.active_bindings.values()}  # in the footer now
        assert "form.edit_in_editor" in {b.id for _, rows in app.help_sections() for _, b in rows}
        assert "Editor" in {c.title for c in app.get_system_commands(form)}

        monkeypatch.setenv("NEW_TEXT", "Every lead has an owner.\n\nAnd a next step.\n")
        await pilot.press("ctrl+e")
        await settle(pilot, lambda a: field(a, "objective").text.startswith("Every lead"))
        assert field(app, "objective").text == "Every lead has an owner.\n\nAnd a next step."
        assert field(app, "title").value == f"{card.title} soon"
        assert card.objective in editor.read_text()  # the editor got the field's text

        monkeypatch.setenv("EXIT_CODE", "1")
        monkeypatch.setenv("NEW_TEXT", "never taken")
        await pilot.press("ctrl+e")
        await settle(pilot, lambda a: any("exited with status 1" in str(n.message) for n in a._notifications))
        assert field(app, "objective").text == "Every lead has an owner.\n\nAnd a next step."
        assert any("exited with status 1" in str(n.message) for n in app._notifications)

        monkeypatch.delenv("EXIT_CODE")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: not isinstance(a.screen, FormScreen))
        saved = Task.get_by_id(card.id)
        assert saved.objective == "Every lead has an owner.\n\nAnd a next step."
        assert saved.title == f"{card.title} soon"


async def test_text_from_the_editor_is_checked_like_typed_text(editor: Path, demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        await open_board(pilot)
        card = board(app).current()
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("tab")
        monkeypatch.setenv("NEW_TEXT", "Bell \x07 in the text")
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert field(app, "objective").text == "Bell \x07 in the text"  # nothing written in the editor is lost
        error = str(edit_form(app).query_one("#error-objective").render())
        assert "control characters (U+0007)" in error
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)  # refused: nothing saved
        assert Task.get_by_id(card.id).objective == card.objective


async def test_without_a_terminal_to_hand_over_it_says_so(editor: Path, demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setenv("NEW_TEXT", "never taken")
        await open_board(pilot)
        card = board(app).current()
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("tab")
        await pilot.press("ctrl+e")  # the headless driver, like a browser, cannot suspend
        await settle(pilot)
        assert field(app, "objective").text == card.objective
        assert any("cannot step aside for an editor" in str(n.message) for n in app._notifications)
        assert not editor.exists()  # the editor never ran


async def test_ctrl_e_in_a_one_line_field_moves_to_its_end(editor: Path, demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("e")
        await settle(pilot)
        title = field(app, "title")
        assert isinstance(title, Input)
        await pilot.press("home", "ctrl+e", "x")
        assert title.value.endswith("x") and not editor.exists()
