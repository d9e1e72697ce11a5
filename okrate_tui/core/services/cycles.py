"""Performance cycles and their life: planning → active → review → closed."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.models import Cycle, Person
from okrate_tui.core.permissions import authorize
from okrate_tui.core.validation import Checker, clean_title, parse_choice, parse_date
from okrate_tui.core.vocab import CYCLE_STATES
from okrate_tui.core.writes import apply_edit, get, log, writes

NEXT_STATE = dict(pairwise(CYCLE_STATES))


def _dates(check: Checker, starts: Any, ends: Any) -> tuple[date | None, date | None]:
    start = check("starts", parse_date, starts)
    end = check("ends", parse_date, ends)
    if start and end and end < start:
        check.fail("ends", f"{end} is before the start {start}")
    return start, end


@writes
def create_cycle(actor: Person, name: str, starts: Any, ends: Any, *, state: str = "planning") -> Cycle:
    authorize(actor, "cycle.create")
    check = Checker()
    clean = check("name", clean_title, name, 80)
    if clean and Cycle.get_or_none(Cycle.name == clean):
        check.fail("name", f"a cycle named '{clean}' exists already")
    start, end = _dates(check, starts, ends)
    if start is None and "starts" not in check.errors:
        check.fail("starts", "is required")
    if end is None and "ends" not in check.errors:
        check.fail("ends", "is required")
    clean_state = check("state", parse_choice, state, CYCLE_STATES)
    check.done()
    cycle = Cycle.create(name=clean, starts=start, ends=end, state=clean_state)
    log().created(cycle, clean)
    return cycle


@writes
def edit_cycle(actor: Person, cycle_id: int, version: int | None, **changes: Any) -> Cycle:
    """Rename a cycle or change its dates."""
    authorize(actor, "cycle.edit")
    cycle = get(Cycle, cycle_id)
    check = Checker()
    fields: dict[str, Any] = {}
    if "name" in changes:
        fields["name"] = check("name", clean_title, changes["name"], 80)
        other = Cycle.get_or_none((Cycle.name == fields["name"]) & (Cycle.id != cycle.id))
        if fields["name"] and other:
            check.fail("name", f"a cycle named '{fields['name']}' exists already")
    start, end = _dates(check, changes.get("starts", cycle.starts), changes.get("ends", cycle.ends))
    for name, day in (("starts", start), ("ends", end)):
        if name in changes and day is None and name not in check.errors:
            check.fail(name, "is required")
    if "starts" in changes:
        fields["starts"] = start
    if "ends" in changes:
        fields["ends"] = end
    for field in set(changes) - {"name", "starts", "ends"}:
        check.fail(field, "cannot be changed here")
    check.done()
    return apply_edit(cycle, version, fields)


@writes
def set_cycle_state(actor: Person, cycle_id: int, version: int | None, state: str) -> Cycle:
    """Move a cycle one step forward, or one step back to reopen it."""
    authorize(actor, "cycle.edit")
    cycle = get(Cycle, cycle_id)
    check = Checker()
    wanted = check("state", parse_choice, state, CYCLE_STATES)
    check.done()
    if wanted == "closed" and cycle.state != "closed":
        raise ValidationError.single(
            "state", f"close {cycle.name} with `okrate cycle close` (or the review pane): it offers carry-over"
        )
    here = CYCLE_STATES.index(cycle.state)
    there = CYCLE_STATES.index(wanted)
    if abs(here - there) > 1:
        raise ValidationError.single(
            "state", f"a cycle moves one step at a time ({cycle.state} → {wanted} skips a step)"
        )
    return apply_edit(cycle, version, {"state": wanted})


def reopen_cycle(actor: Person, cycle_id: int, version: int | None) -> Cycle:
    """Take a cycle one step back (closed → review, review → active …)."""
    cycle = get(Cycle, cycle_id)
    index = CYCLE_STATES.index(cycle.state)
    if index == 0:
        raise ValidationError.single("state", f"{cycle.name} is in planning: nothing to reopen")
    return set_cycle_state(actor, cycle_id, version, CYCLE_STATES[index - 1])


def advance_cycle(actor: Person, cycle_id: int, version: int | None) -> Cycle:
    cycle = get(Cycle, cycle_id)
    following = NEXT_STATE.get(cycle.state)
    if following is None:
        raise ValidationError.single("state", f"{cycle.name} is closed already")
    return set_cycle_state(actor, cycle_id, version, following)


def current_cycle() -> Cycle | None:
    """The cycle people work in now: the active one holding today, else the newest
    active, review or planning cycle, else the newest of all."""
    today = clock.today()
    for states in (("active",), ("review",), ("planning",), CYCLE_STATES):
        query = Cycle.select().where(Cycle.state.in_(states)).order_by(Cycle.starts.desc())
        cycles = list(query)
        if cycles:
            for cycle in cycles:
                if cycle.starts <= today <= cycle.ends:
                    return cycle
            return cycles[0]
    return None


def find_cycle(name_or_id: str | int) -> Cycle:
    from okrate_tui.core.services.refs import resolve

    check = Checker()
    cycle = resolve(check, "cycle", Cycle, name_or_id, optional=False)
    check.done()
    assert cycle is not None
    return cycle


def ensure_open(cycle_id: int) -> None:
    """Refuse changes to the goals and tasks of a closed cycle."""
    cycle = Cycle.get_or_none(Cycle.id == cycle_id)
    if cycle is not None and cycle.state == "closed":
        raise ValidationError.single(
            "cycle", f"{cycle.name} is closed: an admin can reopen it (okrate cycle reopen) to change anything in it"
        )
