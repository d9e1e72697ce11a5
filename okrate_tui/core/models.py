"""The Peewee models: the schema as the current code sees it.

Models are bound to :data:`db`, a proxy initialised by :func:`okrate_tui.core.db.open_db`,
so one set of models serves SQLite and PostgreSQL. Every mutable record carries a
``version`` that each write bumps; services compare it to the version the caller saw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelSelect,
    TextField,
)

from okrate_tui.core import clock

db = DatabaseProxy()


class BaseModel(Model):
    # Peewee adds an integer ``id`` key to every model that names no key of its own (all
    # but DbInfo) and a ``<name>_id`` beside each foreign key; the ``TYPE_CHECKING``
    # blocks declare them for the type checker only.
    if TYPE_CHECKING:
        id: AutoField[int]

    class Meta:
        database = db
        legacy_table_names = False


if TYPE_CHECKING:

    class Versioned(BaseModel):
        """A model whose records carry a ``version`` that every write bumps (each such
        model defines the field itself; at run time this is :class:`BaseModel`)."""

        version: IntegerField[int]
else:
    Versioned = BaseModel


class DbInfo(BaseModel):
    """Key/value facts about the database itself (schema version)."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()

    class Meta:
        table_name = "okrate_meta"


class Team(Versioned):
    name = CharField(max_length=80, unique=True)
    created_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)


class Person(Versioned):
    handle = CharField(max_length=32, unique=True)
    name = CharField(max_length=80)
    role = CharField(max_length=16, default="member")
    manager: ForeignKeyField[Person | None] = ForeignKeyField(
        "self", null=True, backref="reports", on_delete="SET NULL"
    )
    team = ForeignKeyField(Team, null=True, backref="people", on_delete="SET NULL")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)

    if TYPE_CHECKING:
        manager_id: ForeignKeyField[int | None]
        team_id: ForeignKeyField[int | None]


class Cycle(Versioned):
    name = CharField(max_length=80, unique=True)
    starts = DateField()
    ends = DateField()
    state = CharField(max_length=16, default="planning")
    created_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)


class Goal(Versioned):
    parent: ForeignKeyField[Goal | None] = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    level = CharField(max_length=16)
    title = CharField(max_length=200)
    description = TextField(default="")
    owner = ForeignKeyField(Person, null=True, backref="goals", on_delete="SET NULL")
    team = ForeignKeyField(Team, null=True, backref="goals", on_delete="SET NULL")
    cycle = ForeignKeyField(Cycle, backref="goals", on_delete="RESTRICT")
    weight = FloatField(default=1.0)
    status = CharField(max_length=16, null=True)
    # Why the status is what it is when no person set it ("carried over to 2027 Q1");
    # empty when a person set it (or nobody did: it follows pace).
    status_reason = CharField(max_length=200, default="")
    carried_done = IntegerField(default=0)  # its tasks outside milestones done in earlier cycles
    archived = BooleanField(default=False)
    starts = DateField(null=True)
    due = DateField(null=True)
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)

    if TYPE_CHECKING:
        parent_id: ForeignKeyField[int | None]
        owner_id: ForeignKeyField[int | None]
        team_id: ForeignKeyField[int | None]
        cycle_id: ForeignKeyField[int]

    class Meta:
        indexes = ((("cycle", "parent"), False),)


class Milestone(Versioned):
    goal = ForeignKeyField(Goal, backref="milestones", on_delete="CASCADE")
    title = CharField(max_length=200)
    due = DateField(null=True)
    done = BooleanField(default=False)
    position = FloatField(default=0.0)  # a goal's milestones in ascending position
    carried_done = IntegerField(default=0)  # its tasks done in earlier cycles, before a carry-over
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)

    if TYPE_CHECKING:
        goal_id: ForeignKeyField[int]


class KeyResult(Versioned):
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
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)

    if TYPE_CHECKING:
        goal_id: ForeignKeyField[int]


