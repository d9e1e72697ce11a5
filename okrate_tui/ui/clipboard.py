"""What ``y`` copies: the selected task, goal or key result as one line of text, or a
review packet or one-on-one as Markdown. Textual hands the text to the terminal (OSC 52),
so it reaches the clipboard of the machine in front of the person, over SSH too."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from okrate_tui.core.errors import OkrateError
from okrate_tui.core.queries.board import Card, Labels
from okrate_tui.core.queries.details import GoalDetail, KeyResultView
from okrate_tui.core.queries.milestones import MilestoneView
from okrate_tui.core.queries.tasks import TaskRow
from okrate_tui.core.queries.tree import GoalLine
from okrate_tui.core.text import visible
from okrate_tui.core.vocab import GOAL_STATUS_LABELS, TASK_STATUS_LABELS
from okrate_tui.ui.format import compact, percent, truncate

SEP = " · "
HEADING = re.compile(r"^#+\s+")


def copy_text(app: Any, text: str) -> None:
    """Put ``text`` on the clipboard (hidden characters shown, as on screen: a pasted
    title cannot carry escape codes into another program) and say what went there."""
    text = visible(text)
    app.copy_to_clipboard(text)
    app.notify(f"Copied: {preview(text)}", title="Clipboard")


async def copy_made(app: Any, make: Callable[[], str]) -> None:
    """Copy what ``make`` writes on the database thread (a packet of the reports the
    commands export too)."""
    try:
        text = await app.db.read(make)
    except OkrateError as exc:
        app.notify(str(exc), title="Not copied", severity="error", timeout=8)
        return
    copy_text(app, text)


def preview(text: str, width: int = 70) -> str:
    """The first line, shortened; with the number of lines when there are more."""
    lines = text.strip("\n").split("\n")
    first = truncate(" ".join(HEADING.sub("", lines[0]).split()), width)  # a Markdown title as words
    return f"{first} ({len(lines)} lines)" if len(lines) > 1 else first


def task_line(
    ident: int,
    title: str,
    owner: str | None,
    deadline: date | None,
    priority: str | None,
    status: str,
    where: str,
) -> str:
    """'#42 Write beta docs · @ben · due 2026-12-04 · high · Doing · Orion › Beta'."""
    parts = [f"#{ident} {title}", f"@{owner}" if owner else "no owner"]
    if deadline is not None:
        parts.append(f"due {deadline.isoformat()}")
    if priority:
        parts.append(priority)
    parts.append(TASK_STATUS_LABELS.get(status, status))
    if where:
        parts.append(where)
    return SEP.join(parts)


def card_line(card: Card, labels: Labels) -> str:
    """A task card of the board, with its goal (and milestone) as the card names them."""
    owner = labels.handles.get(card.owner_id) if card.owner_id is not None else None
    where = labels.breadcrumb(card.goal_id, milestone_id=card.milestone_id)
    return task_line(card.id, card.title, owner, card.deadline, card.priority, card.status, where)


def task_row_line(task: TaskRow, milestones: dict[int, str]) -> str:
    """A task among a goal's parts."""
    where = task.goal
    if task.milestone_id in milestones:
        where = f"{where} › {milestones[task.milestone_id]}"
    return task_line(task.id, task.title, task.owner, task.deadline, task.priority, task.status, where)


def goal_line(line: GoalLine) -> str:
    """'Ship the beta · @ben · 45% · at risk'."""
    owner = f"@{line.owner}" if line.owner else "no owner"
    status = GOAL_STATUS_LABELS.get(line.status, line.status)
    return SEP.join([line.title, owner, percent(line.progress), status])


def key_result_line(kr: KeyResultView, goal: GoalDetail) -> str:
    """'Reach 30 paying customers · @ben · 40% (12 → 30 customers) · Ship the beta'."""
    owner = f"@{goal.owner}" if goal.owner else "no owner"
    if kr.kind == "binary":
        figures = "done" if kr.current >= 1 else "not done yet"
    else:
        unit = f" {kr.unit}" if kr.unit and kr.unit != "%" else kr.unit or ""
        figures = f"{compact(kr.current)} → {compact(kr.target)}{unit}"
    return SEP.join([kr.title, owner, f"{percent(kr.progress)} ({figures})", goal.title])


def milestone_line(stone: MilestoneView, goal: GoalDetail) -> str:
    """'Beta in customers' hands · due 2026-12-04 · 60% · Ship the beta'."""
    parts = [stone.title]
    if stone.due is not None:
        parts.append(f"due {stone.due.isoformat()}")
    parts.append("reached" if stone.done else ("late" if stone.late else percent(stone.progress)))
    parts.append(goal.title)
    return SEP.join(parts)


def part_line(goal: GoalDetail, kind: str, ident: int | None, tasks: list[TaskRow]) -> str | None:
    """The key result, milestone or task of ``goal`` under the parts cursor, or None."""
    if kind == "kr":
        kr = next((k for k in goal.key_results if k.id == ident), None)
        return key_result_line(kr, goal) if kr is not None else None
    if kind == "ms":
        stone = next((m for m in goal.milestones if m.id == ident), None)
        return milestone_line(stone, goal) if stone is not None else None
    if kind == "task":
        task = next((t for t in tasks if t.id == ident), None)
        return task_row_line(task, {m.id: m.title for m in goal.milestones}) if task is not None else None
    return None
