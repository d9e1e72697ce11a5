"""A team server end to end: a real OpenSSH server on 127.0.0.1, a service account set up
with ``okrate server init``, and people who are who their key says, whatever they claim."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import PG_ENV
from tests.server import harness

pytestmark = pytest.mark.skipif(harness.missing() is not None, reason=f"SSH end-to-end: {harness.missing()}")


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """The demo organisation on a team server; maria (admin), devon (manager) and
    jonas (devon's report) each have a key; kim has one too."""
    base = Path("/tmp") / f"okrate-e2e-{tmp_path_factory.getbasetemp().name}"
    base.mkdir(mode=0o755, exist_ok=True)
    server = harness.Server(harness.install(), base)
    try:
        done = server.init()
        assert done.returncode == 0, done.stderr
        assert "next:" in done.stdout
        filled = server.as_account("demo")
        assert filled.returncode == 0, filled.stderr
        keys = {name: server.keygen(name) for name in ("maria", "devon", "jonas", "kim", "stranger")}
        admin = server.init("--admin", "maria", "--key", f"{keys['maria']}.pub")
        assert admin.returncode == 0, admin.stderr
        assert "admin key: added key" in admin.stdout
        server.start_sshd()
        for name in ("devon", "jonas", "kim"):
            added = server.ssh(keys["maria"], "keys", "add", name, "-", input=Path(f"{keys[name]}.pub").read_text())
            assert added.returncode == 0, added.stderr
        yield SimpleNamespace(server=server, keys=keys)
    finally:
        server.stop()


def _who(srv, name: str, *options: str) -> dict:
    done = srv.server.ssh(srv.keys[name], "whoami", "--json", options=options)
    assert done.returncode == 0, done.stderr + srv.server.sshd_log()[-800:]
    return json.loads(done.stdout)


def test_each_key_acts_as_its_own_person(srv) -> None:
    for name in ("maria", "devon", "jonas"):
        me = _who(srv, name)
        assert (me["handle"], me["mode"]) == (name, "server")
    listed = srv.server.ssh(srv.keys["jonas"], "task", "list", "--owner", "jonas", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {t["owner"] for t in json.loads(listed.stdout)} == {"jonas"}


def test_the_app_opens_as_the_keys_person(srv) -> None:
    terminal = harness.Terminal(srv.server.ssh_args(srv.keys["jonas"], tty=True))
    try:
        terminal.read_until("Jonas Berg (@jonas, member)")  # the top bar
        terminal.read_until("Grow")  # the goal tree is painted
        terminal.send("q")
    finally:
        assert terminal.close() == 0


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (("--as", "maria", "whoami"), ()),
        (("--as=maria", "whoami"), ()),
        (("whoami", "--as", "maria"), ()),
        (("--db", "/tmp/other.db", "whoami"), ()),
        (("--demo", "whoami"), ()),
        (("whoami",), ("-o", "SetEnv=OKRATE_AS=maria")),
        (("whoami",), ("-o", "SetEnv=OKRATE_DB=/tmp/other.db")),
    ],
)
def test_claims_to_be_someone_else_are_refused(srv, command, options) -> None:
    done = srv.server.ssh(srv.keys["jonas"], *command, options=options)
    assert done.returncode == 2
    assert "not accepted on this server" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""


def test_abbreviated_flags_cannot_sneak_in(srv) -> None:
    done = srv.server.ssh(srv.keys["jonas"], "--a", "maria", "whoami")
    assert done.returncode == 2 and "maria" not in done.stdout


@pytest.mark.parametrize("command", ["backup /tmp/x.db", "migrate", "import /tmp/x.json", "demo", "server status"])
def test_the_operators_commands_are_refused(srv, command) -> None:
    done = srv.server.ssh(srv.keys["maria"], *command.split())
    assert done.returncode == 2
    assert "for the server's operator" in done.stderr
    assert not Path("/tmp/x.db").exists()


def test_members_cannot_export_and_admins_get_a_filtered_export(srv) -> None:
    for fmt in ("csv", "json"):
        done = srv.server.ssh(srv.keys["jonas"], "export", "--format", fmt)
        assert done.returncode == 2 and "needs an admin" in done.stderr
    done = srv.server.ssh(srv.keys["maria"], "export", "--format", "json")
    assert done.returncode == 0, done.stderr
    points = json.loads(done.stdout)["tables"]["talking_point"]
    assert points and not any(p["private"] for p in points)  # devon's private point stays his


def test_a_report_sees_shared_points_and_never_the_private_one(srv) -> None:
    report = srv.server.ssh(srv.keys["jonas"], "report", "one-on-one", "--with", "devon")
    assert report.returncode == 0, report.stderr
    assert "Conference budget for next year" in report.stdout
    assert "tech lead" not in report.stdout and "private" not in report.stdout
    manager = srv.server.ssh(srv.keys["devon"], "report", "one-on-one", "--with", "jonas")
    assert "Conference budget for next year" in manager.stdout
    assert "(1 private point of yours left out" in manager.stdout  # notes to share: even his own stays out


