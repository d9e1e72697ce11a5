"""Start an organisation from an empty database in one step."""

from __future__ import annotations

from typing import Any

from okrate_tui.core.models import Person
from okrate_tui.core.services.cycles import create_cycle
from okrate_tui.core.services.goals import create_goal
from okrate_tui.core.services.people import create_person
from okrate_tui.core.validation import Checker, clean_handle, clean_title, parse_date
from okrate_tui.core.writes import writes


@writes
def start_organisation(actor: None, handle: str, name: str, cycle: str, starts: Any, ends: Any, goal: str) -> Person:
    """The first person (an admin), an active cycle and the company's first goal."""
    check = Checker()
    check("handle", clean_handle, handle)
    check("name", clean_title, name, 80)
    check("cycle", clean_title, cycle, 80)
    first = check("starts", parse_date, starts)
    last = check("ends", parse_date, ends)
    if first and last and last < first:
        check.fail("ends", f"{last} is before the start {first}")
    check("goal", clean_title, goal)
    check.done()
    person = create_person(None, handle, name, role="admin")
    create_cycle(person, cycle, starts, ends, state="active")
    create_goal(person, goal, owner=person, level="company")
    return person
