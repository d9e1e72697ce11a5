"""Helpers shared by the benchmark scripts: timing, tables and demo databases."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

CACHE = Path(os.environ.get("OKRATE_BENCH_DIR", "/tmp/okrate-bench"))


def median_ms(fn: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    """The median wall time of ``fn`` in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def demo_db(tasks: int, *, fresh: bool = False) -> tuple[Path, float | None]:
    """A demo database of ``tasks`` tasks (made once and kept); returns it and the
    seconds generation took when it was made now."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"demo-{tasks}.db"
    if path.exists() and not fresh:
        return path, None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "okrate_tui", "--db", str(path), "demo", "--tasks", str(tasks)],
        check=True,
        capture_output=True,
    )
    return path, time.perf_counter() - start


def print_table(rows: list[tuple], unit: str = "ms") -> None:
    """rows: (what, figure, budget or None, note[, unit])."""
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'median':>10}  {'budget':>9}  verdict  note")
    for row in rows:
        what, figure, budget, note = row[:4]
        shown_unit = row[4] if len(row) > 4 else unit
        verdict = "" if budget is None else ("ok" if figure <= budget else "OVER")
        shown_budget = "" if budget is None else f"{budget:g} {shown_unit}"
        print(f"{what:<{width}}  {figure:>7.1f} {shown_unit:<2}  {shown_budget:>9}  {verdict:<7}  {note}")