def test_keys_are_an_admins_and_a_key_has_one_owner(srv) -> None:
    stranger = Path(f"{srv.keys['stranger']}.pub").read_text()
    done = srv.server.ssh(srv.keys["jonas"], "keys", "add", "jonas", "-", input=stranger)
    assert done.returncode == 2 and "needs an admin" in done.stderr
    taken = Path(f"{srv.keys['kim']}.pub").read_text()
    done = srv.server.ssh(srv.keys["maria"], "keys", "add", "maria", "-", input=taken)
    assert done.returncode == 2 and "registered to @kim" in done.stderr
    made = srv.server.ssh(srv.keys["devon"], "person", "add", "eve2", "Eve", "--role", "admin")
    assert made.returncode == 2 and "only an admin" in made.stderr


def test_unknown_revoked_and_deactivated_keys_are_refused(srv) -> None:
    unknown = srv.server.ssh(srv.keys["stranger"], "whoami")
    assert unknown.returncode == 255  # no authorized_keys line: sshd itself says no
    listed = json.loads(srv.server.ssh(srv.keys["maria"], "keys", "list", "--json").stdout)
    kim = next(k for k in listed if k["handle"] == "kim")
    assert _who(srv, "kim")["handle"] == "kim"
    revoked = srv.server.ssh(srv.keys["maria"], "keys", "revoke", str(kim["id"]))
    assert revoked.returncode == 0, revoked.stderr
    again = srv.server.ssh(srv.keys["kim"], "whoami")
    assert again.returncode != 0 and "kim" not in again.stdout
    # a forced command for a revoked key, kept in a stale authorized_keys, still opens nothing
    entry = srv.server.as_account("ssh-entry", str(kim["id"]))
    assert entry.returncode == 2 and "no longer) registered" in entry.stderr
    samir = srv.server.keygen("samir")
    srv.server.ssh(srv.keys["maria"], "keys", "add", "samir", "-", input=Path(f"{samir}.pub").read_text())
    assert _who(srv, "maria")["handle"] == "maria"
    assert srv.server.ssh(samir, "whoami").returncode == 0
    left = srv.server.ssh(srv.keys["maria"], "person", "edit", "samir", "--active", "no")
    assert left.returncode == 0, left.stderr
    refused = srv.server.ssh(samir, "whoami")
    assert refused.returncode != 0 and "samir" not in refused.stdout


def test_every_connection_is_in_the_access_log(srv) -> None:
    srv.server.ssh(srv.keys["jonas"], "whoami")
    srv.server.ssh(srv.keys["jonas"], "--as", "maria", "whoami")
    log = srv.server.ssh(srv.keys["maria"], "audit", "--person", "jonas", "--json")
    assert log.returncode == 0, log.stderr
    rows = json.loads(log.stdout)
    assert rows[0]["outcome"].startswith("refused: --as") and rows[1]["what"] == "whoami"
    assert all(r["remote"].startswith("127.0.0.1:") for r in rows)
    assert srv.server.ssh(srv.keys["jonas"], "audit").returncode == 2


def test_the_data_is_closed_to_every_other_login(srv) -> None:
    home = srv.server.home
    modes = {
        home: 0o700,
        home / "data": 0o700,
        srv.server.database: 0o600,
        home / ".config" / "okrate" / "server.toml": 0o600,
        home / ".ssh" / "authorized_keys": 0o600,
    }
    for path, mode in modes.items():
        assert stat.S_IMODE(path.stat().st_mode) == mode, path
    eve = srv.server.add_login("eve")
    read = srv.server.as_user(eve, "cat", str(srv.server.database))
    assert read.returncode != 0 and "Permission denied" in read.stderr
    opened = srv.server.as_user(eve, str(srv.server.okrate), "--db", str(srv.server.database), "task", "list")
    assert opened.returncode == 2 and "okrate.db" in opened.stderr and opened.stdout == ""


def test_init_again_changes_nothing(srv) -> None:
    before = srv.server.ssh(srv.keys["maria"], "keys", "list", "--json").stdout
    again = srv.server.init()
    assert again.returncode == 0, again.stderr
    assert "kept" in again.stdout and "up to date" in again.stdout
    assert srv.server.ssh(srv.keys["maria"], "keys", "list", "--json").stdout == before


def test_the_operator_backs_up_and_acts_as_nobody(srv) -> None:
    done = srv.server.as_account("backup")
    assert done.returncode == 0, done.stderr
    copy = Path(done.stdout.split(" to ", 1)[1].split(" (", 1)[0])
    assert copy.parent == srv.server.home / "backups" and stat.S_IMODE(copy.stat().st_mode) == 0o600
    for command in (("--as", "maria", "task", "list"), ("task", "add", "Sneak", "--goal", "1")):
        refused = srv.server.as_account(*command)
        assert refused.returncode == 2 and "acts as nobody" in refused.stderr


