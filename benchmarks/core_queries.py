"""Generation time and the hot queries on a large demo organisation.

    python benchmarks/core_queries.py [--tasks 100000] [--fresh] [--repeat 15]

Prints a table of medians with the budgets of the core: each hot query ≤ 20 ms, the
roll-up of every goal ≤ 250 ms, generating 100,000 tasks < 60 s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import demo_db, median_ms, print_table
from okrate_tui.core import clock
from okrate_tui.core.db import open_db
from okrate_tui.core.queries import goals as goal_queries
from okrate_tui.core.queries import tasks as task_queries
from okrate_tui.core.queries.sql import rows
from okrate_tui.core.services.cycles import current_cycle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true", help="generate the database again")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    path, seconds = demo_db(args.tasks, fresh=args.fresh)
    open_db(str(path))
    today = clock.today()
    cycle = current_cycle()
    assert cycle is not None
    busiest = rows(
        "SELECT owner_id, COUNT(*) FROM task WHERE status <> 'done' AND owner_id IS NOT NULL "
        "GROUP BY owner_id ORDER BY 2 DESC LIMIT 1"
    )[0]
    team_goals = [r[0] for r in rows("SELECT id FROM goal WHERE level = 'team' AND cycle_id = ?", [cycle.id])]
    sized = sorted((len(goal_queries.subtree_ids(g)), g) for g in team_goals)
    typical_size, typical = sized[len(sized) // 2]
    companies = [r[0] for r in rows("SELECT id FROM goal WHERE parent_id IS NULL AND cycle_id = ?", [cycle.id])]
    biggest_size, biggest = max((len(goal_queries.subtree_ids(g)), g) for g in companies)
    counts = rows("SELECT (SELECT COUNT(*) FROM task), (SELECT COUNT(*) FROM goal), (SELECT COUNT(*) FROM person)")[0]
    cycle_goals = rows("SELECT COUNT(*) FROM goal WHERE cycle_id = ?", [cycle.id])[0][0]

    r = args.repeat
    table = [
        (
            "a person's open tasks by deadline",
            median_ms(lambda: task_queries.open_tasks_for(busiest[0]), r),
            20,
            f"{busiest[1]} open tasks",
        ),
        (
            "one goal subtree's roll-up (median team goal)",
            median_ms(lambda: goal_queries.goal_figures(typical, today), r),
            20,
            f"{typical_size} goals; progress + task counts",
        ),
        (
            "one goal subtree's roll-up (largest company goal)",
            median_ms(lambda: goal_queries.goal_figures(biggest, today), r),
            None,
            f"{biggest_size} goals",
        ),
        (
            "roll-up of every goal (progress)",
            median_ms(lambda: goal_queries.rollup_all(cycle.id), r),
            250,
            f"{cycle_goals} goals in {cycle.name}",
        ),
        (
            "task counts of every goal's subtree",
            median_ms(lambda: goal_queries.execution_all(cycle.id, today), r),
            None,
            "done/overdue/unowned",
        ),
        ("status counts per column (organisation)", median_ms(task_queries.status_counts, r), 20, ""),
        (
            "status counts per column (current cycle)",
            median_ms(lambda: task_queries.status_counts(cycle_id=cycle.id), r),
            20,
            "",
        ),
    ]
    print(f"organisation: {counts[0]:,} tasks, {counts[1]:,} goals, {counts[2]:,} people ({path})")
    if seconds is not None:
        print(f"generation: {seconds:.1f} s (budget 60 s for 100,000 tasks)")
    print_table(table)


if __name__ == "__main__":
    main()
