"""Key results and their check-ins."""

from __future__ import annotations

from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.models import CheckIn, Goal, KeyResult, Person
from okrate_tui.core.permissions import authorize, authorize_goal
from okrate_tui.core.services import refs
from okrate_tui.core.services.cycles import ensure_open
from okrate_tui.core.validation import (
    Checker,
    clean_optional_line,
    clean_text,
    clean_title,
    parse_choice,
    parse_confidence,
    parse_number,
    parse_weight,
)
from okrate_tui.core.vocab import DIRECTIONS, KR_KINDS
from okrate_tui.core.writes import apply_edit, get, log, writes

EDITABLE = {"title", "kind", "baseline", "target", "unit", "direction", "weight", "archived"}


def _kr_fields(check: Checker, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in values:
        out["title"] = check("title", clean_title, values["title"])
    if "kind" in values:
        out["kind"] = check("kind", parse_choice, values["kind"], KR_KINDS)
    for name in ("baseline", "target", "current"):
        if name in values:
            out[name] = check(name, parse_number, values[name])
    if "unit" in values:
        out["unit"] = check("unit", clean_optional_line, values["unit"], 24)
    if "direction" in values:
        out["direction"] = check("direction", parse_choice, values["direction"], DIRECTIONS)
    if "weight" in values:
        out["weight"] = check("weight", parse_weight, values["weight"])
    if "archived" in values:
        out["archived"] = bool(values["archived"])
    return out


def whole_number(check: Checker, name: str, value: float | None) -> None:
    """A count holds whole numbers: 12 accounts, never 12.5."""
    if value is not None and value != int(value):
        check.fail(name, f"a count is a whole number: {int(value)} or {int(value) + 1}, not {value:g}")


def _check_shape(check: Checker, fields: dict[str, Any]) -> None:
    """A binary result runs 0 → 1; an increase must aim above its baseline and so on."""
    kind, base, target = fields.get("kind"), fields.get("baseline"), fields.get("target")
    direction = fields.get("direction")
    if kind == "binary":
        fields["baseline"], fields["target"] = 0.0, 1.0
        fields["direction"] = "increase"
        if fields.get("current") not in (None, 0.0, 1.0):
            check.fail("current", "a binary key result is 0 (not done) or 1 (done)")
        return
    if kind == "count":
        for name in ("baseline", "target", "current"):
            if fields.get(name) is not None:
                whole_number(check, name, fields[name])
    if base is None or target is None:
        return
    if direction in ("increase", "decrease") and target == base:
        check.fail("target", "equals the baseline: nothing to reach (stay above / stay below keep a level)")
    elif direction == "increase" and target < base:
        check.fail("target", f"an increase needs a target above the baseline {base:g}")
    elif direction == "decrease" and target > base:
        check.fail("target", f"a decrease needs a target below the baseline {base:g}")


@writes
def add_key_result(
    actor: Person,
    goal: Any,
    title: str,
    *,
    target: Any,
    baseline: Any = 0.0,
    current: Any = None,
    kind: str = "numeric",
    unit: str = "",
    direction: str | None = None,
    weight: Any = 1.0,
) -> KeyResult:
    """Add a measurable result to a goal; the direction follows target vs baseline."""
    check = Checker()
    the_goal = refs.goal(check, "goal", goal)
    if kind == "binary" and target in (None, ""):
        target = 1
    fields = _kr_fields(
        check,
        {
            "title": title,
            "kind": kind,
            "baseline": baseline,
            "target": target,
            "unit": unit,
            "weight": weight,
        },
    )
    if current not in (None, ""):
        fields.update(_kr_fields(check, {"current": current}))
    if direction:
        fields.update(_kr_fields(check, {"direction": direction}))
    elif fields.get("baseline") is not None and fields.get("target") is not None:
        fields["direction"] = "decrease" if fields["target"] < fields["baseline"] else "increase"
    _check_shape(check, fields)
    check.done()
    assert the_goal is not None
    authorize_goal(actor, the_goal, "add key results to")
    ensure_open(the_goal.cycle_id)
    fields.setdefault("current", fields["baseline"])
    result = KeyResult.create(goal=the_goal, **fields)
    log().created(result, result.title)
    return result


@writes
def update_key_result(actor: Person, kr_id: int, version: int | None, **changes: Any) -> KeyResult:
    """Change a key result's definition (its value changes only by check-in)."""
    result = get(KeyResult, kr_id)
    goal = get(Goal, result.goal_id)
    authorize_goal(actor, goal, "change key results of")
    ensure_open(goal.cycle_id)
    check = Checker()
    for field in set(changes) - EDITABLE:
        check.fail(field, "changes by check-in" if field == "current" else "cannot be changed here")
    fields = _kr_fields(check, changes)
    merged = {
        "kind": result.kind,
        "baseline": result.baseline,
        "target": result.target,
        "direction": result.direction,
        **fields,
    }
    if merged["kind"] == "binary":
        _check_binary_edit(check, result, fields)
    if merged["kind"] == "count" and result.kind != "count" and result.current != int(result.current):
        check.fail("kind", f"a count needs a whole current value (it is {result.current:g}): check in one first")
    _check_shape(check, merged)
    check.done()
    if merged["kind"] == "binary":
        fields.update({k: merged[k] for k in ("baseline", "target", "direction")})
    return apply_edit(result, version, fields)


BINARY_SHAPE = {"baseline": 0.0, "target": 1.0, "direction": "increase"}


def _check_binary_edit(check: Checker, result: KeyResult, fields: dict[str, Any]) -> None:
    """A binary result always runs 0 → 1 upwards; its value must already be 0 or 1."""
    for name, fixed in BINARY_SHAPE.items():
        if name in fields and fields[name] is not None and fields[name] != fixed:
            check.fail(name, "a binary key result runs from 0 (not done) to 1 (done)")
    if result.kind != "binary" and result.current not in (0.0, 1.0):
        check.fail(
            "kind",
            f"binary needs the current value to be 0 or 1 (it is {result.current:g}): check in 0 or 1 first",
        )


def archive_key_result(actor: Person, kr_id: int, version: int | None, archived: bool = True) -> KeyResult:
    """Archive a key result (it leaves the goal's progress but is kept with its
    check-ins), or restore it (``archived=False``)."""
    return update_key_result(actor, kr_id, version, archived=archived)


@writes
def check_in(actor: Person, kr_id: Any, value: Any, *, confidence: Any = None, note: str = "") -> CheckIn:
    """Record a new value for a key result, with confidence and a note."""
    check = Checker()
    result = refs.key_result(check, "key result", kr_id)
    number = check("value", parse_number, value)
    sure = check("confidence", parse_confidence, confidence)
    text = check("note", clean_text, note, 2_000)
    if result is not None and result.kind == "binary" and number not in (None, 0.0, 1.0):
        check.fail("value", "a binary key result is 0 (not done) or 1 (done)")
    if result is not None and result.kind == "count":
        whole_number(check, "value", number)
    if result is not None and result.archived:
        check.fail("key result", f"key result {result.id} is archived")
    check.done()
    assert result is not None
    goal = get(Goal, result.goal_id)
    authorize_goal(actor, goal, "check in on")
    ensure_open(goal.cycle_id)
    entry = CheckIn.create(key_result=result, value=number, confidence=sure, note=text, author=actor, at=clock.now())
    log().created(entry, f"{number:g}")
    apply_edit(result, None, {"current": number})
    return entry


CORRECTABLE = {"value", "confidence", "note"}


def is_latest_check_in(entry: CheckIn) -> bool:
    """Is this the check-in that set its key result's current value (the newest one)?"""
    newest = (
        CheckIn.select(CheckIn.id)
        .where(CheckIn.key_result == entry.key_result_id)
        .order_by(CheckIn.at.desc(), CheckIn.id.desc())
        .first()
    )
    return newest is not None and newest.id == entry.id


@writes
def correct_check_in(actor: Person, check_in_id: int, version: int | None, **changes: Any) -> CheckIn:
    """Correct a check-in's ``value``, ``confidence`` or ``note``.

    Its author may, and so may whoever may check in on the goal. The old values stay in
    the change log; the key result's current value follows when this is its latest
    check-in. Refused on an archived key result and in a closed cycle.
    """
    entry = get(CheckIn, check_in_id)
    result = get(KeyResult, entry.key_result_id)
    goal = get(Goal, result.goal_id)
    authorize(actor, "check_in.correct")
    if entry.author_id != actor.id:
        authorize_goal(actor, goal, "correct check-ins on")
    ensure_open(goal.cycle_id)
    check = Checker()
    for field in sorted(set(changes) - CORRECTABLE):
        check.fail(field, "cannot be corrected")
    if not changes:
        check.fail("check-in", "nothing to correct: give a value, a confidence or a note")
    fields: dict[str, Any] = {}
    if "value" in changes:
        fields["value"] = check("value", parse_number, changes["value"])
        if result.kind == "binary" and fields["value"] not in (None, 0.0, 1.0):
            check.fail("value", "a binary key result is 0 (not done) or 1 (done)")
        if result.kind == "count":
            whole_number(check, "value", fields["value"])
    if "confidence" in changes:
        fields["confidence"] = check("confidence", parse_confidence, changes["confidence"])
    if "note" in changes:
        fields["note"] = check("note", clean_text, changes["note"], 2_000)
    if result.archived:
        check.fail("key result", f"key result {result.id} is archived: restore it to correct its check-ins")
    check.done()
    old_value = entry.value
    apply_edit(entry, version, fields, extra={"corrected_by": actor.id, "corrected_at": clock.now()})
    if entry.value != old_value and is_latest_check_in(entry):
        apply_edit(result, None, {"current": entry.value})
    return entry
