"""How fast the app opens and answers keys, on the ordinary and the 100,000-task demo.

    python benchmarks/ui_startup.py [--tasks 100000] [--runs 7]

Start-up is measured on the real command in a pseudo-terminal: from starting the process
to the goal tree painted with its figures (the line "N goals" appears once they are in),
with the resident memory of the process then. Key answers are measured the same way: from
writing a key to the terminal to the first repainted bytes coming back.

Start-up is also quoted as a ratio to a bare Textual app (one line of text) started the
same way on the same machine, since absolute times vary from machine to machine: the
100,000-task start-up was 3.6 times the bare app when live sessions came; it must not grow.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import demo_db, print_table

READY = re.compile(rb"\d[\d,]* goals")
BARE = "from textual.app import App\nfrom textual.widgets import Static\n" + (
    "class Bare(App):\n    def compose(self):\n        yield Static('0 goals')\nBare().run()\n"
)
RATIO_BUDGET = 3.6


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Session:
    """The real ``okrate`` command in a pseudo-terminal of a given size."""

    def __init__(self, db: Path | None, size: tuple[int, int] = (120, 36)):
        env = {**os.environ, "TERM": "xterm-256color"}
        args = ["-m", "okrate_tui", "--db", str(db), "--as", "maria"] if db is not None else ["-c", BARE]
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(sys.executable, [sys.executable, *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.fd, 65536)
        except OSError:
            return b""

    def wait_ready(self, limit: float = 30) -> float:
        """Seconds from exec until the tree is painted with its figures."""
        seen = b""
        while time.perf_counter() - self.started < limit:
            seen += self.read(0.05)
            if READY.search(seen):
                return time.perf_counter() - self.started
        raise RuntimeError("the app never showed its goal tree")

    def drain(self, quiet: float = 0.3) -> None:
        while self.read(quiet):
            pass

    def key_to_paint(self, key: bytes) -> float:
        """Milliseconds from sending a key to the first repainted bytes."""
        self.drain()
        start = time.perf_counter()
        os.write(self.fd, key)
        while not self.read(2.0):
            if time.perf_counter() - start > 2:
                return float("nan")
        return (time.perf_counter() - start) * 1000

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


DOWN, UP, RIGHT, LEFT = b"\x1b[B", b"\x1b[A", b"\x1b[C", b"\x1b[D"


def bare_start(runs: int) -> float:
    """Milliseconds from exec to a bare Textual app's first paint (the same terminal)."""
    starts = []
    for _ in range(runs):
        session = Session(None)
        try:
            starts.append(session.wait_ready() * 1000)
        finally:
            session.close()
    return statistics.median(starts)


def measure(db: Path, runs: int, presses: int) -> dict[str, float]:
    starts, memory, expand, move = [], [], [], []
    for run in range(runs):
        session = Session(db)
        try:
            starts.append(session.wait_ready() * 1000)
            memory.append(rss_mb(session.pid))
            if run == 0:
                for _ in range(presses):
                    expand.append(session.key_to_paint(RIGHT))
                    session.key_to_paint(LEFT)
                    move.append(session.key_to_paint(DOWN))
                    session.key_to_paint(UP)
        finally:
            session.close()
    return {
        "start": statistics.median(starts),
        "memory": max(memory),
        "expand": statistics.median(expand),
        "move": statistics.median(move),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("OKRATE_TODAY", "2026-11-26")
    bare = bare_start(args.runs)
    rows: list[tuple] = [("start to first paint (a bare Textual app)", bare, None, f"median of {args.runs}")]
    for label, tasks, budget in (("ordinary demo", None, 500), (f"{args.tasks:,}-task demo", args.tasks, 800)):
        db, _ = demo_db(tasks or 77)
        got = measure(db, args.runs, args.presses)
        rows.append(
            (
                f"start to painted goal tree ({label})",
                got["start"],
                budget,
                f"median of {args.runs}; RSS {got['memory']:.0f} MB (budget 250 MB)",
            )
        )
        ratio = got["start"] / bare
        if tasks:
            rows.append((f"  as a ratio to the bare app ({label})", ratio, RATIO_BUDGET, "must not grow", "x"))
        rows.append((f"expand a node ({label})", got["expand"], 50, "key sent to screen repainted"))
        rows.append((f"move the selection ({label})", got["move"], 50, "key sent to screen repainted"))
    print_table(rows)


if __name__ == "__main__":
    main()
