"""The goal tree model without Textual: lines from the tree, the cursor, opening and
closing, the filter, and goals that change underneath."""

from __future__ import annotations

import pytest

from okrate_tui import demo
from okrate_tui.core import clock
from okrate_tui.core.models import Goal
from okrate_tui.core.queries.tree import CycleTree, load_tree
from okrate_tui.core.services import goals
from okrate_tui.core.services.cycles import current_cycle
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.models.tree import TreeModel


@pytest.fixture
def holder(sqlite_db) -> dict:
    demo.generate()
    return {"tree": load_tree(current_cycle().id, clock.today())}


def model_of(holder: dict) -> TreeModel:
    model = TreeModel(lambda: holder["tree"])
    model.rebuild()
    return model


def titles(model: TreeModel) -> list[str]:
    tree: CycleTree = model.tree
    return ["  " * r.depth + tree.line(r.goal_id).title for r in model.rows]


def test_the_tree_opens_on_its_top_goals(holder) -> None:
    model = model_of(holder)
    tops = holder["tree"].children(None)
    assert [r.goal_id for r in model.rows] == tops
    assert model.cursor == tops[0] and all(r.depth == 0 for r in model.rows)


def test_opening_closing_and_moving(holder) -> None:
    model = model_of(holder)
    first = model.cursor
    assert model.expand()
    kids = holder["tree"].children(first)
    assert [r.goal_id for r in model.rows[1 : 1 + len(kids)]] == kids
    assert model.rows[len(kids)].last and not model.rows[1].last
    assert model.expand() and model.cursor == kids[0]  # open already: to the first sub-goal
    assert model.collapse() and model.cursor == first  # closed already: to the parent
    assert model.collapse() and not model.row_of(first).expanded
    assert model.end() and model.cursor == model.rows[-1].goal_id
    assert model.home() and model.cursor == first


def test_open_everything_below_and_siblings(holder) -> None:
    model = model_of(holder)
    assert model.toggle_all()
    assert len(model.rows) > len(holder["tree"].children(None)) + 2
    assert model.sibling(1) and model.row_of(model.cursor).depth == 0
    assert model.sibling(-1) and model.toggle_all()
    assert model.rows[1].depth == 0


def test_the_filter_shows_matches_with_their_ancestors(holder) -> None:
    model = model_of(holder)
    model.set_filter("mid-market")
    shown = titles(model)
    assert any("Close 40 new mid-market accounts" in t for t in shown)
    assert model.rows[0].depth == 0 and model.cursor == model.matches[0]
    model.set_filter("")
    assert model.cursor == model.matches[0] if model.matches else True
    assert model.row_of(model.cursor) is not None  # still on screen: its parents stay open


def test_a_goal_archived_underneath_leaves_the_cursor_on_its_parent(holder) -> None:
    model = model_of(holder)
    model.expand()
    model.move(1)
    child = model.cursor
    parent = holder["tree"].nodes[child].parent_id
    maria = find_person("maria")
    goal = Goal.get_by_id(child)
    goals.archive_goal(maria, child, goal.version, True)
    holder["tree"] = load_tree(current_cycle().id, clock.today())
    model.rebuild()
    assert model.cursor == parent and model.row_of(child) is None
    model.toggle_archived()
    assert model.reveal(child) and model.cursor == child


def test_an_empty_tree_has_no_cursor() -> None:
    model = TreeModel(lambda: None)
    model.rebuild()
    assert model.rows == [] and model.cursor is None
    assert not model.move(1) and not model.expand() and not model.collapse()


def test_the_filter_ranks_goals_and_puts_the_cursor_on_the_best(holder) -> None:
    tree = holder["tree"]
    found = [tree.line(g).title for g in tree.search("lat")]
    assert found == ["Cut p95 API latency", "Launch the winter campaign"]  # a word start, then initials
    assert [tree.line(g).title for g in tree.search("cpal")] == ["Cut p95 API latency"]
    assert tree.search("ltncy") == []  # letters inside words are not initials
    model = TreeModel(lambda: holder["tree"], me=lambda: "omar")
    model.rebuild()
    model.set_filter("lat")
    assert tree.line(model.cursor).title == "Cut p95 API latency"
    model.set_filter("@me")
    assert [tree.line(g).owner for g in model.matches] == ["omar"]
