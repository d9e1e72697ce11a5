"""The cycle review pane on the 100,000-task organisation (200 people), timed on the
real command in a pseudo-terminal, from the key to the screen that answers it.

    python benchmarks/ui_review.py [--tasks 100000] [--runs 5]
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
from benchmarks.ui_startup import Session


def key_until(session: Session, key: bytes, marker: bytes, limit: float = 30) -> float:
    """Milliseconds from a key to the first output holding ``marker``."""
    session.drain()
    start = time.perf_counter()
    os.write(session.fd, key)
    seen = b""
    pattern = re.compile(marker)
    while time.perf_counter() - start < limit:
        seen += session.read(0.02)
        if pattern.search(seen):
            return (time.perf_counter() - start) * 1000
    raise RuntimeError(f"never saw {marker!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("OKRATE_TODAY", "2026-11-26")
    db, _ = demo_db(args.tasks)
    pane, space, charts = [], [], []
    for _ in range(args.runs):
        session = Session(db, (160, 45))
        try:
            session.wait_ready()
            session.drain(0.5)
            pane.append(key_until(session, b"3", rb"\d+ people"))
            session.drain(0.3)
            space.append(key_until(session, b"\r", rb"Goals"))
            key_until(session, b"\x1b", rb"people")
            session.drain(0.3)
            charts.append(key_until(session, b"a", rb"Outcome"))
        finally:
            session.close()
    print(f"cycle review pane, {args.tasks:,}-task demo ({db})")
    print_table(
        [
            ("open the review pane for a cycle", statistics.median(pane), 500, f"median of {args.runs}"),
            ("open one person's review workspace", statistics.median(space), 200, f"median of {args.runs}"),
            ("open the analytics view", statistics.median(charts), 1000, f"median of {args.runs}"),
        ]
    )


if __name__ == "__main__":
    main()
