"""Changing goals and their parts from the goal tree, with no widgets: each change runs
one service as the acting person, becomes undoable, and the tree reads what changed at
once; a refusal comes back as a sentence that says why."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.errors import ConflictError, NotFoundError, OkrateError
from okrate_tui.core.queries import details
from okrate_tui.ui.controllers.outcome import Notice, Outcome
from okrate_tui.ui.controllers.writer import UndoingWriter
from okrate_tui.ui.models.undo import UndoStack
from okrate_tui.ui.store.gateway import Gateway
from okrate_tui.ui.store.session import Session


class TreeEditor(UndoingWriter):
    """Saves, refusals and undo for the goal tree."""

    def __init__(self, session: Session, db: Gateway, undo: UndoStack, catch_up: Callable[[], Awaitable[None]]) -> None:
        super().__init__(session, db, undo, catch_up)

    def title(self, goal_id: int | None) -> str:
        tree = self.session.tree
        if goal_id is not None and tree is not None and goal_id in tree:
            return tree.line(goal_id).title
        return f"goal {goal_id}"

    async def run(
        self, what: str, focus: int | None, service: Callable[..., Any], *args: Any, changed: int | None = None
    ) -> Outcome:
        """Run a service; ``focus`` is where the cursor goes after it, ``changed`` the goal
        an undo goes back to (when that is another: an archived goal is hidden, its undo
        shows it again)."""
        try:
            _, op = await self.save(service, *args)
        except OkrateError as exc:
            await self.catch_up()
            return Outcome(
                None, Notice(self.explain(exc, focus), title=f"Not saved: {what}", severity="error", timeout=8)
            )
        self.landed(op, what, changed if changed is not None else focus)
        await self.catch_up()
        return Outcome(None, None, focus)

    async def form_saved(
        self, result: Any, what: Callable[[Any], str], focus: Callable[[Any], int | None]
    ) -> Outcome | None:
        """A form's save landed (``result``: the record and its operation), or the form
        was left (anything else)."""
        if not isinstance(result, tuple):
            return None
        record, op = result
        self.landed(op, what(record), focus(record))
        await self.catch_up()
        return Outcome(None, None, focus(record))

    def explain(self, exc: OkrateError, goal: int | None) -> str:
        if isinstance(exc, NotFoundError) and goal is not None:
            return self.session.gone_sentence("goal", goal, "goal")
        if isinstance(exc, ConflictError):
            return f"{exc.plain()}; the tree shows what is stored now."
        return str(exc)

    async def fresh(self, goal_id: int) -> details.GoalDetail | Notice:
        """The goal as it is stored now, or a sentence when it cannot be read."""
        try:
            return await self.db.read(details.goal_detail, goal_id, clock.today())
        except NotFoundError:
            return Notice(self.session.gone_sentence("goal", goal_id, "goal"), severity="warning")
        except OkrateError as exc:
            return Notice(str(exc), severity="error")
