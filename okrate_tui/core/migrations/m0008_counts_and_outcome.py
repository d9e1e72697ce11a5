"""Schema version 8: counts, progress from the outcome, carry-over that keeps its word.

- ``key_result.kind`` may be ``count``: a key result of whole numbers (accounts, hires),
  whose check-ins are whole. Existing key results keep their kind; ``okrate kr edit N
  --kind count`` changes one once its value is whole.
- A goal's progress and status now come from its outcome (its key results and the
  sub-goals measured by theirs); its milestones and tasks are its execution and no longer
  move them. A goal with no outcome is measured by its plan and judged by lateness. The
  numbers are computed when read, so nothing stored changes for this, but the same
  database shows different numbers than before: see README "How the numbers work".
- ``milestone.carried_done`` and ``goal.carried_done`` count the tasks a milestone (or a
  goal, outside its milestones) finished in an earlier cycle before it was carried over:
  they stay done, so a carried milestone starts where it stood. 0 for every existing row.
"""

from __future__ import annotations


def up(db) -> None:
    """Add the two counters (integers, 0 by default): one ``ALTER TABLE … ADD COLUMN``
    each, in place on both backends."""
    db.execute_sql("ALTER TABLE milestone ADD COLUMN carried_done INTEGER NOT NULL DEFAULT 0")
    db.execute_sql("ALTER TABLE goal ADD COLUMN carried_done INTEGER NOT NULL DEFAULT 0")