class CheckIn(Versioned):
    key_result = ForeignKeyField(KeyResult, backref="check_ins", on_delete="CASCADE")
    value = FloatField()
    confidence = FloatField(null=True)
    note = TextField(default="")
    author = ForeignKeyField(Person, null=True, backref="check_ins", on_delete="SET NULL")
    at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)
    corrected_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    corrected_at = DateTimeField(null=True)

    if TYPE_CHECKING:
        key_result_id: ForeignKeyField[int]
        author_id: ForeignKeyField[int | None]
        corrected_by_id: ForeignKeyField[int | None]

    class Meta:
        indexes = ((("key_result", "at"), False),)


class Task(Versioned):
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
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)
    completed_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    if TYPE_CHECKING:
        goal_id: ForeignKeyField[int]
        cycle_id: ForeignKeyField[int]
        milestone_id: ForeignKeyField[int | None]
        owner_id: ForeignKeyField[int | None]
        created_by_id: ForeignKeyField[int | None]

    class Meta:
        # (goal, status, deadline, owner, priority) covers the execution counts of a
        # goal tree, so they never touch the table itself. ``cycle`` repeats the goal's
        # cycle (kept in step by the services) so a cycle's board is one index range.
        indexes = (
            (("goal", "status", "deadline", "owner", "priority"), False),
            (("owner", "status", "deadline"), False),
            (("status", "position"), False),
            (("cycle", "status", "position"), False),
        )


class Review(Versioned):
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
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)

    if TYPE_CHECKING:
        cycle_id: ForeignKeyField[int]
        reviewee_id: ForeignKeyField[int]
        reviewer_id: ForeignKeyField[int]
        calibrated_by_id: ForeignKeyField[int | None]

    class Meta:
        indexes = ((("cycle", "reviewee", "reviewer", "kind"), True),)


class OneOnOne(Versioned):
    manager = ForeignKeyField(Person, backref="one_on_ones_held", on_delete="CASCADE")
    report = ForeignKeyField(Person, backref="one_on_ones", on_delete="CASCADE")
    date = DateField()
    notes = TextField(default="")
    created_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)

    if TYPE_CHECKING:
        manager_id: ForeignKeyField[int]
        report_id: ForeignKeyField[int]
        points: ModelSelect[TalkingPoint]  # the backref of TalkingPoint.one_on_one

    class Meta:
        indexes = ((("manager", "report", "date"), False),)


class TalkingPoint(Versioned):
    one_on_one = ForeignKeyField(OneOnOne, backref="points", on_delete="CASCADE")
    text = CharField(max_length=500)
    private = BooleanField(default=False)
    done = BooleanField(default=False)
    author = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    position = IntegerField(default=0)
    created_at = DateTimeField(default=clock.now)
    version = IntegerField(default=1)
    task = ForeignKeyField(Task, null=True, backref="+", on_delete="SET NULL")  # an action item's task

    if TYPE_CHECKING:
        one_on_one_id: ForeignKeyField[int]
        author_id: ForeignKeyField[int | None]
        task_id: ForeignKeyField[int | None]


class Change(BaseModel):
    """One field of one record changed by one service call (``op`` groups a call)."""

    at = DateTimeField(default=clock.now)
    actor = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    op = CharField(max_length=16, index=True)
    entity = CharField(max_length=24)
    entity_id = IntegerField()
    field = CharField(max_length=32)
    old = TextField(null=True)
    new = TextField(null=True)
    version = IntegerField(default=0)

    if TYPE_CHECKING:
        actor_id: ForeignKeyField[int | None]

    class Meta:
        indexes = ((("entity", "entity_id", "version"), False),)


