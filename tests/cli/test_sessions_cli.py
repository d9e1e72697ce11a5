"""``okrate sessions`` and ``sessions end`` over SSH and as the operator, the limits at the
door of ``okrate ssh-entry``, ``okrate server limits``, and messages over SSH that name no
path of the server."""

from __future__ import annotations

import argparse
import base64
import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from okrate_tui.cli import main as cli
from okrate_tui.cli import sessions as sessions_cli
from okrate_tui.cli.context import Context
from okrate_tui.core import server
from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.models import Access, ServerSession
from okrate_tui.core.server import Limits, ServerConfig
from okrate_tui.core.server import load as load_settings
from okrate_tui.core.services import keys, sessions
from okrate_tui.core.services.people import find_person


def _key(seed: int) -> str:
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + bytes([seed]) * 32
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} laptop"


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimpleNamespace]:
    """The demo organisation on a team server's database; maria (admin) and jonas
    (member) each have a key; the server's settings allow 2 sessions per person."""
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / ".ssh").mkdir(mode=0o700)
    database = home / "data" / "okrate.db"
    assert cli.main(["--db", str(database), "demo"]) == 0
    config = ServerConfig(
        home / ".config" / "okrate" / "server.toml", "okrate", str(database), "okrate", Limits(sessions_per_person=2)
    )
    config.path.parent.mkdir(parents=True)
    config.write()
    monkeypatch.setattr(server, "load", lambda path=None: config)
    open_db(str(database))
    maria, jonas = find_person("maria"), find_person("jonas")
    ids = {
        "maria": keys.add_key(maria, "maria", _key(1)).id,
        "jonas": keys.add_key(maria, "jonas", _key(2)).id,
    }
    close_db()
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.7 51234 10.0.0.1 22")
    yield SimpleNamespace(config=config, database=database, maria=maria, jonas=jonas, keys=ids)
    sessions.serve(None)


def _over_ssh(team, handle: str, *argv: str) -> int:
    person = team.maria if handle == "maria" else team.jonas
    return cli.main(list(argv), session=Context.for_key(team.config, person.id))


def _entry(team, handle: str, command: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """What sshd runs for the person's key, asked for ``command``."""
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", command)
    for name in [k for k in os.environ if k.startswith("OKRATE_")]:
        monkeypatch.delenv(name)  # a client's claims would be refused: the frozen clock stays frozen in-process
    return cli.main(["ssh-entry", str(team.keys[handle])])


def _open(team, person_id: int) -> int:
    open_db(str(team.database))
    return sessions.open_session(person_id, None, "app", "10.0.0.8:40000", team.config.limits)


def test_an_admin_lists_and_ends_sessions_and_a_member_is_refused(team, capsys) -> None:
    first, second = _open(team, team.jonas.id), _open(team, team.jonas.id)
    assert _over_ssh(team, "maria", "sessions", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["id"], s["handle"], s["what"], s["remote"], s["ending"]) for s in listed] == [
        (first, "jonas", "app", "10.0.0.8:40000", None),
        (second, "jonas", "app", "10.0.0.8:40000", None),
    ]
    assert set(listed[0]) >= {"started_at", "server", "pid", "key_id", "this"}
    assert _over_ssh(team, "maria", "sessions") == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["ID", "PERSON", "SINCE", "FROM", "WHAT", "SERVER", "STATE"]
    assert "@jonas" in table[1] and "10.0.0.8:40000" in table[1] and table[1].endswith("open")

    assert _over_ssh(team, "jonas", "sessions") == 2
    err = capsys.readouterr().err
    assert err.strip() == "okrate: @jonas is a member: listing the server's sessions is an admin's"
    assert _over_ssh(team, "jonas", "sessions", "end", str(first)) == 2
    assert "ending sessions is an admin's" in capsys.readouterr().err

    assert _over_ssh(team, "maria", "sessions", "end", str(first)) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"ended session {first} of @jonas (app from 10.0.0.8:40000)")
    assert _over_ssh(team, "maria", "sessions", "list", "--json") == 0
    assert [s["ending"] for s in json.loads(capsys.readouterr().out)] == ["@maria ended it", None]
    assert _over_ssh(team, "maria", "sessions", "end", "--person", "jonas") == 0
    assert (
        capsys.readouterr().out.strip()
        == "ended 1 session of @jonas; it tells its person why and closes within a few seconds"
    )
    assert _over_ssh(team, "maria", "sessions", "end", "999") == 2
    assert capsys.readouterr().err.strip() == "okrate: no session 999"
    assert _over_ssh(team, "maria", "sessions", "end") == 2
    assert "name the sessions to end" in capsys.readouterr().err


