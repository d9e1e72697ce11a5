"""Schema version 5: what each person's sessions remember for them."""

from __future__ import annotations

from peewee import CharField, DatabaseProxy, DateTimeField, ForeignKeyField, Model, TextField

_db = DatabaseProxy()


class _Base(Model):
    class Meta:
        database = _db
        legacy_table_names = False


class Person(_Base):
    class Meta:
        table_name = "person"


class Preference(_Base):
    person = ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    key = CharField(max_length=40)
    value = TextField()
    updated_at = DateTimeField()

    class Meta:
        indexes = ((("person", "key"), True),)


def up(db) -> None:
    """Create ``preference`` with its unique (person, key) index."""
    _db.initialize(db)
    db.create_tables((Preference,), safe=False)
