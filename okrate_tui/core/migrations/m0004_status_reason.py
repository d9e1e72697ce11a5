"""Schema version 4: why a goal's status is what it is, when a person did not set it.

Closing a cycle marks its unfinished goals *missed*; ``goal.status_reason`` says so
("carried over to 2027 Q1", "missed at close") instead of leaving the status to read as
set by hand. Empty for every existing goal: their statuses were set by people.
"""

from __future__ import annotations


def up(db) -> None:
    """Add ``goal.status_reason`` (text, empty by default).

    One ``ADD COLUMN … NOT NULL DEFAULT ''``, which SQLite and PostgreSQL both take as it
    is; ``playhouse.migrate`` would rebuild the table on SQLite to make it NOT NULL, which
    the foreign keys pointing at goals forbid.
    """
    db.execute_sql("ALTER TABLE goal ADD COLUMN status_reason VARCHAR(200) NOT NULL DEFAULT ''")
