"""Schema version 6: why a goal's status is what it is, when a person did not set it.

Closing a cycle marks its unfinished goals *missed*; ``goal.status_reason`` says so
("carried over to 2027 Q1", "missed at close") instead of leaving the status to read as
set by hand. Empty for every existing goal: their statuses were set by people.
"""

from __future__ import annotations


def up(db) -> None:
    """Add ``goal.status_reason`` (text, empty by default). One ``ALTER TABLE … ADD
    COLUMN`` on both backends: SQLite takes a NOT NULL column with a default in place,
    without rebuilding ``goal`` (which the milestones and tasks that point at it forbid)."""
    db.execute_sql("ALTER TABLE goal ADD COLUMN status_reason VARCHAR(200) NOT NULL DEFAULT ''")
