"""Live sessions on a large organisation: how soon another session's change shows, how
the app answers keys while other processes write ten times a second, and what an idle
session costs.

    python benchmarks/ui_live.py [--tasks 100000] [--samples 25] [--backend sqlite|postgresql|both]

The app runs as the real command in a pseudo-terminal, read through a terminal emulator;
another process writes through the services, as a colleague's session would. PostgreSQL
needs ``OKRATE_TEST_PG_URL`` (a server where databases may be created).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import demo_db, print_table
from benchmarks._screen import Screen

TODAY = "2026-11-26"
WRITER = """
import random, sys, time
from okrate_tui.core.db import open_db
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.models import Person, Task
from okrate_tui.core.services import tasks
from okrate_tui.core.services.cycles import current_cycle
open_db(sys.argv[1])
rate, keep = float(sys.argv[2]), set(int(i) for i in sys.argv[3].split(",") if i)
rng = random.Random(7)
people = list(Person.select().where(Person.active == True).limit(50))
cycle = current_cycle().id
ids = [t.id for t in Task.select(Task.id).where(Task.cycle == cycle) if t.id not in keep]
while True:
    task = rng.choice(ids)
    try:
        if rng.random() < 0.5:
            tasks.edit_task(rng.choice(people), task, None, priority=rng.choice(["low", "medium", "high", None]))
        else:
            tasks.edit_task(rng.choice(people), task, None, deadline=f"2026-12-{rng.randint(1, 28):02d}")
    except OkrateError:
        pass
    time.sleep(1 / rate)
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def selected_line(screen: Screen) -> int | None:
    """The first screen line of the selected card (its left edge carries ▌)."""
    for number, line in enumerate(screen.lines()):
        if line.startswith("▌"):
            return number
    return None


def column_count(screen: Screen, label: str) -> int | None:
    found = re.search(rf"{label} ([\d,]+)", screen.text())
    return int(found.group(1).replace(",", "")) if found else None


def open_board(screen: Screen) -> None:
    screen.wait(lambda s: re.search(r"\d[\d,]* goals", s.text()) is not None, limit=120)
    screen.press("2")
    screen.wait(lambda s: re.search(r"· [\d,]+ tasks", s.text()) is not None and selected_line(s) is not None, 120)
    screen.quiet(1.0)


def visibility(screen: Screen, url: str, samples: int) -> list[float]:
    """Another session renames the card at the top of To do; seconds until it shows."""
    from okrate_tui.core.db import open_db
    from okrate_tui.core.queries.board import BoardScope, columns, load_cards
    from okrate_tui.core.services import tasks
    from okrate_tui.core.services.cycles import current_cycle
    from okrate_tui.core.services.people import find_person

    open_db(url)
    cycle = current_cycle().id
    target = columns(load_cards(BoardScope(), cycle), lambda card: True)["todo"][0]
    actor = find_person("maria")
    base = target.title
    seen = []
    for number in range(samples):
        marker = f"ZQ{number:03d}"
        tasks.edit_task(actor, target.id, None, title=f"{marker} {base}"[:200])
        start = time.perf_counter()
        seen.append(screen.wait(lambda s, m=marker: m in s.text(), limit=15, since=start))
        time.sleep(random.uniform(0.2, 0.6))
    tasks.edit_task(actor, target.id, None, title=base)
    return seen


def keys_under_load(screen: Screen, samples: int) -> tuple[list[float], list[float]]:
    """Cursor moves and card moves, key to the screen showing them."""
    cursor, moves = [], []
    for number in range(samples):
        before = selected_line(screen)
        key, want = ("j", 3) if number % 2 == 0 else ("k", -3)
        start = time.perf_counter()
        screen.press(key)
        cursor.append(screen.wait(lambda s, b=before, w=want: selected_line(s) == (b or 0) + w, 10, start))
        time.sleep(random.uniform(0.05, 0.2))
    for number in range(samples):
        doing = column_count(screen, "Doing") or 0
        key, want = ("L", doing + 1) if number % 2 == 0 else ("H", doing - 1)
        start = time.perf_counter()
        screen.press(key)
        moves.append(screen.wait(lambda s, w=want: column_count(s, "Doing") == w, 10, start))
        time.sleep(random.uniform(0.1, 0.3))
    return cursor, moves