def test_the_operator_lists_and_ends_sessions_on_the_server_itself(team, capsys) -> None:
    mine = _open(team, team.jonas.id)
    ctx = Context(str(team.database), None, server=team.config)
    assert ctx.is_operator
    assert sessions_cli.cmd_list(ctx, argparse.Namespace(json=True)) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)] == [mine]
    assert sessions_cli.cmd_end(ctx, argparse.Namespace(ids=[mine], person=None)) == 0
    assert ServerSession.get_by_id(mine).end_reason == "the server's operator ended it"


def test_the_door_refuses_a_login_beyond_the_limit_and_records_why(team, capsys, monkeypatch) -> None:
    _open(team, team.jonas.id), _open(team, team.jonas.id)  # two live sessions (this very process)
    close_db()
    assert _entry(team, "jonas", "whoami", monkeypatch) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("okrate: you have 2 sessions open on this server, the most one person may have")
    assert "ask an admin to end one (okrate sessions)" in err and len(err.splitlines()) == 1
    refused = Access.select().order_by(Access.id.desc()).first()
    assert refused.outcome.startswith("refused: you have 2 sessions open") and refused.remote == "10.0.0.7:51234"
    assert ServerSession.select().count() == 2
    # an admin at her own limit still gets `sessions` through, to free the server
    _open(team, team.maria.id), _open(team, team.maria.id)
    close_db()
    assert _entry(team, "maria", "sessions end --person jonas", monkeypatch) == 0
    assert "ended 2 sessions of @jonas" in capsys.readouterr().out


def test_a_command_over_ssh_is_a_session_while_it_runs_and_leaves_no_row(team, capsys, monkeypatch) -> None:
    assert _entry(team, "jonas", "sessions", monkeypatch) == 2  # a member: refused by the command itself
    capsys.readouterr()
    assert _entry(team, "maria", "sessions --json", monkeypatch) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["handle"], s["what"], s["this"]) for s in listed] == [("maria", "sessions", True)]
    assert listed[0]["pid"] == os.getpid() and listed[0]["remote"] == "10.0.0.7:51234"
    assert ServerSession.select().count() == 0  # gone with the connection
    assert Access.select().order_by(Access.id.desc()).first().outcome == ""


def test_whoami_and_errors_over_ssh_name_no_server_path(team, capsys, monkeypatch) -> None:
    assert _entry(team, "jonas", "whoami", monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.strip() == "@jonas (Jonas Berg, member): proven by your SSH key; on this team server"
    assert _entry(team, "jonas", "whoami --json", monkeypatch) == 0
    assert json.loads(capsys.readouterr().out)["database"] is None
    assert _entry(team, "jonas", "info --json", monkeypatch) == 0
    assert str(team.config.home) not in capsys.readouterr().out
    gone = Context.for_key(team.config, team.jonas.id)
    os.rename(team.database, team.database.with_name("moved.db"))
    try:
        assert cli.main(["task", "list"], session=gone) == 2
        err = capsys.readouterr().err
        assert str(team.config.home) not in err and "the server's database" in err
        assert _entry(team, "jonas", "whoami", monkeypatch) == 2
        err = capsys.readouterr().err
        assert str(team.config.home) not in err and "the server's database" in err
    finally:
        os.rename(team.database.with_name("moved.db"), team.database)


def test_server_limits_are_shown_and_changed_by_the_operator(team, capsys, monkeypatch) -> None:
    monkeypatch.setattr(server, "load", lambda path=None: load_settings(team.config.path))
    assert cli.main(["server", "limits"]) == 0
    assert capsys.readouterr().out.strip() == (
        "limits:   2 sessions per person, 100 on this server; terminals drawn up to 500×200"
    )
    assert cli.main(["server", "limits", "--per-person", "4", "--columns", "300"]) == 0
    assert "4 sessions per person, 100 on this server; terminals drawn up to 300×200" in capsys.readouterr().out
    assert load_settings(team.config.path).limits == Limits(4, 100, 300, 200)
    assert cli.main(["server", "limits", "--rows", "0"]) == 2
    assert capsys.readouterr().err.strip() == "okrate: --rows takes a whole number from 10 to 500"
    assert load_settings(team.config.path).limits.rows == 200
    assert _over_ssh(team, "maria", "server", "limits", "--per-person", "50") == 2
    assert "for the server's operator" in capsys.readouterr().err
