"""Start-up, card move, filter key and live refresh of two versions of okrate, launched in
turn so both see the same machine load: the fair way to tell whether a change made the
app slower.

    python benchmarks/budgets_ab.py BEFORE [AFTER] [--tasks 100000] [--runs 15]

BEFORE and AFTER are commits (anything ``git rev-parse`` takes: 7293dce, main, HEAD~3)
or folders holding a checkout; AFTER defaults to this working tree, uncommitted changes
included. A commit is exported once (``git archive``) under the benchmark folder. Each
run launches every version once, the order alternating, on a fresh copy of the demo
organisation BEFORE makes, brought to AFTER's schema by AFTER's own migrations (the same
data for both; made once and kept), as the real command in a pseudo-terminal at 160×45,
and takes:

- start-up: exec to the painted goal tree ("N goals" on screen);
- card move: ``L``/``H`` on the whole-organisation board, from the key to the settled
  screen (the last byte before 0.3 s of quiet), median of the run's moves;
- filter key: typing "review plan" into the board's filter, each key to the settled
  screen, median of the run's keys;
- live refresh: another process renames the top card of To do; from its commit to the
  bytes that show the new title, median of the run's renames.

The table gives the median over the runs of each version and AFTER / BEFORE; the budget
is AFTER no more than 5 % slower.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import CACHE
from benchmarks._screen import Screen
from benchmarks.ui_live import column_count, selected_line

HERE = Path(__file__).resolve().parents[1]
TODAY = "2026-11-26"
READY = re.compile(r"\d[\d,]* goals")
FILTER = "review plan"
BUDGET = 1.05
MEASURES = ("start-up", "card move", "filter key", "live refresh")
WRITER = """
import sys, time
from okrate_tui.core.db import open_db
from okrate_tui.core.queries.board import BoardScope, columns, load_cards
from okrate_tui.core.services import tasks
from okrate_tui.core.services.cycles import current_cycle
from okrate_tui.core.services.people import find_person
open_db(sys.argv[1])
target = columns(load_cards(BoardScope(), current_cycle().id), lambda card: True)["todo"][0]
actor = find_person("maria")
print("ready", flush=True)
for line in sys.stdin:
    tasks.edit_task(actor, target.id, None, title=f"{line.strip()} {target.title}"[:200])
    print(time.perf_counter(), flush=True)
