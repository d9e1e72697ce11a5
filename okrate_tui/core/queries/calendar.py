"""The dates on one person's calendar, for ``okrate export --format ics``.

Only what is the person's own or shared with everyone: the deadlines of their open
tasks; the due dates of open milestones on goals they own or have open tasks under; the
last day of each cycle not yet closed; and their one-on-ones from today on (who with,
never the notes or talking points). Everything is in cycles that are not closed.
Each entry has a stable id (``task-42@okrate``), so a calendar that imports the file
again updates its events instead of doubling them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from okrate_tui.core.models import Cycle, OneOnOne, Person
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.queries.sql import as_date, id_list, rows
from okrate_tui.core.writes import person_of

UID_DOMAIN = "okrate"


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One all-day event: ``kind`` is task, milestone, cycle or one_on_one."""

    uid: str
    day: date
    kind: str
    summary: str
    description: str = ""


def _uid(kind: str, record_id: int) -> str:
    return f"{kind.replace('_', '-')}-{record_id}@{UID_DOMAIN}"


def calendar_entries(actor: Person | PersonRow, today: date) -> list[CalendarEntry]:
    """The person's calendar, by day (then kind and id)."""
    person = person_of(actor)
    entries: list[CalendarEntry] = []
    goals: set[int] = set()
    for tid, title, deadline, goal_id, goal, status in rows(
        "SELECT t.id, t.title, t.deadline, t.goal_id, g.title, t.status "
        "FROM task t JOIN goal g ON g.id = t.goal_id JOIN cycle c ON c.id = t.cycle_id "
        "WHERE t.owner_id = ? AND t.status <> 'done' AND c.state <> 'closed'",
        [person.id],
    ):
        goals.add(goal_id)
        day = as_date(deadline)
        if day is not None:
            entries.append(
                CalendarEntry(
                    _uid("task", tid),
                    day,
                    "task",
                    f"Due: {title}",
                    f"Task {tid} ({status}) for the goal “{goal}”. okrate task show {tid}",
                )
            )
    goals |= {
        r[0]
        for r in rows(
            "SELECT g.id FROM goal g JOIN cycle c ON c.id = g.cycle_id WHERE g.owner_id = ? AND c.state <> 'closed'",
            [person.id],
        )
    }
    for mid, title, due, goal in rows(
        "SELECT m.id, m.title, m.due, g.title FROM milestone m JOIN goal g ON g.id = m.goal_id "
        f"WHERE m.goal_id IN ({id_list(goals)}) AND m.done = ? AND m.due IS NOT NULL AND g.archived = ?",
        [False, False],
    ):
        day = as_date(due)
        assert day is not None
        entries.append(
            CalendarEntry(_uid("milestone", mid), day, "milestone", f"Milestone: {title}", f"For the goal “{goal}”.")
        )
    for cycle in Cycle.select().where(Cycle.state != "closed"):
        entries.append(
            CalendarEntry(
                f"cycle-{cycle.id}-ends@{UID_DOMAIN}",
                cycle.ends,
                "cycle",
                f"{cycle.name} ends",
                f"The last day of the cycle {cycle.name} ({cycle.starts.isoformat()} to {cycle.ends.isoformat()}).",
            )
        )
    meetings = list(
        OneOnOne.select().where(
            ((OneOnOne.manager == person.id) | (OneOnOne.report == person.id)) & (OneOnOne.date >= today)
        )
    )
    others = {m.report_id if m.manager_id == person.id else m.manager_id for m in meetings}
    handles = {
        p.id: p.handle for p in Person.select(Person.id, Person.handle).where(Person.id.in_(list(others) or [0]))
    }
    for meeting in meetings:
        other = meeting.report_id if meeting.manager_id == person.id else meeting.manager_id
        entries.append(
            CalendarEntry(
                _uid("one_on_one", meeting.id), meeting.date, "one_on_one", f"One-on-one with @{handles[other]}"
            )
        )
    order = {"cycle": 0, "milestone": 1, "task": 2, "one_on_one": 3}
    return sorted(entries, key=lambda e: (e.day, order[e.kind], e.uid))
