"""What the goals pane does with the parts of a goal: key results, milestones and the
tasks that hang off it. Each action re-reads the goal first and says so when the part
is gone; refusals are known before any form opens."""

from __future__ import annotations

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
from okrate_tui.core.writes import with_op
from okrate_tui.ui.format import plain_number
from okrate_tui.ui.forms.fields import deadline_field
from okrate_tui.ui.forms.form import Field, Watch
from okrate_tui.ui.guard import closed_refusal
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


class GoalParts:
    """Mixed into the goals pane: the part list's keys land here."""

    # --- refusals -----------------------------------------------------------------------

    def part_refusal(self, action: str, kind: str, ident: int | None) -> str | None:
        """Why the actor may not take ``action`` on a part of the selected goal."""
        pane: Any = self
        if action == "part_history" or (kind == "task" and action in ("part_open", "part_history")):
            return None
        closed = closed_refusal(pane.okrate.session)
        if closed is not None or kind == "task":
            return closed
        verb = PART_VERBS.get((action, kind), f"change the {NOUNS[kind]}s of")
        return pane.goal_refusal_for(verb) if verb else None

    # --- dispatch -----------------------------------------------------------------------

    def part_action(self, action: str, kind: str, ident: int | None) -> None:
        pane: Any = self
        if pane.part_refusal(action, kind, ident):
            pane.notify(pane.part_refusal(action, kind, ident), title="Not allowed", severity="warning")
            return
        if action == "part_add":
            {"kr": pane.action_add_key_result, "ms": pane.action_add_milestone, "task": pane.action_new_task}[kind]()
        elif action == "part_check_in":
            pane.action_check_in()
        elif ident is None:
            return
        elif kind == "task":
            pane.run_worker(self._task_action(action, ident), group="goals-task")
        else:
            pane.run_worker(self._part(action, kind, ident), group="goals-part")

    async def _part(self, action: str, kind: str, ident: int) -> None:
        """Re-read the part (only it, not the whole goal), then act on what is stored now."""
        pane: Any = self
        reader = _key_result_view if kind == "kr" else _milestone_view
        try:
            found = await pane.okrate.db.read(reader, ident)
        except OkrateError as exc:
            pane.notify(str(exc), severity="error")
            return
        if found is None:
            pane.notify(pane.okrate.session.gone_sentence(_entity(kind), ident, NOUNS[kind]), severity="warning")
            pane._refresh_detail(force=True)
            return
        goal, part = found
        handler = getattr(self, f"_{kind}_{action.removeprefix('part_')}", None)
        if handler is not None:
            await handler(goal, part)

    # --- key results ----------------------------------------------------------------------

    async def _kr_edit(self, goal: int, kr: KeyResultView) -> None:
        pane: Any = self
        app = pane.okrate
        initial = key_result_values(kr)

        async def reread() -> tuple[dict[str, str], int | None]:
            fresh = await app.db.read(_key_result_view, kr.id)
            return (key_result_values(fresh[1]), fresh[1].version) if fresh else ({}, None)

        watch = Watch("key_result", kr.id, kr.version, reread, noun="key result")

        async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
            changes = {k: v for k, v in values.items() if v != initial.get(k)}
            if "direction" in changes and not changes["direction"]:
                del changes["direction"]
            return await app.db.write(
                with_op, kr_service.update_key_result, app.session.actor, kr.id, watch.version, **changes
            )

        pane._form(
            f"Edit the key result “{kr.title}”",
            key_result_fields(initial),
            submit,
            lambda r: f"edit the key result “{r.title}”",
            lambda r: goal,
            watch=watch,
        )

    async def _kr_delete(self, goal: int, kr: KeyResultView) -> None:
        pane: Any = self
        verb = "Restore" if kr.archived else "Archive"
        why = (
            "It counts in the goal's progress again."
            if kr.archived
            else "It leaves the goal's progress but keeps its check-ins; d again restores it."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                pane.run_worker(
                    pane._run(
                        f"{verb.lower()} the key result “{kr.title}”",
                        goal,
                        kr_service.archive_key_result,
                        kr.id,
                        kr.version,
                        not kr.archived,
                    ),
                    group="goals-save",
                )

        pane.app.push_screen(
            ConfirmScreen(f"{verb} the key result “{kr.title}”?", why, watch=("key_result", kr.id)), answer
        )

    async def _kr_history(self, goal: int, kr: KeyResultView) -> None:
        pane: Any = self
        pane.app.push_screen(CheckInsScreen(kr.id, kr.title, pane.goal_refusal_for("correct check-ins on")))

    # --- milestones -------------------------------------------------------------------------

    async def _ms_edit(self, goal: int, m: MilestoneView) -> None:
        pane: Any = self
        app = pane.okrate
        initial = milestone_values(m)
        today = clock.today()
        version = m.version

        async def reread() -> tuple[dict[str, str], int | None]:
            fresh = await app.db.read(_milestone_view, m.id)
            return (milestone_values(fresh[1]), fresh[1].version) if fresh else ({}, None)

        watch = Watch("milestone", m.id, version, reread, noun="milestone")

        async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
            changes: dict[str, Any] = {k: v for k, v in values.items() if v != initial.get(k)}
            if "due" in changes:
                changes["due"] = parse_deadline(changes["due"], today)
            return await app.db.write(
                with_op, milestone_service.edit_milestone, app.session.actor, m.id, watch.version, **changes
            )

        pane._form(
            f"Edit the milestone “{m.title}”",
            milestone_fields(initial, today),
            submit,
            lambda r: f"edit the milestone “{r.title}”",
            lambda r: goal,
            watch=watch,
        )

    async def _ms_done(self, goal: int, m: MilestoneView) -> None:
        pane: Any = self
        what = f"mark “{m.title}” {'not done' if m.done else 'done'}"
        await pane._run(what, goal, milestone_service.set_milestone_done, m.id, m.version, not m.done)

    async def _ms_up(self, goal: int, m: MilestoneView) -> None:
        await self._ms_move(goal, m, -1)

    async def _ms_down(self, goal: int, m: MilestoneView) -> None:
        await self._ms_move(goal, m, 1)

    async def _ms_move(self, goal: int, m: MilestoneView, step: int) -> None:
        pane: Any = self
        if (step < 0 and m.order <= 1) or (step > 0 and m.order >= await pane.okrate.db.read(_milestone_count, goal)):
            pane.notify(f"“{m.title}” is {'first' if step < 0 else 'last'} already.")
            return
        what = f"move “{m.title}” {'up' if step < 0 else 'down'}"
        await pane._run(what, goal, milestone_service.move_milestone, m.id, m.version, step)

    async def _ms_delete(self, goal: int, m: MilestoneView) -> None:
        pane: Any = self

        def answer(yes: bool | None) -> None:
            if yes:
                pane.run_worker(
                    pane._run(
                        f"delete the milestone “{m.title}”",
                        goal,
                        milestone_service.delete_milestone,
                        m.id,
                        m.version,
                    ),
                    group="goals-save",
                )

        pane.app.push_screen(
            ConfirmScreen(
                f"Delete the milestone “{m.title}”?",
                "Its tasks stay with the goal; u undoes.",
                watch=("milestone", m.id),
            ),
            answer,
        )

    # --- tasks ------------------------------------------------------------------------------

    async def _task_action(self, action: str, task_id: int) -> None:
        pane: Any = self
        if action == "part_done":
            app = pane.okrate
            try:
                task = await app.db.read(task_detail, task_id)
            except OkrateError:
                pane.notify(app.session.gone_sentence("task", task_id, "task"), severity="warning")
                return
            status = "todo" if task.status == "done" else "done"
            what = f"{'reopen' if status == 'todo' else 'finish'} “{task.title}”"
            await pane._run(what, pane.selected, task_service.move_task, task_id, task.version, status)
            return
        board = await pane.screen.pane("board")
        if action == "part_edit":
            board.open_card(task_id, edit=True)
        elif action == "part_open":
            board.open_card(task_id)


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