"""


def checkout(version: str) -> Path:
    """The top folder of ``version``: a folder as given, or a commit exported once."""
    if Path(version).is_dir():
        return Path(version).resolve()
    sha = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--verify", f"{version}^{{commit}}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    folder = CACHE / f"checkout-{sha[:12]}"
    if not (folder / "okrate_tui").is_dir():
        partial = Path(tempfile.mkdtemp(prefix="checkout-", dir=CACHE))
        archive = subprocess.run(["git", "-C", str(HERE), "archive", sha], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(partial)], input=archive, check=True)
        partial.rename(folder)
    return folder


def as_version(root: Path, *args: str) -> str:
    """Run Python as the version at ``root`` and return what it printed: from a neutral
    folder, since ``-m`` and ``-c`` look in the working folder before PYTHONPATH."""
    env = {**os.environ, "PYTHONPATH": str(root), "OKRATE_TODAY": TODAY}
    done = subprocess.run([sys.executable, *args], env=env, cwd=CACHE, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def demo_of(root: Path, tasks: int) -> Path:
    """The demo organisation made by the version at ``root`` (its own schema), once."""
    schema = as_version(root, "-c", "from okrate_tui.core.migrations import SCHEMA_VERSION as v; print(v)")
    path = CACHE / f"demo-{root.name}-v{schema}-{tasks}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        as_version(root, "-m", "okrate_tui", "--db", str(partial), "demo", "--tasks", str(tasks))
        partial.rename(path)
    return path


def upgraded(demo: Path, root: Path) -> Path:
    """``demo`` brought to the schema of the version at ``root`` by its own migrations
    (the same data for both versions), once."""
    path = demo.with_name(f"{demo.stem}-for-{root.name}.db")
    if not path.exists():
        from okrate_tui.core.migrate import copy_sqlite

        partial = path.with_suffix(".partial")
        copy_sqlite(demo, partial)
        # opening it for work migrates it (a read-only command would not)
        as_version(root, "-c", f"from okrate_tui.core.db import open_db; open_db({str(partial)!r})")
        partial.rename(path)
    return path


def settled(screen: Screen, key: str, limit: float = 30) -> float:
    """Seconds from pressing ``key`` to the last byte before 0.3 s of quiet."""
    screen.quiet(0.3)
    start = time.perf_counter()
    screen.arrived = start
    screen.press(key)
    while not screen.pump(0.05):
        if time.perf_counter() - start > limit:
            raise TimeoutError(f"nothing came back for {key!r}:\n{screen.text()}")
    screen.quiet(0.3)
    return screen.arrived - start


def launch(root: Path, demo: Path, moves: int, renames: int) -> dict[str, float]:
    """One launch of the version at ``root``: each measure in seconds (the run's median)."""
    from okrate_tui.core.migrate import copy_sqlite

    folder = Path(tempfile.mkdtemp(prefix="okrate-ab-"))
    copy = folder / "ab.db"
    copy_sqlite(demo, copy)
    env = {"PYTHONPATH": str(root), "OKRATE_TODAY": TODAY}
    screen = Screen(["--db", str(copy), "--as", "maria"], size=(160, 45), env=env)
    writer = None
    try:
        start = screen.wait(lambda s: READY.search(s.text()) is not None, limit=120, since=screen.started)
        screen.press("2")
        screen.wait(lambda s: re.search(r"· [\d,]+ tasks", s.text()) is not None and selected_line(s) is not None, 120)
        screen.quiet(1.0)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(copy)],
            env={**os.environ, **env},
            cwd=folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdin is not None and writer.stdout is not None
        if writer.stdout.readline().strip() != "ready":
            raise RuntimeError("the writer did not start")
        screen.quiet(0.5)
        shown = []
        for number in range(renames):
            marker = f"ZQ{number:03d}"
            writer.stdin.write(f"{marker}\n")
            writer.stdin.flush()
            committed = float(writer.stdout.readline())
            shown.append(screen.wait(lambda s, m=marker: m in s.text(), limit=15, since=committed))
            screen.quiet(0.3)
        moved = []
        for number in range(moves):
            doing = column_count(screen, "Doing") or 0
            key, want = ("L", doing + 1) if number % 2 == 0 else ("H", doing - 1)
            moved.append(settled(screen, key))
            screen.wait(lambda s, w=want: column_count(s, "Doing") == w, limit=10)
        screen.press("/")
        screen.quiet(0.5)
        typed = [settled(screen, character) for character in FILTER]
        screen.press("\x1b")
        screen.quiet(1.0)
        return {
            "start-up": start,
            "card move": statistics.median(moved),
            "filter key": statistics.median(typed),
            "live refresh": statistics.median(shown),
        }
    finally:
        if writer is not None:
            writer.kill()
            writer.wait()
        screen.close()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", help="a commit or a checkout's folder")
    parser.add_argument("after", nargs="?", default=str(HERE), help="the same (default: this working tree)")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--moves", type=int, default=6, help="card moves in each launch")
    parser.add_argument("--renames", type=int, default=5, help="live renames in each launch")
    args = parser.parse_args()
    os.environ["OKRATE_TODAY"] = TODAY
    roots = {"before": checkout(args.before), "after": checkout(args.after)}
    first = demo_of(roots["before"], args.tasks)
    demos = {"before": first, "after": upgraded(first, roots["after"])}  # the same data, each in its own schema
    results: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for name in roots:  # warm the file cache and compile the bytecode; not counted
        launch(roots[name], demos[name], 2, 1)
    for run in range(args.runs):
        for name in ("before", "after") if run % 2 == 0 else ("after", "before"):
            results[name].append(launch(roots[name], demos[name], args.moves, args.renames))
        print(f"  run {run + 1} of {args.runs} done", file=sys.stderr, flush=True)
    print(f"{args.tasks:,}-task demo, {args.runs} launches of each version in turn, medians")
    print(f"  before: {args.before} ({roots['before']})")
    print(f"  after:  {args.after} ({roots['after']})")
    print(f"{'measure':<14}  {'before':>9}  {'after':>9}  {'after/before':>12}  budget  verdict")
    for measure in MEASURES:
        before = statistics.median(r[measure] for r in results["before"]) * 1000
        after = statistics.median(r[measure] for r in results["after"]) * 1000
        ratio = after / before
        verdict = "ok" if ratio <= BUDGET else "OVER"
        print(f"{measure:<14}  {before:6.0f} ms  {after:6.0f} ms  {ratio:12.3f}  {BUDGET:6.2f}  {verdict}")


if __name__ == "__main__":
    main()
