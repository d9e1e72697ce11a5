"""One key result with its goal, and its check-in history with corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from okrate_tui.core.models import Change, CheckIn, Goal, KeyResult, Person
from okrate_tui.core.queries.details import KeyResultView, PathStep, goal_path, key_result_detail
from okrate_tui.core.rows import tuples
from okrate_tui.core.writes import get


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class CheckInEntry:
    """One check-in of a key result: the value, how sure, a note, who and when, and
    whether it was corrected (by whom, when, and the value it first had)."""

    id: int
    key_result_id: int
    value: float
    confidence: float | None
    note: str
    by: str | None
    at: datetime
    latest: bool
    corrected: bool
    corrected_by: str | None
    corrected_at: datetime | None
    original_value: float | None  # the value first recorded, when a correction changed it
    version: int

    def as_dict(self) -> dict[str, Any]:
        """A row of ``kr history --json``."""
        return {
            "id": self.id,
            "key_result_id": self.key_result_id,
            "value": self.value,
            "confidence": self.confidence,
            "note": self.note,
            "by": self.by,
            "at": _iso(self.at),
            "latest": self.latest,
            "corrected": self.corrected,
            "corrected_by": self.corrected_by,
            "corrected_at": _iso(self.corrected_at),
            "original_value": self.original_value,
            "version": self.version,
        }


def check_in_history(kr_id: int) -> list[CheckInEntry]:
    """Every check-in of a key result, newest first (the first is the one that set
    its current value)."""
    get(KeyResult, kr_id)
    entries = list(CheckIn.select().where(CheckIn.key_result == kr_id).order_by(CheckIn.at.desc(), CheckIn.id.desc()))
    ids = [e.id for e in entries]
    first_values: dict[int, float] = {}
    if ids:
        for change in (
            Change.select(Change.entity_id, Change.old)
            .where((Change.entity == "check_in") & (Change.field == "value") & Change.entity_id.in_(ids))
            .order_by(Change.id)
        ):
            if change.entity_id not in first_values and change.old is not None:
                first_values[change.entity_id] = float(change.old)
    people = {e.author_id for e in entries} | {e.corrected_by_id for e in entries}
    handles: dict[int | None, str] = dict(
        tuples(Person.select(Person.id, Person.handle).where(Person.id.in_(list(people - {None}) or [0])))
    )
    return [
        CheckInEntry(
            id=e.id,
            key_result_id=kr_id,
            value=e.value,
            confidence=e.confidence,
            note=e.note,
            by=handles.get(e.author_id),
            at=e.at,
            latest=index == 0,
            corrected=e.corrected_at is not None,
            corrected_by=handles.get(e.corrected_by_id),
            corrected_at=e.corrected_at,
            original_value=first_values.get(e.id),
            version=e.version,
        )
        for index, e in enumerate(entries)
    ]


@dataclass(frozen=True, slots=True)
class KeyResultInfo:
    """A key result as ``kr show`` tells it: its definition and standing, the goal it
    measures (with the path down to it) and how many check-ins it has."""

    key_result: KeyResultView
    goal_id: int
    goal_path: tuple[PathStep, ...]
    cycle: str
    check_ins: int

    def as_dict(self) -> dict[str, Any]:
        """The ``kr show --json`` shape: the key result's own keys, then its goal."""
        return {
            **self.key_result.as_dict(),
            "goal_id": self.goal_id,
            "goal_path": [step.as_dict() for step in self.goal_path],
            "cycle": self.cycle,
            "check_ins": self.check_ins,
        }


def key_result_info(kr_id: int) -> KeyResultInfo:
    """One key result with its progress, last check-in and goal."""
    result = get(KeyResult, kr_id)
    goal = get(Goal, result.goal_id)
    return KeyResultInfo(
        key_result=key_result_detail(result),
        goal_id=goal.id,
        goal_path=goal_path(goal.id),
        cycle=goal.cycle.name,
        check_ins=CheckIn.select().where(CheckIn.key_result == kr_id).count(),
    )
