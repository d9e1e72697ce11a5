"""One member cannot starve or outlast a team server, end to end over a real OpenSSH server:
an oversized terminal is drawn at the limit with bounded memory, a login beyond the session
limit is refused with a sentence, ``okrate sessions end``, a revoked key and a deactivation
end open sessions (a command waiting for its answer included), a killed session does not
block the next login, and no key or palette command of the app writes a file on the server."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import PG_ENV
from tests.server import harness

pytestmark = [
    pytest.mark.skipif(harness.missing() is not None, reason=f"SSH end-to-end: {harness.missing()}"),
    pytest.mark.slow,
]

PEOPLE = ("maria", "jonas", "kim", "devon", "samir", "ana", "li")
CURSOR = re.compile(rb"\x1b\[(\d+);(\d+)H")


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """The demo organisation on a team server that allows 2 sessions per person; maria
    (admin) and six others each have a key."""
    base = Path("/tmp") / f"okrate-e2e-sessions-{tmp_path_factory.getbasetemp().name}"
    base.mkdir(mode=0o755, exist_ok=True)
    server = harness.Server(harness.install(), base)
    try:
        assert server.init().returncode == 0
        assert server.as_account("demo").returncode == 0
        keys = {name: server.keygen(name) for name in PEOPLE}
        assert server.init("--admin", "maria", "--key", f"{keys['maria']}.pub").returncode == 0
        limited = server.as_account("server", "limits", "--per-person", "2")
        assert limited.returncode == 0, limited.stderr
        assert "2 sessions per person, 100 on this server; terminals drawn up to 500×200" in limited.stdout
        server.start_sshd()
        for name in PEOPLE[1:]:
            added = server.ssh(keys["maria"], "keys", "add", name, "-", input=Path(f"{keys[name]}.pub").read_text())
            assert added.returncode == 0, added.stderr
        yield SimpleNamespace(server=server, keys=keys)
    finally:
        server.stop()


def _sessions(srv) -> list[dict]:
    done = srv.server.ssh(srv.keys["maria"], "sessions", "--json")
    assert done.returncode == 0, done.stderr
    return [s for s in json.loads(done.stdout) if not s["this"]]


def _app(srv, name: str, size: tuple[int, int] = (120, 36)) -> harness.Terminal:
    terminal = harness.Terminal(srv.server.ssh_args(srv.keys[name], tty=True), size=size)
    terminal.read_until("Grow", timeout=60)  # the goal tree is painted
    return terminal


def _wait(check, what: str, timeout: float = 60) -> None:
    """Wait for a condition (a generous cap: a loaded machine is slow, never wrong)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.1)


def _open_of(srv, handle: str) -> list[dict]:
    return [s for s in _sessions(srv) if s["handle"] == handle and s["ending"] is None]


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def _ended(terminal: harness.Terminal, line: str, timeout: float = 60) -> float:
    """Seconds until the session said ``line`` and its ssh ended."""
    start = time.monotonic()
    terminal.read_until(line, timeout=timeout)
    code = terminal.close(timeout=timeout)
    assert code == 2, f"ssh ended with {code}"
    return time.monotonic() - start


def test_an_oversized_terminal_is_drawn_at_the_limit_in_bounded_memory(srv) -> None:
    terminal = _app(srv, "jonas", size=(3000, 3000))
    try:
        terminal.read_until("Jonas Berg (@jonas, member)")
        terminal.read_until("Terminal size", timeout=30)  # the notice (its sentence wraps in the toast)
        assert "Your terminal is 3000×3000; this server draws the app at" in terminal.text()
        (session,) = _open_of(srv, "jonas")
        terminal.send("2")  # the board: many cards, many frames
        terminal.read_until("workload", timeout=30)
        terminal.drain(2)
        rss = _rss_mb(session["pid"])
        print(f"\na 3000×3000 terminal: the session's process holds {rss:.0f} MB")
        assert rss < 400, f"a 3000×3000 terminal grew the session to {rss:.0f} MB"
        rows, columns = zip(*((int(r), int(c)) for r, c in CURSOR.findall(terminal.raw)), strict=True)
        assert max(rows) <= 200 and max(columns) <= 500  # nothing drawn beyond the limit
        terminal.send("q")
    finally:
        assert terminal.close() == 0


