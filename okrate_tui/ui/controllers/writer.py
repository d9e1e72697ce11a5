"""Writes from the views, with no widgets: each runs one service as the session's own
actor (proven at start-up, never chosen by a view), in one short transaction on the
database thread, and is remembered as this session's own change (so the change log
does not announce it back as someone else's)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from okrate_tui.core.errors import ConflictError, OkrateError
from okrate_tui.core.services.undo import undo_op
from okrate_tui.core.writes import with_op
from okrate_tui.ui.controllers.outcome import Notice, Outcome
from okrate_tui.ui.models.undo import UndoStack
from okrate_tui.ui.store.gateway import Gateway
from okrate_tui.ui.store.session import Session


class Writer:
    """Runs services as the acting person."""

    def __init__(self, session: Session, db: Gateway) -> None:
        self.session = session
        self.db = db

    async def save(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
        """``service(actor, *args, **kwargs)`` in one transaction: its result and the
        operation id that undoes it. Refusals (OkrateError) go to the caller."""
        result, op = await self.db.write(with_op, service, self.session.actor, *args, **kwargs)
        if op:
            self.session.own_ops.add(op)
        return result, op

    async def call(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A service that writes but needs no undo (a review's text, a meeting's note)."""
        return await self.db.write(service, self.session.actor, *args, **kwargs)


class UndoingWriter(Writer):
    """A writer whose changes a view can undo, newest first."""

    def __init__(self, session: Session, db: Gateway, undo: UndoStack, catch_up: Callable[[], Awaitable[None]]) -> None:
        super().__init__(session, db)
        self.undo_stack = undo
        self.catch_up = catch_up  # read what changed at once, so the view shows it

    def landed(self, op: str | None, what: str, target: int | None) -> None:
        """A change saved elsewhere (a form's own save) becomes undoable."""
        if op:
            self.session.own_ops.add(op)
            self.undo_stack.push(op, what, target)

    async def undo(self, nothing: str = "Nothing to undo.") -> Outcome:
        """Undo the newest change; the view then selects the record it changed."""
        entry = self.undo_stack.pop()
        if entry is None:
            return Outcome(set(), Notice(nothing))
        try:
            await self.db.write(undo_op, self.session.actor, entry.op)
        except OkrateError as exc:
            why = f"{exc.plain()}: undoing would overwrite it." if isinstance(exc, ConflictError) else str(exc)
            return Outcome(set(), Notice(why, title=f"Cannot undo: {entry.what}", severity="error", timeout=10))
        await self.catch_up()
        return Outcome(None, Notice(f"Undone: {entry.what}"), entry.target)
