"""Export and import: JSON for whole organisations, CSV for task lists, and backups."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import Database, DataError, IntegrityError, PostgresqlDatabase

from okrate_tui import __version__
from okrate_tui.core import clock
from okrate_tui.core.errors import PermissionDenied, StorageError, ValidationError
from okrate_tui.core.files import write_new
from okrate_tui.core.inputs import declare
from okrate_tui.core.migrate import copy_sqlite
from okrate_tui.core.migrations import SCHEMA_VERSION
from okrate_tui.core.models import (
    DATA_MODELS,
    BaseModel,
    Change,
    Milestone,
    Person,
    Review,
    TalkingPoint,
    db,
)
from okrate_tui.core.permissions import authorize, is_admin
from okrate_tui.core.queries.reviews import without_drafting
from okrate_tui.core.queries.tasks import list_tasks
from okrate_tui.core.record_rules import TEXT_RULES, converters
from okrate_tui.core.rows import tuples
from okrate_tui.core.tables import is_empty, reset_sequences
from okrate_tui.core.text import echo, visible

FORMAT = "okrate-export"
# a whole organisation: every text column of every table (record_rules checks each)
declare("import", "json", *(f"{t}.{c}" for t, cols in TEXT_RULES.items() for c in cols), module=__name__)
EXPORT_MODELS = DATA_MODELS
TASK_CSV_FIELDS = (
    "id",
    "title",
    "status",
    "priority",
    "deadline",
    "owner",
    "goal_id",
    "goal",
    "milestone_id",
    "completed_at",
    "version",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def require_admin(actor: Person, what: str) -> None:
    """Exports and backups carry the whole organisation: they are an admin's."""
    authorize(actor, "export")
    if not is_admin(actor):
        raise PermissionDenied(
            f"@{actor.handle} is a {actor.role}: {what} needs an admin; `okrate report cycle` gives what you may see"
        )


def export_data(actor: Person | None) -> dict[str, Any]:
    """Every table as plain JSON-ready rows (ids kept, foreign keys as ids).

    A whole-organisation export is an admin's. It still leaves out what is private to
    someone else (private reviews and talking points, others' review drafts) together
    with their change-log entries. ``actor`` None is the full copy a backup of a
    PostgreSQL database writes (see :func:`backup`, which checks who asks).
    """
    if actor is not None:
        require_admin(actor, "a whole-organisation export")
    hidden: dict[str, set[int]] = {"review": set(), "talking_point": set()}
    others_reviews: set[int] = set()
    if actor is not None:
        for rid, reviewer, private, state in tuples(
            Review.select(Review.id, Review.reviewer, Review.private, Review.state)
        ):
            if reviewer != actor.id:
                others_reviews.add(rid)
                if private or state == "draft":
                    hidden["review"].add(rid)
        for pid, author, private in tuples(
            TalkingPoint.select(TalkingPoint.id, TalkingPoint.author, TalkingPoint.private)
        ):
            if private and author != actor.id:
                hidden["talking_point"].add(pid)
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in EXPORT_MODELS:
        names = list(model._meta.fields)
        query = model.select().order_by(model._meta.primary_key)
        table = model._meta.table_name
        found = [{name: _plain(value) for name, value in zip(names, row, strict=True)} for row in tuples(query)]
        if table in hidden:
            found = [r for r in found if r["id"] not in hidden[table]]
        elif model is Change:
            found = _visible_changes(found, hidden, others_reviews)
        tables[table] = found
    return {
        "format": FORMAT,
        "format_version": 1,
        "schema_version": SCHEMA_VERSION,
        "okrate_version": __version__,
        "exported_at": clock.now().isoformat(),
        "tables": tables,
    }


def _visible_changes(
    rows: list[dict[str, Any]], hidden: dict[str, set[int]], others_reviews: set[int]
) -> list[dict[str, Any]]:
    """The change log without hidden records, and without what the authors of others'
    reviews tried while those were drafts."""
    drafting: dict[int, list[dict[str, Any]]] = {}
    kept: list[dict[str, Any]] = []
    for row in rows:
        if row["entity_id"] in hidden.get(row["entity"], ()):
            continue
        if row["entity"] == "review" and row["entity_id"] in others_reviews and row["field"] != "@create":
            drafting.setdefault(row["entity_id"], []).append(row)
            continue
        kept.append(row)
    for review_rows in drafting.values():
        kept.extend(without_drafting(review_rows))
    return sorted(kept, key=lambda r: r["id"])


def tasks_csv(actor: Person, rows: Iterable[dict[str, Any]] | None = None) -> str:
    """The task list as CSV, one row per task (an export: admins only)."""
    require_admin(actor, "a task export")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TASK_CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows if rows is not None else (t.as_dict() for t in list_tasks()):
        writer.writerow({k: visible(v) if isinstance(v, str) else v for k, v in row.items()})
    return out.getvalue()


