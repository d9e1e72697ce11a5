"""Start-up of this checkout against another one, launched in turn so both see the same
machine load: the fair way to tell whether a change made start-up slower.

    git worktree add /tmp/okrate-before <commit>
    python benchmarks/startup_ab.py /tmp/okrate-before [--tasks 100000] [--runs 15]

Times run from exec to the painted goal tree (as in ``ui_startup.py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import demo_db
from benchmarks.ui_startup import Session

HERE = Path(__file__).resolve().parents[1]


def start(db: Path, root: Path) -> float:
    os.environ["PYTHONPATH"] = str(root)
    session = Session(db)
    try:
        return session.wait_ready() * 1000
    finally:
        session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="another checkout of okrate (its top folder)")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("OKRATE_TODAY", "2026-11-26")
    db, _ = demo_db(args.tasks)
    times: dict[str, list[float]] = {"this": [], "other": []}
    roots = {"this": HERE, "other": args.other.resolve()}
    start(db, HERE)  # warm the file cache
    for run in range(args.runs):
        for name in ("this", "other") if run % 2 else ("other", "this"):
            times[name].append(start(db, roots[name]))
    this, other = statistics.median(times["this"]), statistics.median(times["other"])
    print(f"start to painted goal tree, {args.tasks:,}-task demo, {args.runs} launches each, in turn")
    print(f"  this checkout  {this:7.0f} ms  ({HERE})")
    print(f"  other          {other:7.0f} ms  ({roots['other']})")
    print(f"  this / other   {this / other:7.3f}")


if __name__ == "__main__":
    main()
