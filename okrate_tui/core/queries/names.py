"""Names to complete on a command line: handles, cycle names, goal ids. Small reads only."""

from __future__ import annotations

from okrate_tui.core.models import Cycle, Goal, Person
from okrate_tui.core.rows import tuples


def handles() -> list[tuple[str, str]]:
    """Active people's handles with their names, in handle order."""
    query = Person.select(Person.handle, Person.name).where(Person.active == True)  # noqa: E712
    return list(tuples(query.order_by(Person.handle)))


def cycle_names() -> list[tuple[str, str]]:
    """Every cycle's name with its state, the newest first."""
    return list(tuples(Cycle.select(Cycle.name, Cycle.state).order_by(Cycle.starts.desc())))


def goal_titles(limit: int = 500) -> list[tuple[int, str]]:
    """Live goals' ids and titles, those of the newest cycles first."""
    query = (
        Goal.select(Goal.id, Goal.title)
        .join(Cycle, on=(Goal.cycle == Cycle.id))
        .where(Goal.archived == False)  # noqa: E712
        .order_by(Cycle.starts.desc(), Goal.id)
        .limit(limit)
    )
    return list(tuples(query))
