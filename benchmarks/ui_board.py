"""The board on the 100,000-task organisation, whole-organisation scope.

    python benchmarks/ui_board.py [--tasks 100000] [--presses 10]

Runs the real command in a pseudo-terminal and times, from the key written to the
terminal to the repainted screen coming back: opening the board (``2`` until its
workload line is drawn), moving a card to the next column and back (``L``/``H``), and
typing a filter character by character. Reports the process's memory at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import demo_db, print_table
from benchmarks.ui_startup import Session, rss_mb

BOARD_READY = re.compile(rb"workload")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def open_board(session: Session) -> float:
    session.drain()
    start = time.perf_counter()
    os.write(session.fd, b"2")
    seen = b""
    while time.perf_counter() - start < 30:
        seen += session.read(0.05)
        if BOARD_READY.search(seen):
            return (time.perf_counter() - start) * 1000
    raise RuntimeError("the board never appeared")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("OKRATE_TODAY", "2026-11-26")
    db, _ = demo_db(args.tasks)
    opens, moves, typing, memory = [], [], [], []
    for run in range(args.runs):
        session = Session(db, (160, 45))
        try:
            session.wait_ready()
            opens.append(open_board(session))
            session.drain(0.5)
            if run == 0:
                for _ in range(args.presses):
                    moves.append(session.key_to_paint(b"L"))
                    moves.append(session.key_to_paint(b"H"))
                session.key_to_paint(b"/")
                for ch in b"review plan":
                    typing.append(session.key_to_paint(bytes([ch])))
                session.key_to_paint(b"\x1b")
            memory.append(rss_mb(session.pid))
        finally:
            session.close()
    print(f"board of the {args.tasks:,}-task demo, whole organisation ({db})")
    print_table(
        [
            ("open the board (key 2 to painted board)", statistics.median(opens), 1000, f"median of {args.runs}"),
            ("move a card to another column", statistics.median(moves), 50, f"median of {len(moves)} moves"),
            ("move a card: p95", percentile(moves, 0.95), 100, f"slowest {max(moves):.0f} ms"),
            (
                "type a filter character",
                statistics.median(typing),
                100,
                f"median of {len(typing)} keys, max {max(typing):.0f} ms",
            ),
            ("memory (RSS) with the board open", max(memory), 300, "largest of the runs", "MB"),
        ]
    )


if __name__ == "__main__":
    main()
