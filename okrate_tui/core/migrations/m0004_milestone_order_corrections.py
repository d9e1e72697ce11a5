"""Schema version 4: milestones keep an order; check-ins can be corrected.

- ``milestone.position``: the order of a goal's milestones; existing milestones are
  numbered 1, 2, 3 … per goal in the order they were added (their ids).
- ``check_in.version``, ``check_in.corrected_by_id`` and ``check_in.corrected_at``: a
  check-in's value, confidence or note can be corrected, with a version check and a
  record of who corrected it when (the old values stay in the change log).

New columns are added with their default in the column itself, so no table is rebuilt
(on SQLite a rebuild would drop and re-create tables that others point at).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import SQL, AutoField, DateTimeField, FloatField, ForeignKeyField, IntegerField, Model
from playhouse.migrate import SchemaMigrator, migrate


class _Person(Model):
    if TYPE_CHECKING:
        id: AutoField[int]  # Peewee's own key

    class Meta:
        table_name = "person"


def up(db) -> None:
    _Person._meta.set_database(db)
    migrator = SchemaMigrator.from_database(db)
    position = FloatField(default=0.0, constraints=[SQL("DEFAULT 0")])
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    corrected_by = ForeignKeyField(_Person, null=True, field=_Person.id, on_delete="SET NULL")
    migrate(
        migrator.add_column("milestone", "position", position, allow_not_null=True),
        migrator.add_column("check_in", "version", version, allow_not_null=True),
        migrator.add_column("check_in", "corrected_by_id", corrected_by),  # with its index
        migrator.add_column("check_in", "corrected_at", DateTimeField(null=True)),
    )
    db.execute_sql(
        "UPDATE milestone SET position = (SELECT COUNT(*) FROM milestone m "
        "WHERE m.goal_id = milestone.goal_id AND m.id <= milestone.id)"
    )
