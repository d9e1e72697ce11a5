"""What the app writes to its terminal per action: the bytes a remote session sends
over the network, the frames they make, and (with ``--link``) how long a key takes to
settle on the screen through a slow link.

    python benchmarks/ui_bytes.py [--tasks 70] [--repeat 6] [--sizes 160x45,80x24]
    python benchmarks/ui_bytes.py --link 1:50     # 1 Mbit/s, 50 ms each way

The real command runs in a pseudo-terminal read through a terminal emulator that
answers the question about synchronized output, so every frame is marked and counted.
An action is counted from its key until the screen has been quiet for 0.4 s.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import CACHE, demo_db
from benchmarks._wire import Link, Tally, Wire

TODAY = "2026-11-26"
EXTRA_ENV: dict[str, str] = {}
TREE_READY = re.compile(r"\d[\d,]* goals")
BOARD_READY = re.compile(r"· [\d,]+ tasks")
ONE_ON_ONE = re.compile(r"Goal \d+ of \d+")
FILTER_WORD = "plan"

# action -> budget in KB at 160×45 (issue budgets); None: reported only
BUDGETS: dict[str, float | None] = {
    "first paint": 40,
    "board open": 60,
    "cursor move (j/k)": 3,
    "card move (L/H)": 10,
    "filter open (/)": 15,
    "filter character": 15,
    "filter close (esc)": 15,
    "full board frame": 25,
    "pane switch (1/2)": None,
    "one-on-one step (n/p)": None,
}
SETTLE_BUDGET_MS = {"cursor move (j/k)": 200, "card move (L/H)": 200, "one-on-one step (n/p)": 200}


def session(db: Path, size: tuple[int, int], link: Link | None, home: str) -> Wire:
    """The app as someone on an SSH link sees it, on a copy of ``db`` (the actions move cards)."""
    copy = Path(home) / "okrate.db"
    shutil.copyfile(db, copy)
    env = {
        "OKRATE_AS": "maria",
        "OKRATE_TODAY": TODAY,
        "HOME": home,
        "XDG_CONFIG_HOME": home,
        "SSH_CONNECTION": "203.0.113.5 50000 198.51.100.7 22",
        **EXTRA_ENV,
    }
    return Wire(["--db", str(copy)], size, env, link)


def full_frame(wire: Wire) -> Tally:
    """A frame that repaints everything: the terminal's size changes and comes back."""
    cols, rows = wire.size
    for width in (cols - 1, cols):
        wire.quiet(0.5)
        wire.tally = Tally()
        wire.pressed = time.perf_counter()
        fcntl.ioctl(wire.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, width, 0, 0))
        os.kill(wire.pid, signal.SIGWINCH)
        wire.pump(5)
        wire.quiet(0.5)
    return wire.tally