def idle_cpu(screen: Screen, seconds: float = 10.0) -> float:
    screen.quiet(1.0)
    before = screen.cpu_seconds()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        screen.pump(0.1)
    return (screen.cpu_seconds() - before) / seconds * 100


def prepare(backend: str, tasks: int) -> tuple[str, list[str]]:
    """A database to write to (a copy: the cached one stays as generated) and the app's arguments."""
    source, _ = demo_db(tasks)
    if backend == "sqlite":
        from okrate_tui.core.migrate import copy_sqlite

        copy = Path(tempfile.mkdtemp(prefix="okrate-live-")) / "live.db"
        copy_sqlite(source, copy)
        return str(copy), ["--db", str(copy), "--as", "maria"]
    base = os.environ.get("OKRATE_TEST_PG_URL")
    if not base:
        raise SystemExit("PostgreSQL needs OKRATE_TEST_PG_URL=postgresql://…")
    import psycopg2

    url = base.rsplit("/", 1)[0] + f"/okrate_live_{tasks}"
    admin = psycopg2.connect(base)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (f"okrate_live_{tasks}",))
        fresh = cur.fetchone() is None
        if fresh:
            cur.execute(f'CREATE DATABASE "okrate_live_{tasks}"')
    admin.close()
    env = {**os.environ, "OKRATE_TODAY": TODAY}
    if fresh:
        subprocess.run(
            [sys.executable, "-m", "okrate_tui", "--db", url, "demo", "--tasks", str(tasks)],
            check=True,
            env=env,
            capture_output=True,
        )
        from okrate_tui.core.db import open_db
        from okrate_tui.core.identity import os_user
        from okrate_tui.core.services.people import create_person, find_person

        open_db(url)
        create_person(find_person("maria"), os_user() or "root", "Benchmark Login", role="admin")
    return url, ["--db", url]  # a shared database: the login acts


def run(backend: str, tasks: int, samples: int) -> list[tuple]:
    os.environ["OKRATE_TODAY"] = TODAY
    url, args = prepare(backend, tasks)
    screen = Screen(args)
    writer = None
    try:
        open_board(screen)
        seen = visibility(screen, url, samples)
        keep = ""
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, url, "10", keep],
            env={**os.environ, "OKRATE_TODAY": TODAY},
            cwd=Path(__file__).resolve().parents[1],
        )
        time.sleep(2)
        cursor, moves = keys_under_load(screen, samples)
        writer.terminate()
        writer.wait()
        writer = None
        idle = idle_cpu(screen)
        rss = screen.rss_mb()
    finally:
        if writer is not None:
            writer.kill()
        screen.close()
    label = f"{backend}, {tasks:,} tasks"
    return [
        (f"another session's change shown ({label})", statistics.median(seen) * 1000, 300, _spread(seen, 1000)),
        (f"cursor move, 10 writes/s elsewhere ({label})", statistics.median(cursor) * 1000, 50, _spread(cursor, 150)),
        (f"card move, 10 writes/s elsewhere ({label})", statistics.median(moves) * 1000, 50, _spread(moves, 150)),
        (f"idle session ({label})", idle, 2, f"of one core, 10 s; RSS {rss:.0f} MB", "%"),
    ]


def _spread(values: list[float], p95_budget: float) -> str:
    p95 = percentile(values, 0.95) * 1000
    verdict = "ok" if p95 <= p95_budget else "OVER"
    return f"p95 {p95:.0f} ms (budget {p95_budget:g}: {verdict}); {len(values)} samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=25)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    rows = []
    for backend in backends:
        rows += run(backend, args.tasks, args.samples)
    print_table(rows)


if __name__ == "__main__":
    main()