def _convert(model: type[BaseModel], row: Any, where: str, errors: dict[str, str]) -> dict[str, Any]:
    """A row as it will be inserted, every column checked by the rule typed text meets;
    what is wrong goes into ``errors`` (keyed by where it is)."""
    out: dict[str, Any] = {}
    if not isinstance(row, dict):
        errors[where] = "is not a row (an object of columns)"
        return out
    columns = converters(model)
    for name, value in row.items():
        found = columns.get(name)
        if found is None:
            errors.setdefault(where, f"unknown column '{echo(str(name), 40)}'")
            continue
        read, empty = found
        try:
            out[name] = empty() if value is None else read(value)
        except (TypeError, ValueError) as exc:
            errors.setdefault(f"{where}, {name}", str(exc))
    return out


def _number_milestones(rows: list[dict[str, Any]]) -> None:
    """Milestones exported before they had an order keep their goal's order of ids."""
    seen: dict[Any, int] = {}
    for row in sorted(rows, key=lambda r: r.get("id") or 0):
        seen[row.get("goal")] = seen.get(row.get("goal"), 0) + 1
        if row.get("position") is None:
            row["position"] = float(seen[row.get("goal")])


Prepared = list[tuple[type[BaseModel], list[dict[str, Any]]]]


def import_data(payload: Any) -> dict[str, int]:
    """Load a JSON export into an empty database, all or nothing. Every row is checked
    first (text by the rule typed text meets, statuses, ids a database holds); any fault
    refuses the file with nothing written."""
    return write_import(prepare_import(payload))


def prepare_import(payload: Any) -> Prepared:
    """Every row of an export checked and converted, before any database is touched
    (:class:`ValidationError` names the first faults)."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValidationError.single("file", "is not an Okrate JSON export")
    version = payload.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError.single("file", "has no schema version (a whole number)")
    if version > SCHEMA_VERSION:
        raise ValidationError.single("file", "was exported by a newer Okrate; upgrade first")
    tables = payload.get("tables")
    if not isinstance(tables, dict):
        raise ValidationError.single("file", "has no tables")
    unknown = sorted(set(tables) - {m._meta.table_name for m in EXPORT_MODELS})
    if unknown:
        raise ValidationError.single("file", f"has a table Okrate does not know: '{echo(str(unknown[0]), 40)}'")
    loaded: Prepared = []
    errors: dict[str, str] = {}
    for model in EXPORT_MODELS:
        name = model._meta.table_name
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            errors[name] = "must be a list of rows"
            continue
        converted = [_convert(model, r, f"{name} row {i + 1}", errors) for i, r in enumerate(rows)]
        loaded.append((model, converted))
    if errors:
        raise ValidationError(_first(errors))
    return loaded


def write_import(loaded: Prepared) -> dict[str, int]:
    """Insert prepared rows into an empty database, in one transaction."""
    counts: dict[str, int] = {}
    try:
        with db.atomic():
            if not is_empty():
                raise ValidationError.single("database", "already holds data; import into an empty one")
            for model, converted in loaded:
                _insert(model, converted)
                counts[model._meta.table_name] = len(converted)
            if isinstance(db.obj, PostgresqlDatabase):
                reset_sequences()
    except (IntegrityError, DataError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise ValidationError.single("file", f"its rows do not fit together ({reason}); nothing was imported") from None
    return counts


def _first(errors: dict[str, str], shown: int = 5) -> dict[str, str]:
    """The first few faults, and how many more there are."""
    first = dict(list(errors.items())[:shown])
    if len(errors) > shown:
        first["and"] = f"{len(errors) - shown:,} more"
    return first


def _insert(model: type[BaseModel], converted: list[dict[str, Any]]) -> None:
    if model is Milestone:
        _number_milestones(converted)
    links: list[tuple[Any, Any]] = []
    if model is Person:  # managers point at people: link after all are in
        links = [(r.get("id"), r.get("manager")) for r in converted if r.get("manager")]
        converted = [{**r, "manager": None} for r in converted]
    for start in range(0, len(converted), 1000):
        model.insert_many(converted[start : start + 1000]).execute()
    for pid, manager in links:
        Person.update(manager=manager).where(Person.id == pid).execute()


def backup(actor: Person | None, database: Database, dest: Path) -> None:
    """A full copy of the database: SQLite's online backup of the file (never readable by
    more people than the database), or for PostgreSQL every table as JSON in a file only
    its owner may read. ``actor`` is an admin, or None for a team server's operator (the
    account that owns the data; the command line decides who that is)."""
    if actor is not None:
        require_admin(actor, "a backup")
    path = getattr(database, "sqlite_path", None)
    if path is not None:
        if not dest.parent.exists():
            raise StorageError(f"the folder {dest.parent} does not exist")
        copy_sqlite(path, dest)
    else:
        write_new(dest, json.dumps(export_data(None), ensure_ascii=False) + "\n")
