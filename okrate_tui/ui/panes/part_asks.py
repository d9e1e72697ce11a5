"""What the goal tree does with the parts of a goal: key results, milestones and the
tasks that hang off it. Each action re-reads the part first and says so when it is
gone; refusals are known before any form opens. Like the goal questions, each answers
with an :class:`Outcome` (or None when the person left)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from okrate_tui.core import clock
from okrate_tui.core.errors import NotFoundError, OkrateError
from okrate_tui.core.parsing import parse_deadline
from okrate_tui.core.queries.details import task_detail
from okrate_tui.core.queries.key_results import key_result_info
from okrate_tui.core.queries.milestones import MilestoneView, milestone_view, milestones_of
from okrate_tui.core.services import key_results as kr_service
from okrate_tui.core.services import milestones as milestone_service
from okrate_tui.core.services import tasks as task_service
from okrate_tui.core.validation import clean_title, parse_number, parse_weight
from okrate_tui.core.vocab import DIRECTIONS, KR_KINDS
from okrate_tui.ui.controllers.outcome import Notice, Outcome
from okrate_tui.ui.controllers.tree_editor import TreeEditor
from okrate_tui.ui.format import plain_number
from okrate_tui.ui.forms.fields import deadline_field
from okrate_tui.ui.forms.form import Field, FormScreen, Watch
from okrate_tui.ui.guard import closed_refusal
from okrate_tui.ui.host import Host
from okrate_tui.ui.screens.check_ins import CheckInsScreen
from okrate_tui.ui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from okrate_tui.core.queries.details import KeyResultView

PART_VERBS = {
    ("part_add", "kr"): "add key results to",
    ("part_add", "ms"): "add milestones to",
    ("part_check_in", "kr"): "check in on",
    ("part_history", "kr"): None,
}
NOUNS = {"kr": "key result", "ms": "milestone", "task": "task"}


def key_result_fields(values: dict[str, str]) -> list[Field]:
    """The fields that define a key result (new or edited)."""
    return [
        Field(
            "title",
            "Key result",
            values.get("title", ""),
            required=True,
            check=clean_title,
            placeholder="e.g. Weekly active teams",
        ),
        Field(
            "kind",
            "Kind",
            values.get("kind", "numeric"),
            kind="select",
            options=[(k, k) for k in KR_KINDS],
            required=True,
        ),
        Field("baseline", "Baseline (start)", values.get("baseline", "0"), check=parse_number),
        Field("target", "Target", values.get("target", ""), check=parse_number, help="binary results need no target"),
        Field("unit", "Unit", values.get("unit", ""), placeholder="e.g. %, EUR, ms"),
        Field(
            "direction",
            "Direction",
            values.get("direction", ""),
            kind="select",
            options=[(d.replace("_", " "), d) for d in DIRECTIONS],
            placeholder="from target vs baseline",
        ),
        Field("weight", "Weight", values.get("weight", "1"), check=parse_weight),
    ]


def key_result_values(kr: KeyResultView) -> dict[str, str]:
    return {
        "title": kr.title,
        "kind": kr.kind,
        "baseline": plain_number(kr.baseline),
        "target": plain_number(kr.target),
        "unit": kr.unit,
        "direction": kr.direction,
        "weight": plain_number(kr.weight),
    }


def milestone_values(m: MilestoneView) -> dict[str, str]:
    return {"title": m.title, "due": m.due.isoformat() if m.due else ""}


def part_refusal(session: Any, action: str, kind: str, refusal_for: Callable[[str], str | None]) -> str | None:
    """Why the actor may not take ``action`` on a part of the selected goal."""
    if action == "part_history" or (kind == "task" and action in ("part_open", "part_history")):
        return None
    closed = closed_refusal(session)
    if closed is not None or kind == "task":
        return closed
    verb = PART_VERBS.get((action, kind), f"change the {NOUNS[kind]}s of")
    return refusal_for(verb) if verb else None


async def on_part(
    host: Host, editor: TreeEditor, action: str, kind: str, ident: int, refusal_for: Callable[[str], str | None]
) -> Outcome | None:
    """Re-read the part (only it, not the whole goal), then act on what is stored now."""
    reader = _key_result_view if kind == "kr" else _milestone_view
    try:
        found = await host.db.read(reader, ident)
    except OkrateError as exc:
        return Outcome(None, Notice(str(exc), severity="error"))
    if found is None:
        return Outcome(
            None, Notice(editor.session.gone_sentence(_entity(kind), ident, NOUNS[kind]), severity="warning")
        )
    goal, part = found
    step = action.removeprefix("part_")
    if kind == "kr" and step == "history":
        host.push_screen(CheckInsScreen(part.id, part.title, refusal_for("correct check-ins on")))
        return None
    if kind == "kr":
        return await KR_FLOWS[step](host, editor, goal, part) if step in KR_FLOWS else None
    if step in ("up", "down") and isinstance(part, MilestoneView):
        return await _ms_move(host, editor, goal, part, -1 if step == "up" else 1)
    return await MS_FLOWS[step](host, editor, goal, part) if step in MS_FLOWS else None


async def _saved_form(
    host: Host, editor: TreeEditor, screen: FormScreen[Any], what: Callable[[Any], str], goal: int
) -> Outcome | None:
    return await editor.form_saved(await host.push_screen_wait(screen), what, lambda record: goal)


# --- key results ----------------------------------------------------------------------


async def _kr_edit(host: Host, editor: TreeEditor, goal: int, kr: KeyResultView) -> Outcome | None:
    initial = key_result_values(kr)

    async def reread() -> tuple[dict[str, str], int | None]:
        fresh = await host.db.read(_key_result_view, kr.id)
        return (key_result_values(fresh[1]), fresh[1].version) if fresh else ({}, None)

    watch = Watch("key_result", kr.id, kr.version, reread, noun="key result")

    async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
        changes = {k: v for k, v in values.items() if v != initial.get(k)}
        if "direction" in changes and not changes["direction"]:
            del changes["direction"]
        return await editor.save(kr_service.update_key_result, kr.id, watch.version, **changes)

    screen = FormScreen(f"Edit the key result “{kr.title}”", key_result_fields(initial), submit, watch=watch)
    return await _saved_form(host, editor, screen, lambda r: f"edit the key result “{r.title}”", goal)


async def _kr_delete(host: Host, editor: TreeEditor, goal: int, kr: KeyResultView) -> Outcome | None:
    verb = "Restore" if kr.archived else "Archive"
    why = (
        "It counts in the goal's progress again."
        if kr.archived
        else "It leaves the goal's progress but keeps its check-ins; d again restores it."
    )
    question = ConfirmScreen(f"{verb} the key result “{kr.title}”?", why, watch=("key_result", kr.id))
    if not await host.push_screen_wait(question):
        return None
    what = f"{verb.lower()} the key result “{kr.title}”"
    return await editor.run(what, goal, kr_service.archive_key_result, kr.id, kr.version, not kr.archived)


# --- milestones -------------------------------------------------------------------------


async def _ms_edit(host: Host, editor: TreeEditor, goal: int, m: MilestoneView) -> Outcome | None:
    initial = milestone_values(m)
    today = clock.today()

    async def reread() -> tuple[dict[str, str], int | None]:
        fresh = await host.db.read(_milestone_view, m.id)
        return (milestone_values(fresh[1]), fresh[1].version) if fresh else ({}, None)

    watch = Watch("milestone", m.id, m.version, reread, noun="milestone")

    async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
        changes: dict[str, Any] = {k: v for k, v in values.items() if v != initial.get(k)}
        if "due" in changes:
            changes["due"] = parse_deadline(changes["due"], today)
        return await editor.save(milestone_service.edit_milestone, m.id, watch.version, **changes)

    screen = FormScreen(f"Edit the milestone “{m.title}”", milestone_fields(initial, today), submit, watch=watch)
    return await _saved_form(host, editor, screen, lambda r: f"edit the milestone “{r.title}”", goal)


async def _ms_done(host: Host, editor: TreeEditor, goal: int, m: MilestoneView) -> Outcome:
    what = f"mark “{m.title}” {'not done' if m.done else 'done'}"
    return await editor.run(what, goal, milestone_service.set_milestone_done, m.id, m.version, not m.done)


async def _ms_move(host: Host, editor: TreeEditor, goal: int, m: MilestoneView, step: int) -> Outcome:
    if (step < 0 and m.order <= 1) or (step > 0 and m.order >= await host.db.read(_milestone_count, goal)):
        return Outcome(set(), Notice(f"“{m.title}” is {'first' if step < 0 else 'last'} already."))
    what = f"move “{m.title}” {'up' if step < 0 else 'down'}"
    return await editor.run(what, goal, milestone_service.move_milestone, m.id, m.version, step)


async def _ms_delete(host: Host, editor: TreeEditor, goal: int, m: MilestoneView) -> Outcome | None:
    question = ConfirmScreen(
        f"Delete the milestone “{m.title}”?", "Its tasks stay with the goal; u undoes.", watch=("milestone", m.id)
    )
    if not await host.push_screen_wait(question):
        return None
    return await editor.run(
        f"delete the milestone “{m.title}”", goal, milestone_service.delete_milestone, m.id, m.version
    )


# --- tasks ------------------------------------------------------------------------------


async def finish_task(host: Host, editor: TreeEditor, goal: int | None, task_id: int) -> Outcome:
    """Finish a task of the goal (or reopen a finished one)."""
    try:
        task = await host.db.read(task_detail, task_id)
    except OkrateError:
        return Outcome(None, Notice(editor.session.gone_sentence("task", task_id, "task"), severity="warning"))
    status = "todo" if task.status == "done" else "done"
    what = f"{'reopen' if status == 'todo' else 'finish'} “{task.title}”"
    return await editor.run(what, goal, task_service.move_task, task_id, task.version, status)


KR_FLOWS: dict[str, Callable[[Host, TreeEditor, int, Any], Awaitable[Outcome | None]]] = {
    "edit": _kr_edit,
    "delete": _kr_delete,
}
MS_FLOWS: dict[str, Callable[[Host, TreeEditor, int, Any], Awaitable[Outcome | None]]] = {
    "edit": _ms_edit,
    "done": _ms_done,
    "delete": _ms_delete,
}


def milestone_fields(values: dict[str, str], today: Any) -> list[Field]:
    """The fields of a milestone (new or edited)."""
    return [
        Field("title", "Milestone", values.get("title", ""), required=True, check=clean_title),
        deadline_field(values.get("due", ""), today, name="due", label="Due"),
    ]


def _entity(kind: str) -> str:
    return {"kr": "key_result", "ms": "milestone", "task": "task"}[kind]


def _key_result_view(kr_id: int) -> tuple[int, KeyResultView] | None:
    """A key result as stored now, with its goal (database thread); None when gone."""
    try:
        info = key_result_info(kr_id)
    except NotFoundError:
        return None
    return info.goal_id, info.key_result


def _milestone_view(milestone_id: int) -> tuple[int, MilestoneView] | None:
    """A milestone as stored now, with its goal (database thread); None when gone."""
    try:
        found = milestone_view(milestone_id)
    except NotFoundError:
        return None
    return found.goal_id, found


def _milestone_count(goal_id: int) -> int:
    return len(milestones_of(goal_id))