def test_the_session_limit_refuses_the_next_login_with_a_sentence(srv) -> None:
    first, second = _app(srv, "kim"), _app(srv, "kim")
    try:
        refused = srv.server.ssh(srv.keys["kim"], "whoami")
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.strip() == (
            "okrate: you have 2 sessions open on this server, the most one person may have: quit the app in "
            "one of them (q), or ask an admin to end one (okrate sessions), then connect again"
        )
        third = harness.Terminal(srv.server.ssh_args(srv.keys["kim"], tty=True))
        third.read_until("you have 2 sessions open on this server")
        assert third.close() == 2
        log = json.loads(srv.server.ssh(srv.keys["maria"], "audit", "--person", "kim", "--json").stdout)
        assert log[0]["outcome"].startswith("refused: you have 2 sessions open")
        # an admin ends one: it says why and closes; the person may come in again
        (older, _newer) = sorted(_open_of(srv, "kim"), key=lambda s: s["id"])
        ended = srv.server.ssh(srv.keys["maria"], "sessions", "end", str(older["id"]))
        assert ended.returncode == 0, ended.stderr
        assert ended.stdout.startswith(f"ended session {older['id']} of @kim (app from 127.0.0.1:")
        took = _ended(first, "okrate: this session has ended: @maria ended it.")
        print(f"\nsessions end: the session closed {took:.1f} s after the command")
        assert srv.server.ssh(srv.keys["kim"], "whoami").returncode == 0
        # the key is revoked: the other session ends, and the key opens nothing more
        listed = json.loads(srv.server.ssh(srv.keys["maria"], "keys", "list", "--json").stdout)
        kim_key = next(k["id"] for k in listed if k["handle"] == "kim")
        revoked = srv.server.ssh(srv.keys["maria"], "keys", "revoke", str(kim_key))
        assert revoked.returncode == 0 and "sessions it opened end within seconds" in revoked.stdout
        took = _ended(second, "okrate: this session has ended: your SSH key was revoked by @maria.")
        print(f"key revocation: the session closed {took:.1f} s after the command")
        assert srv.server.ssh(srv.keys["kim"], "whoami").returncode != 0
        assert _open_of(srv, "kim") == []
        log = json.loads(srv.server.ssh(srv.keys["maria"], "audit", "--person", "kim", "--json").stdout)
        outcomes = [r["outcome"] for r in log if r["what"] == "app"]
        assert "ended: your SSH key was revoked by @maria" in outcomes and "ended: @maria ended it" in outcomes
    finally:
        for terminal in (first, second):
            if terminal.process.poll() is None:
                terminal.process.kill()
                terminal.close()


def test_a_deactivated_persons_open_session_ends(srv) -> None:
    terminal = _app(srv, "ana")
    try:
        left = srv.server.ssh(srv.keys["maria"], "person", "edit", "ana", "--active", "no")
        assert left.returncode == 0, left.stderr
        _ended(terminal, "okrate: this session has ended: you were made inactive on this server by @maria.")
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
            terminal.close()
    assert _open_of(srv, "ana") == []


def test_a_command_waiting_for_its_answer_ends_with_the_key_and_writes_nothing(srv) -> None:
    tree = json.loads(srv.server.ssh(srv.keys["samir"], "goal", "list", "--json").stdout)
    own = next(g["id"] for g in tree["goals"] if g["owner"] == "samir")
    made = srv.server.ssh(
        srv.keys["samir"], "goal", "add", "Learn the deploy pipeline", "--parent", str(own), "--owner", "me", "--json"
    )
    assert made.returncode == 0, made.stderr
    goal = json.loads(made.stdout)["id"]
    step = srv.server.ssh(srv.keys["samir"], "milestone", "add", str(goal), "Shadow a release", "--json")
    assert step.returncode == 0, step.stderr
    milestone = json.loads(step.stdout)["id"]
    asking = harness.Terminal([*srv.server.ssh_args(srv.keys["samir"], tty=True), "milestone", "rm", str(milestone)])
    try:
        asking.read_until("[y/N]")  # the command waits for samir's answer
        (session,) = _open_of(srv, "samir")
        assert session["what"] == "milestone rm"
        listed = json.loads(srv.server.ssh(srv.keys["maria"], "keys", "list", "--json").stdout)
        key = next(k["id"] for k in listed if k["handle"] == "samir")
        assert srv.server.ssh(srv.keys["maria"], "keys", "revoke", str(key)).returncode == 0
        asking.read_until("okrate: this session has ended: your SSH key was revoked by @maria.")
        asking.send("y\r")  # too late: the process is gone
        assert asking.close() == 2
    finally:
        if asking.process.poll() is None:
            asking.process.kill()
            asking.close()
    shown = srv.server.ssh(srv.keys["maria"], "milestone", "list", "--goal", str(goal), "--json")
    assert shown.returncode == 0, shown.stderr
    assert [m["id"] for m in json.loads(shown.stdout)] == [milestone]