@pytest.fixture(scope="module")
def pg_srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """A team server whose data lives in PostgreSQL."""
    base_url = os.environ.get(PG_ENV)
    if not base_url:
        pytest.skip(f"a PostgreSQL team server needs {PG_ENV}")
    base = Path("/tmp") / f"okrate-e2e-pg-{tmp_path_factory.getbasetemp().name}"
    base.mkdir(mode=0o755, exist_ok=True)
    with harness.pg_database(base_url) as url:
        server = harness.Server(harness.install(), base)
        try:
            password = url.replace("postgres@", "postgres:secret@")
            refused = server.init("--database", password)
            assert refused.returncode == 2 and "leave the password out" in refused.stderr
            done = server.init("--database", url)
            assert done.returncode == 0, done.stderr
            assert server.as_account("demo").returncode == 0
            key = server.keygen("maria")
            assert server.init("--admin", "maria", "--key", f"{key}.pub").returncode == 0
            server.start_sshd()
            yield SimpleNamespace(server=server, key=key, url=url)
        finally:
            server.stop()


def test_a_postgresql_team_server(pg_srv) -> None:
    settings = pg_srv.server.home / ".config" / "okrate" / "server.toml"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600 and pg_srv.url in settings.read_text()
    done = pg_srv.server.ssh(pg_srv.key, "whoami", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mode"] == "server"
    refused = pg_srv.server.ssh(pg_srv.key, "--db", pg_srv.url, "task", "list")
    assert refused.returncode == 2 and "not accepted" in refused.stderr
    copy = pg_srv.server.as_account("backup")
    assert copy.returncode == 0, copy.stderr
    assert "(0600)" in copy.stdout and ".json" in copy.stdout


def test_nothing_reads_or_writes_files_on_the_server(srv) -> None:
    """The service account owns the data: a path from a client would reach it."""
    planted = srv.server.home / ".ssh" / "authorized_keys2"
    for name, command in (
        ("jonas", ("report", "one-on-one", "--with", "devon", "--out", str(planted))),
        ("maria", ("export", "--format", "csv", "--out", "/tmp/okrate-e2e-export.csv")),
        ("maria", ("report", "cycle", "1", "--out", str(srv.server.home / "packet.md"))),
        ("maria", ("keys", "add", "maria", str(srv.server.database))),
    ):
        done = srv.server.ssh(srv.keys[name], *command)
        assert done.returncode == 2 and "not yours" in done.stderr, (command, done.stderr)
    assert not planted.exists() and not (srv.server.home / "packet.md").exists()
    assert not Path("/tmp/okrate-e2e-export.csv").exists()
    here = srv.server.ssh(srv.keys["jonas"], "report", "one-on-one", "--with", "devon")
    assert here.returncode == 0 and "Conference budget" in here.stdout  # the same text, on the person's side


def test_help_and_mistakes_are_logged_with_their_real_outcome(srv) -> None:
    assert srv.server.ssh(srv.keys["devon"], "--help").returncode == 0
    assert srv.server.ssh(srv.keys["devon"], "task", "list", "--nope").returncode == 2
    rows = json.loads(srv.server.ssh(srv.keys["maria"], "audit", "--person", "devon", "--json").stdout)
    assert [r["outcome"] for r in rows[:2]] == ["exit 2", ""]
    assert all(r["seconds"] is None or r["seconds"] >= 0 for r in rows)


@pytest.mark.skipif(not shutil.which("rnano"), reason="needs nano (rnano) on the server")
def test_ctrl_e_runs_restricted_nano_in_the_ssh_terminal(srv) -> None:
    """The app steps aside in the SSH session's terminal; the editor is rnano (no shell,
    no other files), whatever the account's $EDITOR, and its text comes back."""
    terminal = harness.Terminal(srv.server.ssh_args(srv.keys["jonas"], tty=True))
    try:
        terminal.read_until("Jonas Berg (@jonas, member)")
        terminal.send("2")
        terminal.read_until("workload")
        terminal.send("e")
        terminal.read_until("Objective")
        task_id = int(re.search(r"Edit task (\d+)", terminal.text()).group(1))
        terminal.send("\t")  # to the objective
        terminal.drain(0.5)
        terminal.send("\x05")  # ctrl+e
        terminal.read_until("Write Out")  # nano's key list
        terminal.send("\x14")  # ctrl+t: run a command, refused in restricted mode
        terminal.read_until("restricted mode")
        terminal.send("Written over SSH. ")
        terminal.send("\x0f")  # ctrl+o
        terminal.read_until("File Name to Write")
        terminal.send("\r")
        terminal.drain(0.5)
        terminal.raw = b""  # what follows is the app painting itself again
        terminal.send("\x18")  # ctrl+x
        terminal.read_until("Written over SSH.")  # back in the form's field
        terminal.send("\x13")  # ctrl+s
        terminal.drain(2)
        terminal.send("q")
    finally:
        assert terminal.close() == 0
    shown = srv.server.ssh(srv.keys["jonas"], "task", "show", str(task_id), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["objective"].startswith("Written over SSH. ")
