"""What the session reads on the database thread: everything at start-up, a board scope
when it is opened, and after each change signal only what the change log names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from okrate_tui.core.changes import ChangeBatch, changes_between, latest_id, read_changes
from okrate_tui.core.queries import board as cards
from okrate_tui.core.queries import org
from okrate_tui.core.queries.board import BoardScope
from okrate_tui.core.queries.tree import goals_of_parts, load_tree, tree_patch
from okrate_tui.ui.store.session import Refresh

# Goal fields whose change moves goals around or changes a parent's weights: the whole
# tree is read again. Any other goal field is patched in place.
STRUCTURE = frozenset({"parent", "archived", "weight", "cycle", "@create", "@delete", "@restore"})


@dataclass(frozen=True)
class Wants:
    """What this session holds, so a refresh reads only what it shows."""

    seen: int
    actor_id: int | None
    cycle_id: int | None
    today: date
    tree: bool  # a goal tree is held: keep it current
    board: BoardScope | None  # cards are held for this scope
    gaps: dict[int, float] = field(default_factory=dict)
    full: bool = False  # read everything afresh (after an outage)
    tree_since: int | None = None  # the change id the held tree is known to show
    cards_since: int | None = None  # the same for the held cards

    @property
    def behind(self) -> int | None:
        """The earliest change a held view may not show yet (it was read whole while
        later changes were being taken), or None when every view is up to ``seen``."""
        marks = (self.tree_since if self.tree else None, self.cards_since if self.board is not None else None)
        lagging = [m for m in marks if m is not None and m < self.seen]
        return min(lagging) if lagging else None


def read_board(scope: BoardScope, cycle_id: int, actor_id: int, today: date) -> Refresh:
    """A board scope read whole, with the names its cards show."""
    as_of = latest_id()  # first: the cards read after it show at least this much
    return Refresh(
        labels=cards.load_labels(cycle_id),
        board=(scope, cards.load_cards(scope, cycle_id), cards.next_cards(actor_id, cycle_id, today)),
        cycle_id=cycle_id,
        as_of=as_of,
    )


def read_tree(cycle_id: int, today: date) -> Refresh:
    """A cycle's goal tree read whole."""
    as_of = latest_id()
    return Refresh(tree=load_tree(cycle_id, today), cycle_id=cycle_id, as_of=as_of)


def read_everything(wants: Wants) -> Refresh:
    """Every piece the session holds, read afresh (start-up of a view, an outage ended)."""
    refresh = Refresh(full=True, cycle_id=wants.cycle_id)
    refresh.batch = ChangeBatch([], latest_id())
    refresh.as_of = refresh.batch.latest
    _people(refresh, wants)
    refresh.cycles = org.cycles()
    if wants.cycle_id is not None:
        if wants.tree:
            refresh.tree = load_tree(wants.cycle_id, wants.today)
        if wants.board is not None and wants.actor_id is not None:
            board = read_board(wants.board, wants.cycle_id, wants.actor_id, wants.today)
            refresh.labels, refresh.board = board.labels, board.board
    return refresh


def read_refresh(wants: Wants) -> Refresh:
    """What changed since ``wants.seen``, and fresh copies of what it names."""
    if wants.full:
        return read_everything(wants)
    batch = read_changes(wants.seen, wants.gaps)
    if batch.overflow:
        return read_everything(wants)
    refresh = Refresh(batch=batch, cycle_id=wants.cycle_id)
    # A view read whole while earlier changes were being taken may not show them: they
    # count for what is read again, though only the batch's own rows are news.
    behind = wants.behind
    since = wants.seen if behind is None else behind
    changed = batch if behind is None else ChangeBatch([*changes_between(behind, wants.seen), *batch.rows], 0)
    refresh.tree_from = since if wants.tree else None
    refresh.cards_from = since if wants.board is not None else None
    if not changed.rows:
        return refresh
    entities = changed.entities()
    if entities & {"person", "team"}:
        _people(refresh, wants)
    if "cycle" in entities:
        refresh.cycles = org.cycles()
    if wants.cycle_id is None:
        return refresh
    structure = any(r.entity == "goal" and r.field in STRUCTURE for r in changed.rows)
    goal_edits = changed.ids("goal")
    task_ids = changed.ids("task")
    if (goal_edits or changed.ids("milestone")) and wants.board is not None:
        refresh.labels = cards.load_labels(wants.cycle_id)
    if task_ids and wants.board is not None:
        refresh.cards = cards.cards_by_id(task_ids, wants.cycle_id)
    if not wants.tree:
        return refresh
    if structure:
        refresh.tree = load_tree(wants.cycle_id, wants.today)
        return refresh
    touched_parts = goals_of_parts(
        key_results=changed.ids("key_result"), milestones=changed.ids("milestone"), check_ins=changed.ids("check_in")
    )
    work_goals: set[int] = set()
    if task_ids:
        for row in changed.rows:
            if row.entity != "task":
                continue
            if row.field == "goal" and row.old:
                work_goals.add(int(row.old))
            if row.field == "milestone":
                touched_parts |= goals_of_parts(milestones={int(v) for v in (row.old, row.new) if v})
            goal, milestone = row.deleted("goal"), row.deleted("milestone")
            if goal is not None:
                work_goals.add(goal)
            if milestone is not None:
                touched_parts |= goals_of_parts(milestones={milestone})
        found, milestone_goals = cards.task_goals(task_ids)
        work_goals |= found
        touched_parts |= milestone_goals
    if goal_edits or touched_parts or work_goals:
        refresh.tree_goals = tree_patch(
            wants.cycle_id, wants.today, info=goal_edits, parts=touched_parts, work=work_goals
        )
    return refresh


def _people(refresh: Refresh, wants: Wants) -> None:
    refresh.people = org.people(active_only=False)
    refresh.teams = org.teams()
    if wants.actor_id is not None:
        refresh.actor = org.person_row(wants.actor_id)
