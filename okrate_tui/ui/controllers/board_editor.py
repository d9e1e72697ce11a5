"""Changing cards on the board, with no widgets: a change shows at once (laid over the
card until it is saved), is saved through the services, and when it is refused the card
shows as stored and a sentence says why, naming who changed it when someone did.
Quick add, the edit form's save and undo go through here too.

The view asks the editor and draws what it answers: the columns a change touched and
a :class:`Notice` to show.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.errors import ConflictError, NotFoundError, OkrateError
from okrate_tui.core.queries import board as data
from okrate_tui.core.queries.board import BoardScope, Card
from okrate_tui.core.queries.scopes import SCOPE_KEY, scope_text
from okrate_tui.core.rules.ranking import next_reason
from okrate_tui.core.services import tasks as task_service
from okrate_tui.core.services.preferences import remember
from okrate_tui.core.vocab import TASK_STATUS_LABELS, TASK_STATUSES
from okrate_tui.core.writes import with_op
from okrate_tui.ui.controllers.outcome import Notice, Outcome
from okrate_tui.ui.controllers.writer import UndoingWriter
from okrate_tui.ui.models.board import BoardModel
from okrate_tui.ui.models.edits import BoardView, Change, Edit
from okrate_tui.ui.store.cards import Pending, card_values
from okrate_tui.ui.store.gateway import Gateway
from okrate_tui.ui.store.reader import read_board
from okrate_tui.ui.store.session import Session

SERVICES: Mapping[Change, Callable[..., Any]] = {
    Change.MOVE: task_service.move_task,
    Change.REORDER: task_service.reorder_task,
    Change.EDIT: task_service.edit_task,
    Change.DELETE: task_service.delete_task,
}


@dataclass(frozen=True)
class Shown:
    """A change on screen, on its way to the database."""

    edit: Edit
    layer: Pending
    seen: int  # the version the change was made on


class Versions:
    """The version each card's next save expects. Saves run one after another on the
    database thread, each expecting the version the one before left, so quick successive
    changes of one card never clash; the event loop forgets a card after a refusal."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[int, int] = {}

    def expected(self, task_id: int, seen: int, picked: bool) -> int:
        """A picker's choice expects the version it was made on; any other change the
        newest this session has seen."""
        if picked:
            return seen
        with self._lock:
            return max(self._next.get(task_id, 0), seen)

    def saved(self, task_id: int, version: int) -> None:
        with self._lock:
            self._next[task_id] = version

    def forget(self, task_id: int) -> None:
        with self._lock:
            self._next.pop(task_id, None)