def run(db: Path, size: tuple[int, int], repeat: int, link: Link | None) -> dict[str, list[Tally]]:
    """One session through every action; each action's tallies."""
    got: dict[str, list[Tally]] = {name: [] for name in BUDGETS}
    with tempfile.TemporaryDirectory() as home:
        wire = session(db, size, link, home)
        try:
            got["first paint"].append(wire.start(TREE_READY))
            got["board open"].append(wire.act("2"))
            if BOARD_READY.search(wire.text()) is None:
                wire.wait(lambda s: BOARD_READY.search(s.text()) is not None, limit=60)
            for i in range(repeat):
                got["cursor move (j/k)"].append(wire.act("jk"[i % 2]))
            for i in range(repeat):
                got["card move (L/H)"].append(wire.act("LH"[i % 2]))
            for _ in range(max(2, repeat // 2)):
                got["filter open (/)"].append(wire.act("/"))
                for ch in FILTER_WORD:
                    got["filter character"].append(wire.act(ch))
                got["filter close (esc)"].append(wire.act("\x1b", quiet=0.6))
                wire.act("\x1b", quiet=0.4)  # the board's escape clears the filter it left
            got["full board frame"].append(full_frame(wire))
            for i in range(repeat):
                got["pane switch (1/2)"].append(wire.act("12"[i % 2]))
            wire.act("3")
            wire.act("j")
            wire.act("o")
            wire.wait(lambda s: ONE_ON_ONE.search(s.text()) is not None, limit=30)
            for i in range(repeat):
                got["one-on-one step (n/p)"].append(wire.act("np"[i % 2]))
        finally:
            wire.close()
    return got


def ordinary_demo() -> Path:
    """The demo organisation people see first (made once and kept)."""
    path = CACHE / "demo-ordinary.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "okrate_tui", "--db", str(path), "demo"], check=True, capture_output=True)
    return path


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(size: tuple[int, int], runs: list[dict[str, list[Tally]]], link: Link | None) -> None:
    wide = size == (160, 45)
    print(f"\n{size[0]}×{size[1]}" + (f" through {link.describe()}" if link else ""))
    head = f"{'action':<24} {'KB':>7} {'budget':>7} {'verdict':<7} {'frames':>6} {'largest KB':>10} {'styles':>7}"
    if link:
        head += f" {'settled ms':>10} {'budget':>7}"
    print(head)
    for name, budget in BUDGETS.items():
        tallies = [t for got in runs for t in got[name]]
        if not tallies:
            continue
        kb = median([t.size / 1024 for t in tallies])
        frames = median([t.frames for t in tallies])
        rows = median([max(t.frame_sizes or [0]) / 1024 for t in tallies])
        styles = median([t.styles for t in tallies])
        shown = "" if budget is None or not wide else f"{budget:g}"
        verdict = "" if budget is None or not wide else ("ok" if kb <= budget else "OVER")
        line = f"{name:<24} {kb:>7.1f} {shown:>7} {verdict:<7} {frames:>6g} {rows:>10.1f} {styles:>7g}"
        if link:
            settled = median([t.settled * 1000 for t in tallies])
            limit = SETTLE_BUDGET_MS.get(name)
            line += f" {settled:>10.0f} {'' if limit is None else limit:>7}"
            if limit is not None:
                line += " ok" if settled <= limit else " OVER"
        print(line)


def parse_size(text: str) -> tuple[int, int]:
    cols, rows = text.lower().split("x")
    return int(cols), int(rows)


def parse_link(text: str) -> Link:
    rate, latency = text.split(":")
    return Link(float(rate) * 1e6, float(latency) / 1000)


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, help="a generated demo of about N tasks (default: the ordinary demo)")
    parser.add_argument("--repeat", type=int, default=6, help="presses of each repeated action")
    parser.add_argument("--runs", type=int, default=2, help="sessions per size (first paint and board open once each)")
    parser.add_argument("--sizes", default="160x45,80x24")
    parser.add_argument(
        "--colours", choices=["truecolor", "256"], default="truecolor", help="what the terminal says it shows"
    )
    parser.add_argument("--raw", action="store_true", help="write Textual's output as it is (OKRATE_RAW_OUTPUT=1)")
    parser.add_argument("--link", help="MBIT:MS — relay at MBIT Mbit/s with MS ms each way")
    args = parser.parse_args(argv)
    db = ordinary_demo() if args.tasks is None else demo_db(args.tasks)[0]
    link = parse_link(args.link) if args.link else None
    EXTRA_ENV["COLORTERM"] = "truecolor" if args.colours == "truecolor" else ""
    if args.raw:
        EXTRA_ENV["OKRATE_RAW_OUTPUT"] = "1"
    print(f"bytes the app writes per action ({db.name}, {args.colours} colours); medians, KB = 1024 bytes")
    for text in args.sizes.split(","):
        size = parse_size(text)
        report(size, [run(db, size, args.repeat, link) for _ in range(args.runs)], link)


if __name__ == "__main__":
    main()
