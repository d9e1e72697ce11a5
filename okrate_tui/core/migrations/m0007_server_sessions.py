"""Schema version 7: the open sessions of a team server.

``server_session`` holds one row per open connection (who, since when, from where, on
which server process); the limits on sessions count these rows, and a session is ended by
setting its ``ended_at``. Nothing existing changes: the table starts empty.
"""

from __future__ import annotations

from peewee import CharField, DatabaseProxy, DateTimeField, ForeignKeyField, IntegerField, Model

_db = DatabaseProxy()


class _Base(Model):
    class Meta:
        database = _db
        legacy_table_names = False


class Person(_Base):
    class Meta:
        table_name = "person"


class ServerSession(_Base):
    person = ForeignKeyField(Person, backref="+", on_delete="CASCADE", index=True)
    key_ref = IntegerField(null=True)
    what = CharField(max_length=120)
    remote = CharField(max_length=80, default="")
    host = CharField(max_length=120)
    pid = IntegerField()
    pid_mark = CharField(max_length=40, default="")
    started_at = DateTimeField()
    seen_at = DateTimeField()
    ended_at = DateTimeField(null=True)
    ended_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    end_reason = CharField(max_length=200, default="")

    class Meta:
        table_name = "server_session"


def up(db) -> None:
    """Create ``server_session`` with its index on ``person``."""
    _db.initialize(db)
    db.create_tables((ServerSession,), safe=False)
