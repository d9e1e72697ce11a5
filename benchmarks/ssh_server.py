"""A team server over real SSH: start-up, and many sessions on one large organisation.

    python benchmarks/ssh_server.py [--runs 7] [--sessions 20] [--tasks 100000]

Needs root, OpenSSH and python3-venv (as the end-to-end tests do). It sets up a service
account with ``okrate server init`` and a throwaway sshd on 127.0.0.1, then measures:

- a bare ``ssh`` round trip whose forced command is ``true`` (the floor under everything);
- ``ssh -tt okrate@localhost`` to the painted goal tree on the ordinary demo;
- ``--sessions`` people connected at once to the ``--tasks`` organisation with the board
  open: each session's memory, and how long a card moved by one takes to show on the
  others' screens.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import demo_db, print_table
from tests.server import harness


def rss_of_sessions(account: str) -> list[float]:
    """Resident memory (MB) of every okrate process the service account runs."""
    out = subprocess.run(["ps", "-u", account, "-o", "rss=,args="], capture_output=True, text=True).stdout
    return [int(line.split()[0]) / 1024 for line in out.splitlines() if "ssh-entry" in line and "python" in line]


def baseline_ssh(server: harness.Server, runs: int) -> float:
    """A key whose forced command is ``true``: what any SSH-served program pays first."""
    key = server.keygen("baseline")
    keys_file = server.home / ".ssh" / "authorized_keys"
    line = f'command="true",restrict {Path(f"{key}.pub").read_text().split(" ", 2)[0]} '
    line += Path(f"{key}.pub").read_text().split()[1] + "\n"
    original = keys_file.read_text()
    keys_file.write_text(original + line)
    times = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*server.ssh_args(key), "--"], capture_output=True, check=True)
            times.append(time.perf_counter() - start)
    finally:
        keys_file.write_text(original)
    return statistics.median(times) * 1000


def app_start(server: harness.Server, key: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        terminal = harness.Terminal(server.ssh_args(key, tty=True))
        start = time.perf_counter()
        terminal.read_until("goals", timeout=30)
        times.append(time.perf_counter() - start)
        terminal.send("q")
        terminal.close()
    return statistics.median(times) * 1000


def top_todo_title(db: Path) -> str:
    from okrate_tui.core.db import open_db
    from okrate_tui.core.queries.board import BoardScope, columns, load_cards
    from okrate_tui.core.services.cycles import current_cycle

    open_db(str(db))
    return columns(load_cards(BoardScope(), current_cycle().id), lambda card: True)["todo"][0].title


def many_sessions(server: harness.Server, admin_key: Path, handles: list[str], title: str) -> tuple[float, list, list]:
    """Every person opens the board; the first moves the top card of To do; the
    seconds until each of the others shows it again (repainted) are returned."""
    keys = {}
    for handle in handles:
        keys[handle] = server.keygen(f"p-{handle}")
        added = server.ssh(admin_key, "keys", "add", handle, "-", input=Path(f"{keys[handle]}.pub").read_text())
        assert added.returncode == 0, added.stderr
    terminals = [harness.Terminal(server.ssh_args(keys[h], tty=True)) for h in handles]
    try:
        for terminal in terminals:
            terminal.read_until("goals", timeout=120)
            terminal.send("2")
        for terminal in terminals:
            terminal.read_until("Doing", timeout=120)
        time.sleep(3)
        for terminal in terminals:
            terminal.drain(0.5)
        memory = rss_of_sessions(server.account)
        needle = title[:14]
        seen = []
        marks = []
        for terminal in terminals[1:]:
            terminal.raw = b""
        sent = time.perf_counter()
        terminals[0].send("L")
        for terminal in terminals[1:]:
            left = max(0.1, 10 - (time.perf_counter() - sent))
            try:
                terminal.read_until(needle, timeout=left)
                marks.append(time.perf_counter())
            except AssertionError:
                marks.append(float("nan"))
        for mark in marks:
            seen.append(mark - sent)
        return statistics.median(memory), memory, seen
    finally:
        for terminal in terminals:
            terminal.send("q")
        for terminal in terminals:
            terminal.close(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    problem = harness.missing()
    if problem:
        raise SystemExit(f"cannot run: {problem}")
    okrate = harness.install()
    rows = []
    base = Path("/tmp/okrate-bench-ssh")
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(mode=0o755)
    server = harness.Server(okrate, base / "small")
    (base / "small").mkdir(mode=0o755)
    try:
        assert server.init().returncode == 0
        assert server.as_account("demo").returncode == 0
        maria = server.keygen("maria")
        assert server.init("--admin", "maria", "--key", f"{maria}.pub").returncode == 0
        server.start_sshd()
        floor = baseline_ssh(server, args.runs)
        start = app_start(server, maria, args.runs)
        rows.append(("bare ssh round trip (forced command true)", floor, None, f"median of {args.runs}"))
        rows.append(
            (
                "ssh -tt to the painted goal tree (demo)",
                start,
                1000,
                f"median of {args.runs}; {start / floor:.1f}x the bare round trip",
            )
        )
    finally:
        server.stop()
    if args.sessions:
        source, _ = demo_db(args.tasks)
        big = harness.Server(okrate, base / "big")
        (base / "big").mkdir(mode=0o755)
        try:
            assert big.init().returncode == 0
            target = big.database
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            from okrate_tui.core.migrate import copy_sqlite

            copy_sqlite(source, target)
            os.chown(target, *_ids(big.account))
            maria = big.keygen("maria")
            done = big.init("--admin", "maria", "--key", f"{maria}.pub")
            assert done.returncode == 0, done.stderr
            big.start_sshd()
            people = big.ssh(maria, "person", "list", "--json")
            import json

            handles = ["maria"] + [p["handle"] for p in json.loads(people.stdout) if p["handle"] != "maria"]
            handles = handles[: args.sessions]
            title = top_todo_title(target)
            median_rss, memory, seen = many_sessions(big, maria, handles, title)
            shown = [s for s in seen if s == s]
            rows.append(
                (
                    f"{len(handles)} sessions on {args.tasks:,} tasks: memory per session",
                    median_rss,
                    120,
                    f"median; largest {max(memory):.0f} MB",
                    "MB",
                )
            )
            rows.append(
                (
                    "a card moved by one, shown on the others' boards",
                    statistics.median(shown) * 1000 if shown else float("nan"),
                    1000,
                    f"median; slowest {max(shown) * 1000:.0f} ms; {len(shown)} of {len(seen)} showed it"
                    if shown
                    else "none showed it within 10 s",
                )
            )
        finally:
            big.stop()
    print_table(rows)


def _ids(account: str) -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam(account)
    return entry.pw_uid, entry.pw_gid


if __name__ == "__main__":
    main()
