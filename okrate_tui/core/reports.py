"""Review packets and one-on-one notes, as JSON-ready data and as Markdown. They hold
only what the acting person may see; whatever people typed is escaped in the Markdown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.markdown import escape as md
from okrate_tui.core.models import Cycle, OneOnOne, Person
from okrate_tui.core.queries import reviews
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.queries.tree import load_tree
from okrate_tui.core.services.reviews import visible_points
from okrate_tui.core.text import visible
from okrate_tui.core.vocab import GOAL_STATUS_LABELS
from okrate_tui.core.wording import plural
from okrate_tui.core.writes import get, person_of


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def _num(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def cycle_packet(actor: Person | PersonRow, cycle: Cycle, today: date, person: Person | None = None) -> dict[str, Any]:
    """Goals, key results, tasks done and the reviews ``actor`` may read, per person."""
    actor = person_of(actor)
    if person is not None and not reviews.may_see_person(actor, person):
        raise PermissionDenied(f"@{actor.handle} may not see @{person.handle}'s review packet")
    tree = load_tree(cycle.id, today)
    people = [person] if person is not None else reviews.visible_people(actor)
    packet: dict[str, Any] = {
        "cycle": {
            "name": cycle.name,
            "state": cycle.state,
            "starts": cycle.starts.isoformat(),
            "ends": cycle.ends.isoformat(),
        },
        "prepared_by": actor.handle,
        "prepared_on": today.isoformat(),
        "people": [],
    }
    for who in people:
        space = reviews.workspace(actor, cycle.id, who.id, today, tree).as_dict()
        for review in space["reviews"]:  # what the actor may do stays out of a packet
            for key in ("can_edit", "can_reopen", "can_calibrate", "version"):
                review.pop(key, None)
        space.pop("can_write", None)
        space.pop("write_note", None)
        packet["people"].append(space)
    return packet


def _indented(text: str) -> str:
    """Later lines of a list item's text indented under it, so they stay in the item."""
    return text.replace("\n", "\n    ")


def packet_markdown(packet: dict[str, Any]) -> str:
    cycle = packet["cycle"]
    out = [
        f"# Review packet: {md(cycle['name'])}",
        "",
        f"{cycle['starts']} → {cycle['ends']} ({cycle['state']}); prepared by @{packet['prepared_by']} "
        f"on {packet['prepared_on']}.",
        "",
    ]
    for space in packet["people"]:
        person = space["person"]
        out += [f"## {md(person['name'])} (@{md(person['handle'])})", ""]
        out.append("### Goals")
        if not space["goals"]:
            out.append("No goals of their own in this cycle.")
        for goal in space["goals"]:
            status = GOAL_STATUS_LABELS.get(goal["status"], goal["status"])
            out.append(
                f"- **{md(goal['title'])}**: {_pct(goal['progress'])}, {status}; "
                f"{goal['tasks_done']}/{goal['tasks_total']} tasks done"
            )
            for stone in goal.get("milestones", []):
                due = f", due {stone['due']}" if stone["due"] else ""
                state = "reached" if stone["done"] else ("late" if stone["late"] else "open")
                out.append(f"  - milestone {md(stone['title'])}: {state}{due}")
            for kr in goal["key_results"]:
                out.append(
                    f"  - {md(kr['title'])}: {_num(kr['baseline'])} → {_num(kr['current'])} → "
                    f"{_num(kr['target'])} {md(kr['unit'])} ({_pct(kr['progress'])})".rstrip()
                )
        out += ["", f"### Tasks done ({len(space['tasks_done'])})"]
        out += [f"- {t['completed_at']}: {md(t['title'])} ({md(t['goal'])})" for t in space["tasks_done"][:100]]
        if space["trouble"]:
            out += ["", "### Overdue or blocked"]
            out += [
                f"- {md(t['title'])} ({t['status']}{', due ' + t['deadline'] if t['deadline'] else ''})"
                for t in space["trouble"]
            ]
        out += ["", "### Reviews"]
        if not space["reviews"]:
            out.append("None you may read yet.")
        for review in space["reviews"]:
            rating = review["rating"] if review["rating"] is not None else "—"
            line = f"- {review['kind']} review by @{md(review['reviewer'])} ({review['state']}): rating {rating}"
            if review["state"] == "calibrated":
                line += (
                    f" (submitted as {review['original_rating']}; calibrated by @{md(review['calibrated_by'])}: "
                    f"{md(review['calibration_reason'])})"
                )
            out.append(line)
            for name in ("strengths", "improvements", "comments"):
                if review[name]:
                    out.append(f"  - {name}: {_indented(md(review[name]))}")
        out.append("")
    return visible("\n".join(out).rstrip()) + "\n"


