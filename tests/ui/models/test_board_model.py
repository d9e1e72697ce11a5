"""The board model without Textual: columns of ids, selection, filters, optimistic changes
laid over fresh reads, and cards that vanish or change underneath."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from okrate_tui.core.queries.board import BoardScope, Card, Labels
from okrate_tui.ui.models.board import BoardModel, Edit
from okrate_tui.ui.store.cards import CardSet

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 12)
LABELS = Labels({1: "ana", 2: "ben"}, {10: "Grow", 11: "Ship"}, {10: None, 11: None})


def card(ident: int, status: str = "todo", position: float = 0.0, **values) -> Card:
    base = {
        "title": f"Task {ident}",
        "priority": "medium",
        "deadline": None,
        "owner_id": 1,
        "goal_id": 10,
        "completed_at": None,
        "version": 1,
        "objective": "",
    }
    base.update(values)
    return Card(
        ident,
        base["title"],
        status,
        base["priority"],
        base["deadline"],
        base["owner_id"],
        base["goal_id"],
        position,
        base["completed_at"],
        base["version"],
        base["objective"],
    )


def board(*cards: Card, ranked: tuple[Card, ...] = ()) -> BoardModel:
    store = CardSet()
    store.fill(BoardScope(), cards, ranked)
    model = BoardModel(store, lambda: LABELS, lambda: TODAY)
    model.rebuild()
    return model


def test_columns_hold_ids_in_board_order() -> None:
    model = board(
        card(1, position=2),
        card(2, position=1),
        card(3, "done", completed_at=datetime(2026, 11, 1)),
        card(4, "done", completed_at=datetime(2026, 11, 20)),
        card(5, "blocked"),
    )
    assert model.columns == {"todo": [2, 1], "doing": [], "blocked": [5], "done": [4, 3]}
    assert model.current() == 2
    assert model.counts() == (5, 5)


def test_a_local_move_takes_the_selection_with_it() -> None:
    model = board(card(1, position=1), card(2, position=2))
    edit = model.plan_step(1, 1, NOW)
    assert isinstance(edit, Edit) and edit.changes["status"] == "doing" and edit.service == "move"
    model.cards.begin(1, edit.changes)
    model.place(1, follow=True)
    assert model.columns["doing"] == [1] and model.current() == 1


def test_a_move_made_elsewhere_leaves_the_selection_in_place() -> None:
    model = board(card(1, position=1), card(2, position=2), card(3, position=3))
    model.step_row(1)
    assert model.current() == 2
    moved = card(2, "doing", position=-1)
    changed, removed = model.cards.take({2: moved}, lambda c: True, None, TODAY)
    model.take(changed, removed, follow=False)
    assert model.columns["todo"] == [1, 3] and model.columns["doing"] == [2]
    assert model.current() == 3  # the place stays selected, not the card that left it


def test_a_card_deleted_underneath_never_breaks_the_selection() -> None:
    """The crash of old: a confirmation held a card object a reload had replaced."""
    model = board(card(1, position=1), card(2, position=2), ranked=(card(2, position=2),))
    model.toggle_view()
    assert model.current() == 2
    changed, removed = model.cards.take({2: None}, lambda c: True, 1, TODAY)
    assert removed == {2}
    model.take(changed, removed, follow=False)
    assert model.current() is None and model.card(2) is None
    model.toggle_view()
    assert model.current() == 1


def test_a_change_shown_before_saving_survives_a_fresh_read() -> None:
    model = board(card(1, position=1))
    layer = model.cards.begin(1, {"priority": "critical"})
    fresh = card(1, position=1, title="Renamed elsewhere", version=2)
    model.cards.take({1: fresh}, lambda c: True, None, TODAY)
    shown = model.card(1)
    assert shown.title == "Renamed elsewhere" and shown.priority == "critical"
    model.cards.revert(1, layer, card(1, position=1, title="Renamed elsewhere", version=2))  # as stored
    assert model.card(1).priority == "medium" and model.card(1).title == "Renamed elsewhere"


def test_saving_takes_the_stored_values() -> None:
    model = board(card(1, position=1))
    layer = model.cards.begin(1, {"status": "doing"})
    model.cards.settle(1, layer, {"status": "doing", "version": 2, "position": -5.0})
    assert model.card(1).version == 2 and not model.cards.pending


def test_filters_narrow_and_clear_keeping_the_selection() -> None:
    model = board(card(1, title="Launch email", position=1), card(2, title="Hire", position=2, owner_id=2))
    model.step_row(1)
    model.set_filter("@ben")
    assert model.columns["todo"] == [2] and model.current() == 2
    model.set_filter("@ben hire")
    assert model.columns["todo"] == [2]
    model.set_filter("lem")  # initials: l(aunch) em(ail)
    assert model.columns["todo"] == [1]
    model.set_filter("")
    assert model.columns["todo"] == [1, 2] and model.current() == 1


def test_reordering_plans_a_position_between_neighbours() -> None:
    model = board(card(1, position=1), card(2, position=2), card(3, position=3))
    edit = model.plan_reorder(1, 1)
    assert isinstance(edit, Edit)
    assert 2 < edit.changes["position"] < 3 and edit.args == {"after": 2, "before": 3}
    assert model.plan_reorder(3, 1) is None
    done = board(card(4, "done", completed_at=NOW))
    done.col = 3
    assert done.plan_reorder(4, -1) == "Done is ordered by when tasks were finished."


def test_reordering_next_to_a_card_the_store_let_go_plans_nothing() -> None:
    """The column still lists a card the store no longer holds (between a fresh read and
    the columns following it): there is no neighbour to place it by, and no crash."""
    model = board(card(1, position=1), card(2, position=2))
    model.cards.forget(2)
    assert model.columns["todo"] == [1, 2]
    assert model.plan_reorder(1, 1) is None


def test_done_and_reopen_remember_the_column() -> None:
    model = board(card(1, "blocked"))
    finish = model.plan_done(1, NOW)
    assert finish.changes["status"] == "done" and finish.changes["completed_at"] == NOW
    model.cards.begin(1, finish.changes)
    back = model.plan_done(1, NOW)
    assert back.changes["status"] == "blocked" and back.changes["completed_at"] is None


def test_priority_cycles_through_every_level() -> None:
    model = board(card(1, priority=None))
    seen = []
    for _ in range(5):
        edit = model.plan_priority(1)
        model.cards.begin(1, edit.changes)
        seen.append(model.card(1).priority)
    assert seen == ["low", "medium", "high", "critical", None]


@pytest.mark.parametrize("step", [-1000, -1, 1, 1000])
def test_steps_stay_on_the_board(step: int) -> None:
    model = board(card(1), card(2, position=1))
    model.step_row(step)
    model.step_column(step)
    assert 0 <= model.col < 4 and model.current() in (1, 2, None)


def test_undo_keeps_the_newest_fifty() -> None:
    model = board()
    for number in range(60):
        model.undo.push(f"op{number}", f"change {number}")
    model.undo.push(None, "nothing logged")
    assert len(model.undo) == 50 and model.undo.pop() == ("op59", "change 59", None)


def test_a_search_shows_best_matches_first_and_keeps_board_order_among_equals() -> None:
    model = board(
        card(1, title="Plan the review", position=1),
        card(2, title="Preview the site", position=2),
        card(3, title="Review", position=3),
        card(4, title="Reviewer onboarding", position=4),
        card(5, title="Review pricing", position=5),
        card(6, "done", title="Review", completed_at=datetime(2026, 11, 1)),
        card(7, "done", title="Preview", completed_at=datetime(2026, 11, 20)),
    )
    model.set_filter("review")
    assert model.ranked
    assert model.columns["todo"] == [3, 1, 5, 4, 2]  # exact, words (board order), word start, part
    assert model.columns["done"] == [6, 7]
    assert model.plan_reorder(1, 1) == "The search shows best matches first: clear it (esc) to reorder."
    model.set_filter("review pri")  # typed on: only the cards shown are looked at again
    assert model.columns["todo"] == [5]
    model.set_filter("")
    assert not model.ranked and model.columns["todo"] == [1, 2, 3, 4, 5]


def test_a_card_changed_under_a_search_takes_its_ranked_place() -> None:
    model = board(card(1, title="Review", position=1), card(2, title="Plan the review", position=2))
    model.set_filter("review")
    assert model.columns["todo"] == [1, 2]
    model.cards.take({3: card(3, title="Review", position=0)}, lambda c: True, None, TODAY)
    model.take({3}, set())
    assert model.columns["todo"] == [3, 1, 2]  # an exact match, first in board order
    model.cards.take({1: card(1, title="Reviews due", position=1, version=2)}, lambda c: True, None, TODAY)
    model.take({1}, set())
    assert model.columns["todo"] == [3, 2, 1]  # "reviews" starts with the word: below a whole word
    model.cards.take({2: card(2, title="Something else", position=2, version=2)}, lambda c: True, None, TODAY)
    model.take({2}, set())
    assert model.columns["todo"] == [3, 1]


def test_too_many_matches_keep_the_board_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("okrate_tui.ui.models.board.RANK_LIMIT", 1)
    model = board(card(1, title="Plan the review", position=1), card(2, title="Review", position=2))
    model.set_filter("rev")
    assert not model.ranked and model.columns["todo"] == [1, 2]
    model.set_filter("review")
    assert not model.ranked and model.columns["todo"] == [1, 2]
    model.set_filter("review plan")
    assert model.ranked and model.columns["todo"] == [1]


def test_filter_dates_and_owners_use_the_grammar() -> None:
    store = CardSet()
    store.fill(
        BoardScope(),
        [card(1, deadline=date(2026, 11, 27)), card(2, owner_id=2, deadline=date(2026, 12, 1)), card(3, owner_id=None)],
        (),
    )
    model = BoardModel(store, lambda: LABELS, lambda: TODAY, me=lambda: "ben")
    model.rebuild()
    model.set_filter("^fri")
    assert model.columns["todo"] == [1]
    model.set_filter("@me")
    assert model.columns["todo"] == [2]
    model.set_filter("@none !m")
    assert model.columns["todo"] == [3]
