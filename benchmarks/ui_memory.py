"""Memory given back: the board's scope toggled on the 100,000-task organisation.

    python benchmarks/ui_memory.py [--tasks 100000] [--toggles 100] [--runs 3]

Runs the real command in a pseudo-terminal (each run on a fresh copy of the demo, since
the board remembers its scope), opens the board on the whole organisation and presses
``m`` (my tasks / everything) over and over, each time waiting until the scope line shows
the other scope's count and the screen has been quiet for 0.3 s. The resident memory
(RSS) is read after the first toggle and after the last one, both on "my tasks", so what
grows in between is memory a whole board read leaves behind. Budget: 10 MB after 100
toggles.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import demo_db, print_table
from benchmarks._screen import Screen

SCOPE_LINE = re.compile(r"· (whole organisation|my tasks) · ([\d,]+) tasks?")
LABELS = {"org": "whole organisation", "mine": "my tasks"}


def scope_shown(screen: Screen) -> str | None:
    found = SCOPE_LINE.search(screen.text())
    return found.group(1) if found else None


def toggle(screen: Screen) -> float:
    """Press ``m``; seconds until the other scope's board has settled on screen."""
    before = scope_shown(screen)
    start = time.perf_counter()
    screen.press("m")
    screen.wait(lambda s: scope_shown(s) not in (None, before), limit=60, since=start)
    screen.quiet(0.3)
    return screen.arrived - start


def run(db: Path, toggles: int) -> tuple[float, float, list[float]]:
    """RSS (MB) after the first toggle and after the last, and each toggle's seconds."""
    from okrate_tui.core.migrate import copy_sqlite

    copy = Path(tempfile.mkdtemp(prefix="okrate-memory-")) / "memory.db"
    copy_sqlite(db, copy)
    screen = Screen(["--db", str(copy), "--as", "maria"], size=(160, 45))
    try:
        screen.wait(lambda s: re.search(r"\d[\d,]* goals", s.text()) is not None, limit=120)
        screen.press("2")
        screen.wait(lambda s: scope_shown(s) == LABELS["org"], limit=120)
        screen.quiet(1.0)
        times = [toggle(screen)]
        first = screen.rss_mb()
        for _ in range(toggles):
            times.append(toggle(screen))
        if toggles % 2:  # end on the scope the first toggle showed
            times.append(toggle(screen))
        return first, screen.rss_mb(), times
    finally:
        screen.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        copy.parent.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--toggles", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("OKRATE_TODAY", "2026-11-26")
    db, _ = demo_db(args.tasks)
    firsts, lasts, growth, times = [], [], [], []
    for _ in range(args.runs):
        first, last, took = run(db, args.toggles)
        firsts.append(first)
        lasts.append(last)
        growth.append(last - first)
        times += took
    runs = f"median of {args.runs} runs"
    print(f"board scope toggled {args.toggles} times, {args.tasks:,}-task demo ({db})")
    print_table(
        [
            ("RSS after the first toggle", statistics.median(firsts), None, runs, "MB"),
            (f"RSS after {args.toggles} more toggles", statistics.median(lasts), None, runs, "MB"),
            (
                f"RSS growth over {args.toggles} toggles",
                statistics.median(growth),
                10,
                f"{runs}: {', '.join(f'{g:.1f}' for g in growth)}",
                "MB",
            ),
            ("one toggle (key to settled board)", statistics.median(times) * 1000, None, f"median of {len(times)}"),
        ]
    )


if __name__ == "__main__":
    main()
