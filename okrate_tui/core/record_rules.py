"""The rule for records that arrive whole (an organisation's JSON export read back): every
column is checked as the forms and commands check it (titles at most their length, no
control characters, known statuses, ids a database can hold) before anything is written.

:data:`TEXT_RULES` names the check of every text column of every exported table; a test
holds that no column is left out, so a column added later is checked too.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from okrate_tui.core.models import BaseModel
from okrate_tui.core.text import control_chars, echo, logged
from okrate_tui.core.validation import (
    ID_MAX,
    NOTE_MAX,
    TEXT_MAX,
    clean_handle,
    clean_optional_line,
    clean_text,
    clean_title,
    parse_number,
)
from okrate_tui.core.vocab import (
    CYCLE_STATES,
    DIRECTIONS,
    GOAL_LEVELS,
    GOAL_STATUSES,
    KR_KINDS,
    PRIORITIES,
    REVIEW_KINDS,
    REVIEW_STATES,
    ROLES,
    TASK_STATUSES,
)

Check = Callable[[Any], Any]
LOG_MAX = 200_000  # a change-log value: a whole record's copy when it was deleted


def title(limit: int) -> Check:
    return lambda value: clean_title(value, limit)


def line(limit: int) -> Check:
    return lambda value: clean_optional_line(value, limit)


def text(limit: int = TEXT_MAX) -> Check:
    return lambda value: clean_text(value, limit)


def choice(options: tuple[str, ...], *, optional: bool = False) -> Check:
    def check(value: Any) -> Any:
        if value is None and optional:
            return None
        if value not in options:
            shown = "" if value is None else f"'{clean_or_echo(value)}' "
            raise ValueError(f"{shown}is not one of {', '.join(options)}")
        return value

    return check


def kept_as_logged(limit: int) -> Check:
    return lambda value: logged(str(value), limit)


def history(value: Any) -> Any:
    """A change-log value: kept exactly as written (it is history), checked all the same."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be text")
    bad = control_chars(value, ("\n", "\t"))
    if bad:
        shown = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in bad})[:3])
        raise ValueError(f"contains control characters ({shown})")
    if len(value) > LOG_MAX:
        raise ValueError(f"is too long ({len(value):,} characters; at most {LOG_MAX:,})")
    return value


def clean_or_echo(value: Any) -> str:
    """A value quoted in a message: short, hidden characters shown."""
    return echo(str(value)[:200], 30)


TEXT_RULES: dict[str, dict[str, Check]] = {
    "team": {"name": title(80)},
    "person": {"handle": clean_handle, "name": title(80), "role": choice(ROLES)},
    "cycle": {"name": title(80), "state": choice(CYCLE_STATES)},
    "goal": {
        "level": choice(GOAL_LEVELS),
        "title": title(200),
        "description": text(),
        "status": choice(GOAL_STATUSES, optional=True),
        "status_reason": line(200),
    },
    "milestone": {"title": title(200)},
    "key_result": {
        "title": title(200),
        "kind": choice(KR_KINDS),
        "unit": line(24),
        "direction": choice(DIRECTIONS),
    },
    "check_in": {"note": text(NOTE_MAX)},
    "task": {
        "title": title(200),
        "objective": text(),
        "context": text(),
        "priority": choice(PRIORITIES, optional=True),
        "status": choice(TASK_STATUSES),
    },
    "review": {
        "kind": choice(REVIEW_KINDS),
        "strengths": text(),
        "improvements": text(),
        "comments": text(),
        "state": choice(REVIEW_STATES),
        "calibration_reason": text(NOTE_MAX),
    },
    "one_on_one": {"notes": text()},
    "talking_point": {"text": title(500)},
    "change": {"op": line(16), "entity": line(24), "field": line(32), "old": history, "new": history},
    "ssh_key": {"algorithm": line(64), "blob": line(16_384), "fingerprint": line(64), "comment": line(200)},
    # what connections sent, kept as the log keeps it (shown, never refused: it happened)
    "access": {"remote": kept_as_logged(80), "what": kept_as_logged(120), "outcome": kept_as_logged(200)},
    "preference": {"key": title(40), "value": line(200)},
}


def _integer(is_ref: bool) -> Check:
    low = 1 if is_ref else -ID_MAX
    what = "an id" if is_ref else "a number here"

    def check(value: Any) -> int:
        if type(value) is not int:
            if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 12:
                value = int(value)
            else:
                raise ValueError(f"'{clean_or_echo(value)}' is not a whole number")
        if not low <= value <= ID_MAX:
            shown = f"{value:,}" if abs(value) < 10**30 else "a number that large"
            raise ValueError(f"{shown} is out of range for {what} ({low:,} to {ID_MAX:,})")
        return value

    return check


def _float(value: Any) -> float:
    """A JSON number, or a number written as the app shows it ("2.2M", "1,200": the one
    rule of :func:`~okrate_tui.core.validation.parse_number`, decimal comma refused)."""
    if isinstance(value, str):
        parsed = parse_number(value)
        assert parsed is not None
        return parsed
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"'{clean_or_echo(value)}' is not a number")
    number = float(value)
    if not math.isfinite(number) or abs(number) > 1e15:
        raise ValueError("is not a finite number within ±10¹⁵")
    return number


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    raise ValueError(f"'{clean_or_echo(value)}' is not true or false")


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("is not a date and time")
    return datetime.fromisoformat(value[:40])


def _day(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError("is not a date")
    return date.fromisoformat(value[:40])


def _text(rule: Check) -> Check:
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError("must be text")
        return rule(value)

    return check


def _converter(field: Any, rule: Check | None) -> Check:
    """How one column's values are read (a value that is there; see :func:`converters`)."""
    if isinstance(field, DateTimeField):
        return _moment
    if isinstance(field, DateField):
        return _day
    if isinstance(field, BooleanField):
        return _bool
    if isinstance(field, AutoField | ForeignKeyField | IntegerField):
        return _integer(isinstance(field, AutoField | ForeignKeyField))
    if isinstance(field, FloatField):
        return _float
    if rule is not None:
        return _text(rule)
    return field.python_value


def _missing(field: Any, rule: Check | None) -> Callable[[], Any]:
    """What an empty (null) value of a column becomes, or why it cannot be empty."""
    if rule is not None and isinstance(field, CharField | TextField) and not field.null:
        return lambda: rule("")  # what the column's rule makes of nothing: "" or "must not be empty"
    if not field.null and not isinstance(field, AutoField) and field.default is None:

        def required() -> Any:
            raise ValueError("is required")

        return required
    return lambda: None


@functools.cache
def converters(model: type[BaseModel]) -> dict[str, tuple[Check, Callable[[], Any]]]:
    """For each column of ``model``: how a value is read, and what an empty one becomes."""
    rules = TEXT_RULES.get(model._meta.table_name, {})
    return {
        name: (_converter(field, rules.get(name)), _missing(field, rules.get(name)))
        for name, field in model._meta.fields.items()
    }
