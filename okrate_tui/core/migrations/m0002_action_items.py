"""Schema version 2: a talking point can be an action item that became a task."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import AutoField, ForeignKeyField, Model
from playhouse.migrate import SchemaMigrator, migrate


class _Task(Model):
    if TYPE_CHECKING:
        id: AutoField[int]  # Peewee's own key

    class Meta:
        table_name = "task"


def up(db) -> None:
    """Add ``talking_point.task_id`` (nullable; the task an action item created)."""
    _Task._meta.set_database(db)
    migrator = SchemaMigrator.from_database(db)
    field = ForeignKeyField(_Task, null=True, field=_Task.id, on_delete="SET NULL")
    migrate(migrator.add_column("talking_point", "task_id", field))  # with its index