def test_a_killed_session_does_not_block_the_next_login(srv) -> None:
    first, second = _app(srv, "devon"), _app(srv, "devon")
    try:
        for session in _open_of(srv, "devon"):
            os.kill(session["pid"], signal.SIGKILL)  # no goodbye: its row stays behind
        for terminal in (first, second):
            terminal.close()
        again = srv.server.ssh(srv.keys["devon"], "whoami")
        assert again.returncode == 0, again.stderr  # the dead sessions were swept, not counted
        assert _open_of(srv, "devon") == []
    finally:
        for terminal in (first, second):
            if terminal.process.poll() is None:
                terminal.process.kill()


# --- nothing written on the server -------------------------------------------------------------

KEY_BYTES = {
    "question_mark": "?",
    "slash": "/",
    "space": " ",
    "enter": "\r",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "shift+up": "\x1b[1;2A",
    "shift+down": "\x1b[1;2B",
    "shift+right": "\x1b[1;2C",
    "shift+left": "\x1b[1;2D",
}
# quit ends the session (and may land on a pane: q is pressed last); escape follows every
# key anyway; shift+space reaches a terminal app as a plain space; ctrl+e (the editor,
# which escape does not leave) is tried on its own
NOT_PRESSED = {"q", "escape", "shift+space", "ctrl+e"}
# where each class's keys act: a pane, or a screen opened from a pane by a key
PANES = {"OkrateApp": "1", "pane": "1", "PartList": "1", "BoardPane": "2", "ReviewPane": "3"}
SCREENS = {
    "TaskDetailScreen": ("2", "\r"),
    "ReviewWorkspace": ("3", "\r"),
    "WalkthroughScreen": ("3", "o"),
    "AnalyticsScreen": ("3", "a"),
    "CyclesScreen": ("3", "c"),
    "PeopleScreen": ("1", "P"),
    "FormScreen": ("2", "e"),
    "PickerScreen": ("2", "o"),
    "ConfirmScreen": ("2", "d"),
    "HelpScreen": ("1", "?"),
}


def _bytes(name: str) -> str | None:
    if name in KEY_BYTES:
        return KEY_BYTES[name]
    if name.startswith("ctrl+") and len(name) == 6:
        return chr(ord(name[-1]) - 96)
    return name if len(name) == 1 else None


def _keys_by_place() -> dict[str, list[str]]:
    """Every key of the app (as a terminal sends it), by the class whose bindings hold it."""
    from okrate_tui.ui.app import OkrateApp
    from okrate_tui.ui.key_index import binding_owners

    places: dict[str, set[str]] = {}
    for place, keys in binding_owners(OkrateApp).values():
        places.setdefault(place, set()).update(k for k in keys if k not in NOT_PRESSED)
    return {place: sorted(filter(None, map(_bytes, keys))) for place, keys in places.items()}


def _files(srv) -> set[str]:
    """Every file and folder of the service account's home (its data folder included) and
    every file it owns in /tmp, but the database's own -wal and -shm."""
    home = srv.server.home
    found = {str(p) for p in home.rglob("*")}
    listed = subprocess.run(["find", "/tmp", "-xdev", "-user", srv.server.account], capture_output=True, text=True)
    database = str(home / "data" / "okrate.db")
    return {path for path in found | set(listed.stdout.split()) if path not in (f"{database}-wal", f"{database}-shm")}


