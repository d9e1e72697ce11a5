"""Run portable hand-written SQL on whichever backend is open."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from okrate_tui.core.models import db


def rows(text: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Run ``text`` (with ``?`` placeholders) and return every row."""
    return list(db.execute_sql(text.replace("?", db.param), tuple(params)).fetchall())


def iter_rows(text: str, params: Sequence[Any] = ()) -> Iterator[tuple]:
    """Like :func:`rows`, one row at a time from the cursor (large reads)."""
    cursor = db.execute_sql(text.replace("?", db.param), tuple(params))
    while batch := cursor.fetchmany(2_000):
        yield from batch


def as_date(value: Any) -> date | None:
    """A date column as read by hand-written SQL (SQLite gives text, PostgreSQL dates)."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def id_list(ids: Iterable[int]) -> str:
    """Inline a list of integer ids (safe: each is forced through ``int``)."""
    return ",".join(str(int(i)) for i in ids) or "NULL"


SUBTREE_CTE = """
WITH RECURSIVE sub(id) AS (
    SELECT id FROM goal WHERE id = ?
    UNION ALL
    SELECT g.id FROM goal g JOIN sub ON g.parent_id = sub.id
)
"""
