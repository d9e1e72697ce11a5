"""The app draws through the lean driver, and what that driver takes from Textual is still
there: these fail on a Textual upgrade that moves it (see "The driver is tied to Textual" in the README)."""

from __future__ import annotations

import inspect
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

from okrate_tui.core.server import Limits
from okrate_tui.ui import driver as lean
from okrate_tui.ui.app import OkrateApp
from okrate_tui.ui.driver import TEXTUAL_OUTPUT_FILE, LeanDriver, LeanOutput, lean_driver
from tests.ui.test_server_session import _app, _no_session_served, _serve  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def _terminal_driver(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Textual's own choice of driver, and the signal handlers a driver installs put back."""
    monkeypatch.delenv(lean.RAW_ENV, raising=False)
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr("textual.constants.DRIVER", None)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGTSTP, signal.SIGCONT)}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


def test_the_app_draws_through_the_lean_driver(demo_path: Path) -> None:
    app = OkrateApp(url=str(demo_path), as_handle="maria", config_file=Path("config.toml"))
    assert issubclass(app.driver_class, LeanDriver), f"the app would draw with {app.driver_class}"


def test_raw_output_is_textuals_own_driver(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lean.RAW_ENV, "1")
    app = OkrateApp(url=str(demo_path), as_handle="maria", config_file=Path("config.toml"))
    assert app.driver_class is LinuxDriver


def test_only_the_terminal_driver_is_made_lean() -> None:
    from textual.drivers.headless_driver import HeadlessDriver

    class OwnTerminalDriver(LinuxDriver):
        pass

    assert lean_driver(LinuxDriver) is LeanDriver
    assert lean_driver(HeadlessDriver) is HeadlessDriver
    assert lean_driver(LeanDriver) is LeanDriver
    made = lean_driver(OwnTerminalDriver)
    assert issubclass(made, LeanDriver) and issubclass(made, OwnTerminalDriver)


async def test_textual_writes_through_the_file_the_driver_wraps() -> None:
    """The one private hook: LinuxDriver keeps the terminal's file in an attribute and hands
    it to its writer thread when application mode starts."""
    app: App[None] = App()
    plain = LinuxDriver(app)
    terminal = sys.__stderr__
    assert terminal is not None
    descriptor = terminal.fileno()
    assert getattr(plain, TEXTUAL_OUTPUT_FILE, None) is terminal, (
        f"LinuxDriver no longer keeps its output file in {TEXTUAL_OUTPUT_FILE!r}"
    )
    assert f"self.{TEXTUAL_OUTPUT_FILE}" in inspect.getsource(LinuxDriver.start_application_mode), (
        f"LinuxDriver no longer starts its writer on {TEXTUAL_OUTPUT_FILE!r}"
    )
    driver = LeanDriver(app)
    assert getattr(driver, TEXTUAL_OUTPUT_FILE) is driver.lean_output
    assert isinstance(driver.lean_output, LeanOutput) and driver.lean_output.fileno() == descriptor


def test_textual_marks_frames_as_the_driver_expects() -> None:
    """The marks the lean output waits for are the ones Textual writes around a frame."""
    from textual import _ansi_sequences

    assert (lean.SYNC_START, lean.SYNC_END) == (_ansi_sequences.SYNC_START, _ansi_sequences.SYNC_END)


async def test_a_team_server_session_copies_no_more_than_its_limit(demo_path: Path) -> None:
    current = _serve(demo_path, "jonas", Limits(columns=100, rows=30))
    app = _app(demo_path, current.person_id)
    assert issubclass(app.driver_class, LeanDriver)
    driver = app.driver_class(app)
    assert driver.lean_output.limit == (100, 30)