def _escape(terminal: harness.Terminal) -> None:
    terminal.send("\x1b")
    terminal.drain(0.2)  # a lone escape (the toolkit waits 0.1 s), not the start of an alt+key


def _quit(terminal: harness.Terminal) -> int:
    """Close whatever is open and quit; again if a busy moment swallowed a key."""
    for _ in range(5):
        for _ in range(3):
            _escape(terminal)
        terminal.send("q")
        deadline = time.monotonic() + 10
        while terminal.process.poll() is None and time.monotonic() < deadline:
            terminal.drain(0.2)
        if terminal.process.poll() is not None:
            break
    return terminal.close(timeout=30)


def test_no_key_or_palette_command_writes_a_file_on_the_server(srv) -> None:
    before = _files(srv)
    terminal = _app(srv, "jonas")
    places = _keys_by_place()
    assert set(places) >= set(PANES) | set(SCREENS)
    assert {"x", "d", "n", "?", "\x12"} <= {k for keys in places.values() for k in keys}
    try:
        # a form with its own keys: the editor (a private temporary file, removed), save
        terminal.send("2")
        terminal.read_until("workload")
        terminal.send("e")
        terminal.read_until("Objective")
        terminal.send("\t")
        terminal.drain(0.5)
        terminal.send("\x05")  # ctrl+e: restricted nano
        terminal.read_until("Write Out")
        terminal.send("Tried over SSH. ")
        terminal.send("\x0f")  # ctrl+o, enter: saved into the private temporary file
        terminal.read_until("File Name to Write")
        terminal.send("\r")
        terminal.drain(0.5)
        terminal.send("\x18")  # ctrl+x
        terminal.drain(1)
        terminal.send("\x13")  # ctrl+s
        terminal.drain(1)
        # every key of every pane there, each followed by escape
        for place, pane in PANES.items():
            terminal.send(pane)
            terminal.drain(0.3)
            for key in places[place]:
                terminal.send(key)
                terminal.drain(0.1)
                _escape(terminal)
                _escape(terminal)
        # every key of every screen with the screen open
        for place, (pane, opener) in SCREENS.items():
            for key in places[place]:
                terminal.send(pane)
                terminal.drain(0.2)
                terminal.send(opener)
                terminal.drain(0.4)
                terminal.send(key)
                terminal.drain(0.1)
                for _ in range(3):
                    _escape(terminal)
        # the palette: every command it offers, and no screenshot among them
        for command in ("Theme", "Keys", "Keys", "Maximize"):
            terminal.send("\x10")  # ctrl+p
            terminal.read_until("Search for commands")
            terminal.send(command)
            terminal.drain(0.5)
            terminal.send("\r")
            terminal.drain(0.5)
            _escape(terminal)
        terminal.raw = b""
        terminal.send("\x10")
        terminal.read_until("Search for commands")
        terminal.send("Screensh")
        terminal.drain(1.5)
        assert "SVG" not in terminal.text() and "Screenshot" not in terminal.text()
    finally:
        code = _quit(terminal)  # the app still answers after all of that
    assert code == 0
    assert _files(srv) == before


def test_a_recovery_copy_is_refused_after_the_file_moved(srv) -> None:
    terminal = _app(srv, "li")
    database = srv.server.database
    moved = database.with_name("moved-away.db")
    try:
        os.rename(database, moved)  # someone moves the file under the open session
        terminal.read_until("deleted", timeout=30)
        before = _files(srv)
        for _ in range(3):
            terminal.send("\x12")  # ctrl+r, again and again
            terminal.drain(0.5)
        terminal.read_until("Recovery is the server", timeout=30)
        assert _files(srv) == before
        assert not list(database.parent.glob("*recovered*"))
    finally:
        if moved.exists():
            os.rename(moved, database)
        terminal.send("q")
        terminal.close(timeout=30)


