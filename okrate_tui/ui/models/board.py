"""The board as a plain model: columns of task ids, the filter, the selection, the Next
view and undo. It reads cards from the session's :class:`CardSet` and never holds them,
so a card changed or deleted underneath (by anyone) is simply read again."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import overload

from okrate_tui.core.queries import board as data
from okrate_tui.core.queries.board import Card, Labels
from okrate_tui.core.vocab import TASK_STATUS_LABELS, TASK_STATUSES
from okrate_tui.ui.models.edits import BoardView, Change, Edit
from okrate_tui.ui.models.undo import UndoStack
from okrate_tui.ui.models.workload import Workload
from okrate_tui.ui.store.cards import CardSet

PRIORITY_CYCLE = (None, "low", "medium", "high", "critical")
RANK_LIMIT = 5_000  # up to this many matches stand best first; more keep the board's order


class ColumnCards(Sequence[Card | None]):
    """A column's cards looked up by id as they are drawn: a 20,000-card column costs
    what the rows on screen cost, whatever its length. A card the store no longer holds
    (between a fresh read and the columns following it) reads as None."""

    def __init__(self, ids: list[int], lookup: Callable[[int], Card | None]):
        self._ids = ids
        self._lookup = lookup

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Card | None: ...
    @overload
    def __getitem__(self, index: slice) -> list[Card | None]: ...
    def __getitem__(self, index: int | slice) -> Card | list[Card | None] | None:
        if isinstance(index, slice):
            return [self._lookup(i) for i in self._ids[index]]
        return self._lookup(self._ids[index])


class BoardModel:
    """Columns To do, Doing, Blocked and Done (or the ranked Next list) over a CardSet.

    Under a filter with words, each column shows its best matches first (exact, whole
    word, word start, part, initials; the board's order among equals), as long as there
    are at most :data:`RANK_LIMIT` matches: typing on narrows them down to that."""

    def __init__(
        self,
        cards: CardSet,
        labels: Callable[[], Labels],
        today: Callable[[], date],
        me: Callable[[], str | None] = lambda: None,
    ):
        self.cards = cards
        self._labels = labels
        self._today = today
        self._me = me  # the handle "@me" stands for
        self.view = BoardView.BOARD
        self.filter_text = ""
        self.wanted = data.BoardFilter()
        self.ranked = False  # the filtered columns stand best match first
        self._tiers: dict[int, int] = {}  # when ranked: how well each shown card matches
        self.folded = False
        self.col = 0
        self.rows: dict[str, int] = dict.fromkeys(TASK_STATUSES, 0)
        self.next_row = 0
        self.columns: dict[str, list[int]] = {s: [] for s in TASK_STATUSES}
        self.undo = UndoStack()
        self.moved_from: int | None = None  # the card selected before someone else's change took it away
        self.before_done: dict[int, str] = {}
        self._base: dict[str, list[int]] = self.columns  # every card of the scope, in board order
        self._base_where: dict[int, str] = {}
        self._where: dict[int, str] = self._base_where  # task id -> the column it stands in
        self.load = Workload()  # the workload line, kept as cards change

    # --- reading ---------------------------------------------------------------------

    @property
    def labels(self) -> Labels:
        return self._labels()

    def card(self, task_id: int | None) -> Card | None:
        return self.cards.get(task_id)

    def column_cards(self, status: str) -> ColumnCards:
        return ColumnCards(self.columns[status], self.cards.get)

    def next_cards(self) -> list[Card]:
        return [c for c in (self.cards.get(i) for i in self.cards.next_ids) if c is not None]

    def shown(self) -> int:
        return sum(len(ids) for ids in self.columns.values())

    def current(self) -> int | None:
        """The id of the selected card (None when nothing is selected)."""
        if self.view is BoardView.NEXT:
            ids = self.cards.next_ids
            return ids[self.next_row] if 0 <= self.next_row < len(ids) else None
        status = TASK_STATUSES[self.col]
        if status == "done" and self.folded:
            return None
        ids = self.columns[status]
        index = self.rows[status]
        return ids[index] if 0 <= index < len(ids) else None

    def selected_row(self, status: str) -> int | None:
        if TASK_STATUSES[self.col] != status or not self.columns[status]:
            return None
        return self.rows[status]

    # --- building ----------------------------------------------------------------------

    def _rate(self, card: Card) -> int:
        return data.rater(self.wanted, self._today(), self.labels.handles)([card])[0]

    def rebuild(self, keep: int | None = None, *, typed: bool = False) -> None:
        """Lay the scope's cards out in board order, then apply the filter, keeping
        ``keep`` selected. ``typed``: only the filter changed, so the board order stands
        and a filter typed further looks only through the cards shown now."""
        if not typed:
            ordered = data.columns(self.cards.scoped(), lambda card: True)
            self._base = {s: [c.id for c in cards] for s, cards in ordered.items()}
            self._base_where = {task_id: status for status, ids in self._base.items() for task_id in ids}
            self.load.recount(self.cards, self._today())
        wanted = data.parse_filter(self.filter_text, self._today(), self._me())
        if wanted.empty:
            self.columns, self._where = self._base, self._base_where
            self.ranked, self._tiers = False, {}
        else:
            narrower = typed and self.columns is not self._base and data.narrower(self.wanted, wanted)
            self._filter(wanted, self.columns if narrower else self._base)
        self.wanted = wanted
        if keep is not None:
            self.select(keep)
        self.clamp()
        self._off_emptied_column()

    def _filter(self, wanted: data.BoardFilter, source: dict[str, list[int]]) -> None:
        """Show the cards of ``source`` the filter keeps, best matches first when ranked.
        ``source`` is in board order, or ranked (and then within the limit) itself."""
        rate = data.rater(wanted, self._today(), self.labels.handles)
        get = self.cards.by_id.get
        columns: dict[str, list[int]] = {}
        tiers: dict[str, list[int]] = {}
        for status, ids in source.items():  # plain lists of ints: nothing for the garbage collector
            cards = [card for i in ids if (card := get(i)) is not None]
            rated = rate(cards)
            columns[status] = [card.id for tier, card in zip(rated, cards, strict=True) if tier]
            tiers[status] = [tier for tier in rated if tier]
        self.ranked = bool(wanted.words) and sum(len(ids) for ids in columns.values()) <= RANK_LIMIT
        self._tiers = {}
        if self.ranked:
            for status, ids in columns.items():
                self._tiers.update(zip(ids, tiers[status], strict=True))
                order: _Order = _done_key if status == "done" else _open_key

                def ranked(i: int, order: _Order = order) -> tuple[int, _OrderKey]:
                    return (-self._tiers[i], order(get(i)))

                ids.sort(key=ranked)
        self.columns = columns
        self._where = {task_id: status for status, ids in columns.items() for task_id in ids}

    def set_filter(self, text: str) -> None:
        keep = self.current()
        self.filter_text = text
        self.rebuild(keep, typed=True)

    def clamp(self) -> None:
        for status in TASK_STATUSES:
            self.rows[status] = min(self.rows[status], max(len(self.columns[status]) - 1, 0))
        self.next_row = min(self.next_row, max(len(self.cards.next_ids) - 1, 0))

    def _off_emptied_column(self) -> None:
        """A filter or a move (anyone's) emptied the selected column: select in the
        nearest column with cards. (A column stepped into with h/l stays selected.)"""
        if self.view is BoardView.BOARD and not self.columns[TASK_STATUSES[self.col]]:
            shown = [col for col, status in enumerate(TASK_STATUSES) if self.columns[status]]
            if shown:
                self.col = min(shown, key=lambda col: abs(col - self.col))

    def select(self, task_id: int) -> bool:
        self.moved_from = None
        if self.view is BoardView.NEXT:
            if task_id in self.cards.next_ids:
                self.next_row = self.cards.next_ids.index(task_id)
                return True
            return False
        for col, status in enumerate(TASK_STATUSES):
            ids = self.columns[status]
            if task_id in ids:
                self.col, self.rows[status] = col, ids.index(task_id)
                return True
        return False

    # --- one card in its place --------------------------------------------------------------

    def place(self, task_id: int, *, follow: bool, remote: bool = False) -> set[str]:
        """Put one card where it now belongs. ``follow`` moves the selection to it (a change
        made here); otherwise the selected card stays selected, except that a card moved
        by someone else leaves the selection on its place rather than dragging it along.
        Returns the columns that changed."""
        keep = self.current()
        touched = self._take_out(task_id)
        card = self.cards.get(task_id)
        if card is not None and task_id in self.cards.in_scope:
            self._insert(self._base, self._base_where, card)
            if self.columns is self._base:
                touched.add(card.status)
            elif tier := self._rate(card):
                if self.ranked:
                    self._tiers[task_id] = tier
                self._insert(self.columns, self._where, card, ranked=self.ranked)
                touched.add(card.status)
        self.load.count(self.cards, task_id, self._today())
        if follow and self.view is BoardView.BOARD and card is not None and self._where.get(task_id) == card.status:
            self.select(task_id)
        elif keep is not None and not (remote and keep == task_id):
            self.select(keep)
        self.clamp()
        col = self.col
        if TASK_STATUSES[col] in touched:
            self._off_emptied_column()
            if self.col != col:  # the selection moved to another column: both titles change
                touched |= {TASK_STATUSES[col], TASK_STATUSES[self.col]}
        return touched

    def _insert(
        self, columns: dict[str, list[int]], where: dict[int, str], card: Card, *, ranked: bool = False
    ) -> None:
        ids = columns[card.status]
        order = _done_key if card.status == "done" else _open_key
        if ranked:
            tiers = self._tiers
            index = bisect.bisect_left(
                ids, (-tiers[card.id], order(card)), key=lambda i: (-tiers.get(i, 0), order(self.cards.get(i)))
            )
        else:
            index = bisect.bisect_left(ids, order(card), key=lambda i: order(self.cards.get(i)))
        ids.insert(index, card.id)
        where[card.id] = card.status

    def _take_out(self, task_id: int) -> set[str]:
        """Take a card out of the board order and, under a filter, out of what is shown."""
        filtered = self.columns is not self._base
        status = self._base_where.pop(task_id, None)
        if status is not None:
            index = self._base[status].index(task_id)
            del self._base[status][index]
            if not filtered:
                self._keep_place(status, index)
                return {status}
        status = self._where.pop(task_id, None) if filtered else None
        self._tiers.pop(task_id, None)
        if status is None:
            return set()
        index = self.columns[status].index(task_id)
        del self.columns[status][index]
        self._keep_place(status, index)
        return {status}

    def _keep_place(self, status: str, index: int) -> None:
        if TASK_STATUSES[self.col] == status and self.rows[status] > index:
            self.rows[status] -= 1  # the selected card keeps its place

    def take(
        self,
        changed: set[int] | frozenset[int],
        removed: set[int] | frozenset[int],
        *,
        follow: bool = False,
        elsewhere: bool = False,
    ) -> set[str]:
        """Changes from the store: re-place those cards (``follow``: made here, select
        them; otherwise made elsewhere). Returns the columns that changed.

        ``elsewhere``: made by someone else. When that takes the selected card away (gone,
        or moved out of its column) the selection lands on another card, and
        :attr:`moved_from` keeps the one it was on until the person moves it themselves."""
        before = self.current()
        touched: set[str] = set()
        for task_id in removed:
            touched |= self._take_out(task_id)
            self.load.count(self.cards, task_id, self._today())
        for task_id in changed:
            touched |= self.place(task_id, follow=follow, remote=not follow)
        self.clamp()
        if elsewhere and before is not None and self.current() != before:
            self.moved_from = before
        return touched

    # --- moving the selection ---------------------------------------------------------------

    def step_column(self, step: int) -> set[str]:
        self.moved_from = None
        if self.view is BoardView.NEXT:
            return set()
        before = TASK_STATUSES[self.col]
        self.col = max(0, min(self.col + step, len(TASK_STATUSES) - 1))
        return {before, TASK_STATUSES[self.col]}

    def step_row(self, step: int) -> bool:
        self.moved_from = None
        if self.view is BoardView.NEXT:
            count = len(self.cards.next_ids)
            new = max(0, min(self.next_row + step, count - 1)) if count else 0
            moved, self.next_row = new != self.next_row, new
            return moved
        status = TASK_STATUSES[self.col]
        count = len(self.columns[status])
        if not count:
            return False
        new = max(0, min(self.rows[status] + step, count - 1))
        moved, self.rows[status] = new != self.rows[status], new
        return moved

    def toggle_view(self) -> None:
        self.moved_from = None
        self.view = BoardView.BOARD if self.view is BoardView.NEXT else BoardView.NEXT
        self.clamp()

    # --- planning changes ----------------------------------------------------------------------

    def top_position(self, status: str) -> float:
        ids = self.columns[status]
        first = self.cards.get(ids[0]) if ids else None
        return first.position - 1.0 if first is not None else 0.0

    def plan_move(self, task_id: int, status: str, now: datetime, what: str | None = None) -> Edit:
        card = self.cards.get(task_id)
        assert card is not None
        changes = {
            "status": status,
            "position": self.top_position(status),
            "completed_at": now if status == "done" else None,
        }
        words = what or f"move “{card.title}” to {TASK_STATUS_LABELS[status]}"
        return Edit(task_id, changes, words, Change.MOVE, {"status": status})

    def plan_step(self, task_id: int, step: int, now: datetime) -> Edit | None:
        card = self.cards.get(task_id)
        if card is None:
            return None
        index = TASK_STATUSES.index(card.status) + step
        if not 0 <= index < len(TASK_STATUSES):
            return None
        return self.plan_move(task_id, TASK_STATUSES[index], now)

    def plan_done(self, task_id: int, now: datetime) -> Edit | None:
        card = self.cards.get(task_id)
        if card is None:
            return None
        if card.status == "done":
            back = self.before_done.pop(task_id, "todo")
            return self.plan_move(task_id, back, now, f"reopen “{card.title}” in {TASK_STATUS_LABELS[back]}")
        self.before_done[task_id] = card.status
        return self.plan_move(task_id, "done", now, f"finish “{card.title}”")

    def plan_reorder(self, task_id: int, step: int) -> Edit | str | None:
        """Up or down in its column: an Edit, a reason it cannot, or None at an end."""
        card = self.cards.get(task_id)
        if card is None or self.view is BoardView.NEXT:
            return None
        if card.status == "done":
            return "Done is ordered by when tasks were finished."
        if self.ranked:
            return "The search shows best matches first: clear it (esc) to reorder."
        ids = self.columns[card.status]
        if task_id not in ids:
            return None
        index = ids.index(task_id)
        target = index + step
        if not 0 <= target < len(ids):
            return None
        if step > 0:
            after = self.cards.get(ids[target])
            before = self.cards.get(ids[target + 1]) if target + 1 < len(ids) else None
        else:
            after = self.cards.get(ids[target - 1]) if target > 0 else None
            before = self.cards.get(ids[target])
        if after is not None:
            low = after.position
        elif before is not None:
            low = before.position - 2.0
        else:
            return None  # neither neighbour is on the board any more
        high = before.position if before else low + 2.0
        return Edit(
            task_id,
            {"position": (low + high) / 2},
            f"reorder “{card.title}”",
            Change.REORDER,
            {"after": after.id if after else None, "before": before.id if before else None},
        )

    def plan_priority(self, task_id: int) -> Edit | None:
        card = self.cards.get(task_id)
        if card is None:
            return None
        value = PRIORITY_CYCLE[(PRIORITY_CYCLE.index(card.priority) + 1) % len(PRIORITY_CYCLE)]
        return Edit(
            task_id,
            {"priority": value},
            f"set the priority of “{card.title}” to {value or 'none'}",
            Change.EDIT,
            {"priority": value},
        )

    # --- what a line above the columns says --------------------------------------------------

    def plan(self, name: str, task_id: int, now: datetime) -> Edit | str | None:
        """The change a key names for a card: ``done``, ``priority``, a step ``left`` or
        ``right`` (between columns), ``up`` or ``down`` (within one)."""
        if name == "done":
            return self.plan_done(task_id, now)
        if name == "priority":
            return self.plan_priority(task_id)
        if name in ("left", "right"):
            return self.plan_step(task_id, -1 if name == "left" else 1, now)
        return self.plan_reorder(task_id, -1 if name == "up" else 1)

    def counts(self) -> tuple[int, int]:
        return self.shown(), len(self.cards.in_scope)

    def workload(self) -> list[tuple[int | None, int, int]]:
        """(owner id, open, overdue) per person in the scope, busiest first."""
        return self.load.rows()


def _open_key(card: Card | None) -> tuple[float, int]:
    return (card.position, card.id) if card is not None else (float("inf"), 0)


class _Newest:
    """Sorts Done newest first (a reversed key for bisect)."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[datetime, int]) -> None:
        self.key = key

    def __lt__(self, other: _Newest) -> bool:
        return other.key < self.key


def _done_key(card: Card | None) -> _Newest:
    if card is None:
        return _Newest((datetime.min, -1))
    return _Newest((card.completed_at or datetime.min, card.id))


_OrderKey = tuple[float, int] | _Newest  # a column's order: by position, or Done newest first
_Order = Callable[[Card | None], _OrderKey]
