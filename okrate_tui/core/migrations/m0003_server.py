"""Schema version 3: SSH keys that prove who people are, and the server's access log."""

from __future__ import annotations

from peewee import CharField, DatabaseProxy, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

_db = DatabaseProxy()


class _Base(Model):
    class Meta:
        database = _db
        legacy_table_names = False


class Person(_Base):
    class Meta:
        table_name = "person"


class SshKey(_Base):
    person = ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    algorithm = CharField(max_length=64)
    blob = TextField()
    fingerprint = CharField(max_length=64, index=True)
    comment = CharField(max_length=200, default="")
    created_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField()
    revoked_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    revoked_at = DateTimeField(null=True)
    version = IntegerField(default=1)


class Access(_Base):
    at = DateTimeField(index=True)
    key = ForeignKeyField(SshKey, null=True, backref="+", on_delete="SET NULL")
    key_ref = IntegerField(null=True)
    person = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    remote = CharField(max_length=80, default="")
    what = CharField(max_length=120)
    outcome = CharField(max_length=200, default="")
    ended_at = DateTimeField(null=True)


def up(db) -> None:
    """Create ``ssh_key`` and ``access`` with their indexes."""
    _db.initialize(db)
    db.create_tables((SshKey, Access), safe=False)
