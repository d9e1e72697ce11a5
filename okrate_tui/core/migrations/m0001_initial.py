"""Schema version 1: every table of the first release.

The models below are a frozen copy of the schema as it stood at version 1, on purpose
independent of ``okrate_tui.core.models``: later migrations change the live models,
and this step must keep creating exactly the version-1 tables.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

_db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = _db
        legacy_table_names = False


class DbInfo(BaseModel):
    """Key/value facts about the database itself (schema version)."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()

    class Meta:
        table_name = "okrate_meta"


class Team(BaseModel):
    name = CharField(max_length=80, unique=True)
    created_at = DateTimeField()
    version = IntegerField(default=1)


class Person(BaseModel):
    handle = CharField(max_length=32, unique=True)
    name = CharField(max_length=80)
    role = CharField(max_length=16, default="member")
    manager = ForeignKeyField("self", null=True, backref="reports", on_delete="SET NULL")
    team = ForeignKeyField(Team, null=True, backref="people", on_delete="SET NULL")
    active = BooleanField(default=True)
    created_at = DateTimeField()
    version = IntegerField(default=1)


class Cycle(BaseModel):
    name = CharField(max_length=80, unique=True)
    starts = DateField()
    ends = DateField()
    state = CharField(max_length=16, default="planning")
    created_at = DateTimeField()
    version = IntegerField(default=1)


class Goal(BaseModel):
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    level = CharField(max_length=16)
    title = CharField(max_length=200)
    description = TextField(default="")
    owner = ForeignKeyField(Person, null=True, backref="goals", on_delete="SET NULL")
    team = ForeignKeyField(Team, null=True, backref="goals", on_delete="SET NULL")
    cycle = ForeignKeyField(Cycle, backref="goals", on_delete="RESTRICT")
    weight = FloatField(default=1.0)
    status = CharField(max_length=16, null=True)
    archived = BooleanField(default=False)
    starts = DateField(null=True)
    due = DateField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("cycle", "parent"), False),)


class Milestone(BaseModel):
    goal = ForeignKeyField(Goal, backref="milestones", on_delete="CASCADE")
    title = CharField(max_length=200)
    due = DateField(null=True)
    done = BooleanField(default=False)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)


class KeyResult(BaseModel):
    goal = ForeignKeyField(Goal, backref="key_results", on_delete="CASCADE")
    title = CharField(max_length=200)
    kind = CharField(max_length=16, default="numeric")
    baseline = FloatField(default=0.0)
    target = FloatField(default=1.0)
    current = FloatField(default=0.0)
    unit = CharField(max_length=24, default="")
    direction = CharField(max_length=16, default="increase")
    weight = FloatField(default=1.0)
    archived = BooleanField(default=False)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)


class CheckIn(BaseModel):
    key_result = ForeignKeyField(KeyResult, backref="check_ins", on_delete="CASCADE")
    value = FloatField()
    confidence = FloatField(null=True)
    note = TextField(default="")
    author = ForeignKeyField(Person, null=True, backref="check_ins", on_delete="SET NULL")
    at = DateTimeField()

    class Meta:
        indexes = ((("key_result", "at"), False),)


class Task(BaseModel):
    goal = ForeignKeyField(Goal, backref="tasks", on_delete="RESTRICT", index=False)
    cycle = ForeignKeyField(Cycle, backref="tasks", on_delete="RESTRICT", index=False)
    milestone = ForeignKeyField(Milestone, null=True, backref="tasks", on_delete="SET NULL")
    title = CharField(max_length=200)
    objective = TextField(default="")
    context = TextField(default="")
    owner = ForeignKeyField(Person, null=True, backref="tasks", on_delete="SET NULL", index=False)
    deadline = DateField(null=True)
    priority = CharField(max_length=16, null=True)
    status = CharField(max_length=16, default="todo")
    position = FloatField(default=0.0)
    created_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    completed_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("goal", "status", "deadline", "owner", "priority"), False),
            (("owner", "status", "deadline"), False),
            (("status", "position"), False),
            (("cycle", "status", "position"), False),
        )


class Review(BaseModel):
    cycle = ForeignKeyField(Cycle, backref="reviews", on_delete="CASCADE")
    reviewee = ForeignKeyField(Person, backref="reviews_received", on_delete="CASCADE")
    reviewer = ForeignKeyField(Person, backref="reviews_written", on_delete="CASCADE")
    kind = CharField(max_length=16)
    rating = IntegerField(null=True)
    original_rating = IntegerField(null=True)
    strengths = TextField(default="")
    improvements = TextField(default="")
    comments = TextField(default="")
    state = CharField(max_length=16, default="draft")
    private = BooleanField(default=False)
    submitted_at = DateTimeField(null=True)
    calibrated_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    calibrated_at = DateTimeField(null=True)
    calibration_reason = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("cycle", "reviewee", "reviewer", "kind"), True),)


class OneOnOne(BaseModel):
    manager = ForeignKeyField(Person, backref="one_on_ones_held", on_delete="CASCADE")
    report = ForeignKeyField(Person, backref="one_on_ones", on_delete="CASCADE")
    date = DateField()
    notes = TextField(default="")
    created_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("manager", "report", "date"), False),)


class TalkingPoint(BaseModel):
    one_on_one = ForeignKeyField(OneOnOne, backref="points", on_delete="CASCADE")
    text = CharField(max_length=500)
    private = BooleanField(default=False)
    done = BooleanField(default=False)
    author = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    position = IntegerField(default=0)
    created_at = DateTimeField()
    version = IntegerField(default=1)


class Change(BaseModel):
    """One field of one record changed by one service call (``op`` groups a call)."""

    at = DateTimeField()
    actor = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    op = CharField(max_length=16, index=True)
    entity = CharField(max_length=24)
    entity_id = IntegerField()
    field = CharField(max_length=32)
    old = TextField(null=True)
    new = TextField(null=True)
    version = IntegerField(default=0)

    class Meta:
        indexes = ((("entity", "entity_id", "version"), False),)


TABLES = (
    DbInfo,
    Team,
    Person,
    Cycle,
    Goal,
    Milestone,
    KeyResult,
    CheckIn,
    Task,
    Review,
    OneOnOne,
    TalkingPoint,
    Change,
)


def up(db) -> None:
    """Create every version-1 table with its indexes."""
    _db.initialize(db)
    db.create_tables(TABLES, safe=False)