def one_on_one_markdown(actor: Person | PersonRow, meeting: OneOnOne, today: date) -> str:
    """A one-on-one as notes to share: shared points, action items, notes, goals.
    Private points stay out, even the actor's own."""
    actor = person_of(actor)
    seen = visible_points(actor, meeting)
    points = [p for p in seen if not p.private]
    kept_back = len(seen) - len(points)
    manager = get(Person, meeting.manager_id)
    report = get(Person, meeting.report_id)
    out = [f"# One-on-one: @{md(manager.handle)} and @{md(report.handle)}, {meeting.date}", ""]
    out.append("## Talking points")
    talking = [p for p in points if p.task_id is None]
    if not talking:
        out.append("None.")
    for point in talking:
        out.append(f"- [{'x' if point.done else ' '}] {_indented(md(point.text))}")
    if kept_back:
        yours = "private point of yours" if kept_back == 1 else "private points of yours"
        out.append(f"\n({kept_back} {yours} left out: these notes are for sharing.)")
    actions = [(p, p.task_id) for p in points if p.task_id is not None]
    if actions:
        titles = reviews.open_task_titles([task_id for _, task_id in actions])
        out += ["", "## Action items"]
        for point, task_id in actions:
            title, status = titles.get(task_id, (point.text, "deleted"))
            out.append(f"- [{'x' if status == 'done' else ' '}] {md(title)} (task {task_id}, {status})")
    if meeting.notes:
        out += ["", "## Notes", md(meeting.notes)]
    cycle = Cycle.select().where((Cycle.starts <= meeting.date) & (Cycle.ends >= meeting.date)).first()
    if cycle is not None:
        out += ["", f"## Goals of @{md(report.handle)} in {md(cycle.name)}"]
        pages = reviews.walkthrough(actor, report.id, cycle.id, today)
        if not pages:
            out.append("None of their own.")
        for goal in pages:
            status = GOAL_STATUS_LABELS.get(goal.status, goal.status)
            late = sum(1 for t in goal.tasks if t.overdue)
            out.append(
                f"- {md(goal.title)}: {_pct(goal.progress)}, {status}"
                + (f"; {plural(late, 'overdue task')}" if late else "")
            )
        work = reviews.report_tasks(actor, report.id, cycle.id, today)
        out += ["", f"## Open tasks of @{md(report.handle)} in {md(cycle.name)}"]
        if not work:
            out.append("None.")
        for task in work:
            out.append(f"- {task_line(task, md)}")
    return visible("\n".join(out).rstrip()) + "\n"


def task_line(task: reviews.ReportTask, quote: Callable[[str], str] = str) -> str:
    """'Fix the export (late since 2026-11-20) · under “Launch” (@devon) › Beta'; ``quote``
    escapes what people typed (Markdown's :func:`md`)."""
    if task.overdue:
        when = f"late since {task.deadline}"
    elif task.status == "blocked":
        when = "blocked" + (f", due {task.deadline}" if task.deadline else "")
    else:
        when = f"due {task.deadline}" if task.deadline else "no deadline"
    owner = f" (@{quote(task.goal_owner)})" if task.goal_owner else ""
    stone = f" › {quote(task.milestone)}" if task.milestone else ""
    return f"{quote(task.title)} ({when}) · under “{quote(task.goal)}”{owner}{stone}"


def packet_text(actor: Person | PersonRow, cycle_id: int, today: date, person_id: int | None = None) -> str:
    """A review packet as Markdown, by ids (for callers that hold no records)."""
    person = get(Person, person_id) if person_id is not None else None
    return packet_markdown(cycle_packet(actor, get(Cycle, cycle_id), today, person))


def meeting_text(actor: Person | PersonRow, meeting_id: int, today: date) -> str:
    """A one-on-one as Markdown notes, by id."""
    return one_on_one_markdown(actor, get(OneOnOne, meeting_id), today)