def test_commands_over_ssh_print_rather_than_write_and_name_no_server_path(srv) -> None:
    before = _files(srv)
    home = str(srv.server.home)
    for command, expected in (
        (("export", "--format", "ics"), "BEGIN:VCALENDAR"),
        (("report", "one-on-one", "--with", "devon"), "One-on-one"),
        (("whoami",), "@jonas (Jonas Berg, member): proven by your SSH key; on this team server"),
        (("info",), "server"),
    ):
        done = srv.server.ssh(srv.keys["jonas"], *command)
        assert done.returncode == 0, (command, done.stderr)
        assert expected in done.stdout and home not in done.stdout + done.stderr, command
    me = json.loads(srv.server.ssh(srv.keys["jonas"], "whoami", "--json").stdout)
    assert me["database"] is None and me["mode"] == "server"
    refused = srv.server.ssh(srv.keys["jonas"], "export", "--format", "ics", "--out", f"{home}/x.ics")
    assert refused.returncode == 2 and "not yours" in refused.stderr
    assert _files(srv) == before


# --- two servers on one PostgreSQL database -------------------------------------------------------


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """Two team servers (two service accounts, two sshd) sharing one PostgreSQL database:
    an admin on one ends sessions on the other, whose processes it cannot even signal."""
    base_url = os.environ.get(PG_ENV)
    if not base_url:
        pytest.skip(f"two servers on one PostgreSQL database need {PG_ENV}")
    root = Path("/tmp") / f"okrate-e2e-two-{tmp_path_factory.getbasetemp().name}"
    okrate = harness.install()
    servers = []
    with harness.pg_database(base_url) as url:
        try:
            for label in ("a", "b"):
                (root / label).mkdir(mode=0o755, parents=True, exist_ok=True)
                servers.append(harness.Server(okrate, root / label))
            first, second = servers
            assert first.init("--database", url).returncode == 0
            assert first.as_account("demo").returncode == 0
            keys = {who: first.keygen(who) for who in ("maria", "jonas")}
            assert first.init("--admin", "maria", "--key", f"{keys['maria']}.pub").returncode == 0
            assert second.init("--database", url).returncode == 0
            joined = second.init("--admin", "maria", "--key", f"{keys['maria']}.pub")
            assert joined.returncode == 0 and "registered already" in joined.stdout
            for server in servers:
                server.start_sshd()
            jonas = Path(f"{keys['jonas']}.pub").read_text()
            added = first.ssh(keys["maria"], "keys", "add", "jonas", "-", input=jonas)
            assert added.returncode == 0, added.stderr
            assert second.ssh(keys["maria"], "whoami").returncode == 0  # the second server's keys follow
            yield SimpleNamespace(first=first, second=second, keys=keys, url=url)
        finally:
            for server in servers:
                server.stop()


def _connections(url: str) -> int:
    import psycopg2

    probe = psycopg2.connect(url)
    try:
        with probe.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cur.fetchone()[0]
    finally:
        probe.close()


def test_an_admin_on_one_server_ends_a_session_on_another(two_servers) -> None:
    first, second, keys = two_servers.first, two_servers.second, two_servers.keys
    terminal = harness.Terminal(second.ssh_args(keys["jonas"], tty=True))
    try:
        terminal.read_until("Grow", timeout=60)
        assert _connections(two_servers.url) == 1  # an app session holds one connection, not two
        listed = json.loads(first.ssh(keys["maria"], "sessions", "--json").stdout)
        (session,) = [s for s in listed if s["handle"] == "jonas"]
        assert session["what"] == "app" and session["ending"] is None
        assert first.ssh(keys["maria"], "sessions", "end", str(session["id"])).returncode == 0
        took = _ended(terminal, "okrate: this session has ended: @maria ended it.")
        print(f"\nPostgreSQL, another server: the session closed {took:.1f} s after the command")
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
            terminal.close()
    again = harness.Terminal(second.ssh_args(keys["jonas"], tty=True))
    try:
        again.read_until("Grow", timeout=60)
        listed = json.loads(first.ssh(keys["maria"], "keys", "list", "--json").stdout)
        jonas_key = next(k["id"] for k in listed if k["handle"] == "jonas")
        assert first.ssh(keys["maria"], "keys", "revoke", str(jonas_key)).returncode == 0
        _ended(again, "okrate: this session has ended: your SSH key was revoked by @maria.")
    finally:
        if again.process.poll() is None:
            again.process.kill()
            again.close()
