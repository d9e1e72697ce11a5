"""Schema version 8: key results that count things, and progress from the outcome.

No table changes. The version marks two things an older okrate would read wrongly:

- ``key_result.kind`` may be ``count``: a key result of whole numbers (accounts, hires),
  whose check-ins are whole. Existing key results keep their kind; ``okrate kr edit N
  --kind count`` changes one once its value is whole.
- A goal's progress and status now come from its outcome (its key results and the
  sub-goals measured by theirs); its milestones and tasks are its execution and no longer
  move them. A goal with no outcome is measured by its plan and judged by lateness. The
  numbers are computed when read, so nothing stored changes, but the same database shows
  different numbers than before: see README "How the numbers work".
"""

from __future__ import annotations


def up(db) -> None:
    """Nothing to rewrite: the stored rows mean the same; only the version moves."""
    del db