class BoardEditor(UndoingWriter):
    """Optimistic changes, saves, refusals explained, versions and undo for one board."""

    def __init__(
        self,
        session: Session,
        db: Gateway,
        model: BoardModel,
        catch_up: Callable[[], Awaitable[None]],
    ) -> None:
        super().__init__(session, db, model.undo, catch_up)
        self.model = model
        self.versions = Versions()
        self.saving = 0  # changes shown and on their way to the database

    @property
    def undoable(self) -> int:
        """Changes that ``u`` can take back, those still on their way included."""
        return len(self.model.undo) + self.saving

    def next_place(self, task_id: int, goal_id: int, deadline: date | None, priority: str | None) -> str:
        """Where the task stands in the actor's Next and why (empty when it is not there)."""
        ids = self.session.cards.next_ids
        if task_id not in ids:
            return ""
        reason = next_reason(deadline, priority, clock.today(), self.session.standing(goal_id))
        return f"{ids.index(task_id) + 1} of {len(ids)} in your Next: {reason}"

    def title(self, task_id: int) -> str:
        card = self.session.cards.get(task_id)
        return card.title if card is not None else f"task {task_id}"

    def gone(self, task_id: int) -> Notice | None:
        """A sentence when the task is no longer there (a picker or form stood open)."""
        if self.session.cards.get(task_id) is not None:
            return None
        return Notice(self.session.gone_sentence("task", task_id, "task"), severity="warning")

    def moved_sentence(self, was: int, now: int) -> str:
        """Someone else's change took the selected card away: what happened, and where
        the selection went."""
        session = self.session
        card = session.cards.get(was)
        if card is None:
            happened = session.gone_sentence("task", was, "task").rstrip(".")
            what = f"The task you had selected is gone ({happened[0].lower()}{happened[1:]})"
        else:
            where = TASK_STATUS_LABELS.get(card.status, card.status)
            what = f"“{card.title}” was changed by someone else and is now in {where}"
        return f"{what}; the selection is on “{self.title(now)}”. Press the key again to act on it."

    # --- a change: shown, then saved ------------------------------------------------

    def show(self, edit: Edit) -> tuple[Shown, set[str]] | Notice:
        """Lay ``edit`` over its card; the columns to redraw, or why nothing changed."""
        cards = self.session.cards
        card = cards.get(edit.task_id)
        layer = cards.begin(edit.task_id, edit.changes) if card is not None else None
        if card is None or layer is None:
            return Notice(self.session.gone_sentence("task", edit.task_id, "task"), severity="warning")
        self.saving += 1  # counted in "u undoes (n)" at once, so the save repaints nothing more
        touched = self.model.place(edit.task_id, follow=True) | {TASK_STATUSES[self.model.col]}
        return Shown(edit, layer, card.version if edit.seen is None else edit.seen), touched

    def show_delete(self, task_id: int) -> tuple[Shown, set[str]] | Notice:
        """Take the card off the board at once; the delete is saved next."""
        cards = self.session.cards
        card = cards.get(task_id)
        layer = cards.begin(task_id, {}) if card is not None else None
        if card is None or layer is None:
            return Notice(self.session.gone_sentence("task", task_id, "task"), severity="warning")
        self.saving += 1
        cards.forget(task_id)
        touched = self.model.take(set(), {task_id}, follow=False) | {TASK_STATUSES[self.model.col]}
        return Shown(Edit(task_id, {}, f"delete “{card.title}”", Change.DELETE), layer, card.version), touched

    async def save_shown(self, shown: Shown) -> Outcome:
        """Save a change already on screen; on a refusal show the card as stored."""
        edit, session = shown.edit, self.session
        service, actor, versions = SERVICES[edit.service], session.actor, self.versions

        def run() -> tuple[Any, str | None]:  # on the database thread, after the saves queued before it
            expected = versions.expected(edit.task_id, shown.seen, edit.seen is not None)
            result, op = with_op(service, actor, edit.task_id, expected, **edit.args)
            if result is not None and hasattr(result, "version"):
                versions.saved(edit.task_id, result.version)
            return result, op

        try:
            result, op = await self.db.write(run)
        except OkrateError as exc:
            self.saving -= 1
            versions.forget(edit.task_id)
            return await self._refused(shown, exc)
        self.saving -= 1
        if op:
            session.own_ops.add(op)
            self.model.undo.push(op, edit.what, edit.task_id)
        deleted = edit.service is Change.DELETE
        session.cards.settle(edit.task_id, shown.layer, None if deleted or result is None else card_values(result))
        touched = set() if deleted else self.model.place(edit.task_id, follow=False)
        if self.model.view is BoardView.NEXT:
            session.cards.rank(clock.today())
            return Outcome(None)
        return Outcome(touched)

    async def _refused(self, shown: Shown, exc: OkrateError) -> Outcome:
        edit, session = shown.edit, self.session
        try:
            stored: Card | None = await self.db.read(data.load_card, edit.task_id)
        except OkrateError:
            stored = None if isinstance(exc, NotFoundError) else session.cards.get(edit.task_id)
            if stored is not None:
                stored = _with(stored, shown.layer.before)
        session.cards.revert(edit.task_id, shown.layer, stored)
        if stored is not None and session.actor is not None:  # back on the board if it left it (a refused delete)
            session.cards.take({edit.task_id: stored}, session.member(), session.actor.id, clock.today())
        touched = self.model.place(edit.task_id, follow=False) | {TASK_STATUSES[self.model.col]}
        notice = Notice(self.explain(exc, edit.task_id), title=f"Not saved: {edit.what}", severity="error", timeout=10)
        return Outcome(touched, notice)

    def explain(self, exc: OkrateError, task_id: int) -> str:
        """Why a save was refused, in a sentence that names who changed the task."""
        session = self.session
        if isinstance(exc, NotFoundError):
            return session.gone_sentence("task", task_id, "task")
        if isinstance(exc, ConflictError):
            touch = session.who_changed("task", task_id)
            who = touch.who() if touch is not None and not touch.local else "someone else"
            fields = ", ".join(f for f in exc.fields if not f.startswith("@"))
            return f"It was changed by {who} meanwhile ({fields}); the card shows what is stored now."
        return str(exc)

    # --- undo -----------------------------------------------------------------------

    async def undo(self, nothing: str = "Nothing to undo.") -> Outcome:
        """Undo the newest change (saves already on their way land, and become
        undoable, first); the selection goes to the card it changed."""
        await self.db.read(lambda: None)
        return await super().undo(nothing)

    # --- forms and quick add --------------------------------------------------------

    async def save_form(self, task_id: int, version: int | None, changes: dict[str, Any]) -> tuple[Any, str | None]:
        """The edit form's save (refusals go back to the form, which shows them)."""
        return await self.save(task_service.edit_task, task_id, version, **changes)

    async def after_form(self, task_id: int, record: Any, op: str | None) -> Outcome:
        """The form saved: undo learns of it and the card is read again."""
        self.landed(op, f"edit “{record.title}”", task_id)
        try:
            return Outcome(await self._reread(task_id, follow=True) or None)
        except OkrateError:
            return Outcome(set())  # saved; the card follows once the board can be read again

    async def add(
        self,
        title: str,
        goal: int,
        milestone: int | None,
        owner: str | None,
        priority: str | None,
        deadline: date | None,
    ) -> Outcome:
        """Quick add: save the task, then show it (and select it)."""
        session = self.session
        try:
            task, op = await self.save(
                task_service.create_task,
                title,
                goal=goal,
                milestone=milestone,
                owner=owner,
                priority=priority,
                deadline=deadline,
            )
        except OkrateError as exc:
            return Outcome(set(), Notice(str(exc), title="Not added", severity="error", timeout=10))
        self.landed(op, f"add “{task.title}”", task.id)
        was = TASK_STATUSES[self.model.col]  # the selection leaves this column's card
        try:
            touched = await self._reread(task.id, follow=True)
        except OkrateError as exc:  # saved, but not read back: it shows once the database is back
            text = f"Added “{task.title}”; it shows once the board can be read again ({exc})."
            return Outcome(set(), Notice(text, timeout=10))
        notice = None
        if task.id not in session.cards.in_scope:
            notice = Notice(f"Added “{task.title}” (outside this scope: s changes scope).")
        return Outcome(touched | {was}, notice)

    async def _reread(self, task_id: int, *, follow: bool) -> set[str]:
        session = self.session
        if session.cycle is None or session.actor is None:
            return set()
        fresh = await self.db.read(data.cards_by_id, {task_id}, session.cycle.id)
        changed, removed = session.cards.take(fresh, session.member(), session.actor.id, clock.today())
        return self.model.take(changed, removed, follow=follow)

    # --- reading --------------------------------------------------------------------

    async def read(self, scope: BoardScope, keep: int | None) -> Notice | None:
        """Read a scope whole into the session (the views hear of it); select ``keep``."""
        session = self.session
        if session.cycle is None or session.actor is None:
            return None
        try:
            refresh = await self.db.read(read_board, scope, session.cycle.id, session.actor.id, clock.today())
        except OkrateError as exc:
            return Notice(str(exc), title="The board was not read", severity="error", timeout=10)
        keep = keep if keep is not None else self.model.current()
        session.apply(refresh)
        if keep is not None:
            self.model.select(keep)
        return None

    async def milestones(self) -> list[tuple[int, int, str]]:
        """The cycle's milestones as (id, goal id, title), for the pickers."""
        cycle = self.session.cycle
        return [] if cycle is None else await self.db.read(data.milestone_titles, cycle.id)

    async def remember_scope(self, scope: BoardScope) -> None:
        """The person's next session opens on this scope (only a convenience: never worth a message)."""
        try:
            await self.call(remember, SCOPE_KEY, scope_text(scope))
        except OkrateError:
            return


def _with(card: Card, values: dict[str, Any]) -> Card:
    """A copy of ``card`` with ``values`` (how it stood before a refused change)."""
    copy = Card(**{name: getattr(card, name) for name in Card.__slots__ if name != "search"})
    for name, value in values.items():
        setattr(copy, name, value)
    return copy
