"""``okrate web`` refusals, the command each browser tab runs, and the app opening without a
terminal only under Textual's web driver."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest

from okrate_tui.cli import launch as launch_module
from okrate_tui.cli import main as cli
from okrate_tui.cli.context import Context
from okrate_tui.cli.web import app_command, is_loopback, public_url
from okrate_tui.core.db import ENV_VAR

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert cli.main(["--db", str(path), "demo"]) == 0
    return path


def test_another_machine_may_reach_it_only_when_asked(capsys) -> None:
    assert cli.main(["web", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "--allow-remote" in err and "no login of its own" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.5", True),
        ("0.0.0.0", False),
        ("example.org", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_without_textual_serve_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert cli.main(["web"]) == 2
    assert "pip install 'okrate-tui[web]'" in capsys.readouterr().err


def test_a_missing_database_or_person_is_said_before_serving(tmp_path: Path, demo_file: Path, capsys) -> None:
    assert cli.main(["--db", str(tmp_path / "none.db"), "web"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert cli.main(["--db", str(demo_file), "--as", "nobody", "web"]) == 2
    assert "@nobody" in capsys.readouterr().err


def test_refused_on_a_team_server(tmp_path: Path, capsys) -> None:
    session = Context(str(tmp_path / "server.db"), None, person_id=1)
    assert cli.main(["web"], session=session) == 2
    assert "'web' is refused on this server" in capsys.readouterr().err


def test_each_tab_runs_the_same_database_and_person(tmp_path: Path) -> None:
    odd = tmp_path / "it's a $HOME; `rm` dir"
    ctx = Context(str(odd / "okrate.db"), "maria")
    argv = shlex.split(app_command(ctx))
    assert argv == [sys.executable, "-m", "okrate_tui", "--db", str(odd / "okrate.db"), "--as", "maria"]


def test_a_relative_file_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(app_command(Context("data/okrate.db", None)))
    assert argv[3:] == ["--db", str(tmp_path / "data" / "okrate.db")]  # no --as: the login decides


def test_a_password_never_goes_on_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "restored after the test")
    url = "postgresql://kim:s3cret@db.example/okrate"
    command = app_command(Context(url, None))
    assert "s3cret" not in command and "--db" not in command
    assert os.environ[ENV_VAR] == url  # the tabs inherit it
    assert "--db postgresql://kim@db.example/okrate" in app_command(Context("postgresql://kim@db.example/okrate", None))


def test_a_wildcard_address_is_shown_as_this_machine() -> None:
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("::1", 8000) == "http://[::1]:8000"
    assert "0.0.0.0" not in public_url("0.0.0.0", 8000)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Context]:
    """Stand in for the app: record that it would open."""
    calls: list[Context] = []
    monkeypatch.setattr(launch_module, "launch", lambda ctx: calls.append(ctx) or 0)
    return calls


def test_without_a_terminal_the_app_opens_only_in_a_browser(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Context], capsys
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert cli.main(["--db", str(demo_file)]) == 2  # pytest's standard input is no terminal
    assert "the app needs a terminal" in capsys.readouterr().err
    assert not opened
    monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)
    assert cli.main(["--db", str(demo_file), "--as", "maria"]) == 0
    assert [(c.url, c.as_handle) for c in opened] == [(str(demo_file), "maria")]


def test_another_driver_is_no_terminal(demo_file: Path, monkeypatch: pytest.MonkeyPatch, opened, capsys) -> None:
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    assert cli.main(["--db", str(demo_file)]) == 2
    assert not opened


def test_over_ssh_the_web_driver_opens_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened, capsys) -> None:
    """A client may send environment variables over SSH: a session still needs ssh -t."""
    monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)
    assert cli.main([], session=Context(str(tmp_path / "server.db"), None, person_id=1)) == 2
    assert "connect with ssh -t" in capsys.readouterr().err
    assert not opened


async def test_textual_serve_still_builds_the_app_okrate_web_serves() -> None:
    """``okrate web`` runs textual-serve's web application itself, to say when the port is
    open: the method that builds it (private to textual-serve) must still be there, with
    the page, the terminal's websocket and downloads, and call the startup hook that
    ``okrate web`` quiets (textual-serve's banner)."""
    import inspect

    from textual_serve.server import Server

    from okrate_tui.cli.web import TEXTUAL_SERVE_APP, _server_class

    build = getattr(Server, TEXTUAL_SERVE_APP, None)
    assert build is not None and inspect.iscoroutinefunction(build), f"textual-serve has no {TEXTUAL_SERVE_APP}"
    server = _server_class(Server)("true", host="127.0.0.1", port=8000, title="okrate")
    application = await getattr(server, TEXTUAL_SERVE_APP)()
    routes = {route.resource.canonical for route in application.router.routes() if route.resource is not None}
    assert {"/", "/ws", "/download/{key}"} <= routes
    assert server.on_startup in list(application.on_startup)