class SshKey(Versioned):
    """A public key that proves who a person is on a team server (``revoked_at`` set: no more)."""

    person = ForeignKeyField(Person, backref="keys", on_delete="CASCADE")
    algorithm = CharField(max_length=64)
    blob = TextField()  # the base64 key itself, as in authorized_keys
    fingerprint = CharField(max_length=64, index=True)  # SHA256:…, as ssh-keygen -l prints
    comment = CharField(max_length=200, default="")
    created_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=clock.now)
    revoked_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    revoked_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    if TYPE_CHECKING:
        person_id: ForeignKeyField[int]
        created_by_id: ForeignKeyField[int | None]
        revoked_by_id: ForeignKeyField[int | None]


class Access(BaseModel):
    """One connection to a team server: who, when, from where, and what they ran."""

    at = DateTimeField(default=clock.now, index=True)
    key = ForeignKeyField(SshKey, null=True, backref="+", on_delete="SET NULL")
    key_ref = IntegerField(null=True)  # the key id the connection presented, kept if the key is gone
    person = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    remote = CharField(max_length=80, default="")
    what = CharField(max_length=120)  # "app", or the command ("task list")
    outcome = CharField(max_length=200, default="")  # "", "refused: …", "exit 2"
    ended_at = DateTimeField(null=True)

    if TYPE_CHECKING:
        key_id: ForeignKeyField[int | None]
        person_id: ForeignKeyField[int | None]


class Preference(BaseModel):
    """What one person's sessions remember for them (the board's scope and the like).
    Private to the person; not in the change log."""

    person = ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    key = CharField(max_length=40)
    value = TextField()
    updated_at = DateTimeField(default=clock.now)

    if TYPE_CHECKING:
        person_id: ForeignKeyField[int]

    class Meta:
        indexes = ((("person", "key"), True),)


class ServerSession(BaseModel):
    """One open connection to a team server (the app, or a command still running): who,
    since when, from where, and on which server process. Ended by the database: an admin,
    a revoked key or a deactivation sets ``ended_at`` and the session, watching its row,
    leaves. A row whose process died is swept away by the next login or listing."""

    person = ForeignKeyField(Person, backref="+", on_delete="CASCADE", index=True)
    key_ref = IntegerField(null=True)  # the key the connection proved
    what = CharField(max_length=120)  # "app", or the command ("task list")
    remote = CharField(max_length=80, default="")  # the client's address and port, from SSH_CONNECTION
    host = CharField(max_length=120)  # the server machine (its name and boot), where ``pid`` means something
    pid = IntegerField()
    pid_mark = CharField(max_length=40, default="")  # when that process started: a reused pid is told apart
    started_at = DateTimeField(default=clock.now)
    seen_at = DateTimeField(default=clock.now)  # the last sign of life (PostgreSQL sessions beat every 30 s)
    ended_at = DateTimeField(null=True)  # set: the session is to end now
    ended_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    end_reason = CharField(max_length=200, default="")

    if TYPE_CHECKING:
        person_id: ForeignKeyField[int]
        ended_by_id: ForeignKeyField[int | None]

    class Meta:
        table_name = "server_session"


ALL_MODELS: tuple[type[BaseModel], ...] = (
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
    SshKey,
    Access,
    Preference,
    ServerSession,
)

# Every table that holds the organisation's data, each after the tables it points at
# (open sessions are not data: they live and end with their processes).
DATA_MODELS: tuple[type[BaseModel], ...] = tuple(m for m in ALL_MODELS if m not in (DbInfo, ServerSession))

# Each kind of record by the name it carries in the change log and in exports.
ENTITY_MODELS: dict[str, type[Versioned]] = {
    "team": Team,
    "person": Person,
    "cycle": Cycle,
    "goal": Goal,
    "milestone": Milestone,
    "key_result": KeyResult,
    "check_in": CheckIn,
    "task": Task,
    "review": Review,
    "one_on_one": OneOnOne,
    "talking_point": TalkingPoint,
    "ssh_key": SshKey,
}
ENTITY_NAMES: dict[type[BaseModel], str] = {model: name for name, model in ENTITY_MODELS.items()}
