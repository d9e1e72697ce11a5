"""What the session reads on the database thread: everything at start-up, a board scope
when it is opened, and after each change signal only what the change log names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from okrate_tui.core.changes import ChangeBatch, latest_id, read_changes
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


def read_board(scope: BoardScope, cycle_id: int, actor_id: int, today: date) -> Refresh:
    """A board scope read whole, with the names its cards show."""
    return Refresh(
        labels=cards.load_labels(cycle_id),
        board=(scope, cards.load_cards(scope, cycle_id), cards.next_cards(actor_id, cycle_id, today)),
        cycle_id=cycle_id,
    )


def read_everything(wants: Wants) -> Refresh:
    """Every piece the session holds, read afresh (start-up of a view, an outage ended)."""
    refresh = Refresh(full=True, cycle_id=wants.cycle_id)
    refresh.batch = ChangeBatch([], latest_id())
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
    if not batch.rows:
        return refresh
    entities = batch.entities()
    if entities & {"person", "team"}:
        _people(refresh, wants)
    if "cycle" in entities:
        refresh.cycles = org.cycles()
    if wants.cycle_id is None:
        return refresh
    structure = any(r.entity == "goal" and r.field in STRUCTURE for r in batch.rows)
    goal_edits = batch.ids("goal")
    task_ids = batch.ids("task")
    if goal_edits and wants.board is not None:
        refresh.labels = cards.load_labels(wants.cycle_id)
    if task_ids and wants.board is not None:
        refresh.cards = cards.cards_by_id(task_ids, wants.cycle_id)
    if not wants.tree:
        return refresh
    if structure:
        refresh.tree = load_tree(wants.cycle_id, wants.today)
        return refresh
    touched_parts = goals_of_parts(
        key_results=batch.ids("key_result"), milestones=batch.ids("milestone"), check_ins=batch.ids("check_in")
    )
    work_goals: set[int] = set()
    if task_ids:
        for row in batch.rows:
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
