"""Schema version 4: why a goal's status is what it is, when a person did not set it.

Closing a cycle marks its unfinished goals *missed*; ``goal.status_reason`` says so
("carried over to 2027 Q1", "missed at close") instead of leaving the status to read as
set by hand. Empty for every existing goal: their statuses were set by people.
"""

from __future__ import annotations

from peewee import CharField
from playhouse.migrate import SchemaMigrator, migrate


def up(db) -> None:
    """Add ``goal.status_reason`` (text, empty by default)."""
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("goal", "status_reason", CharField(max_length=200, default="")))
