"""What a card column repaints when its cards change: only the rows that differ."""

from __future__ import annotations

from okrate_tui.ui.widgets.card_column import _changed_spans


def test_nothing_changed_repaints_nothing() -> None:
    rows = (("a",), ("b",), ("c",))
    assert _changed_spans(rows, rows) == []


def test_a_card_leaving_repaints_from_its_row_down() -> None:
    before = (("a",), ("b",), ("c",), ("d",))
    after = (("a",), ("c",), ("d",))
    assert _changed_spans(before, after) == [(1, 4)]


def test_separate_changes_repaint_separately() -> None:
    before = (("a",), ("b",), ("c",), ("d",))
    after = (("a",), ("B",), ("c",), ("D",))
    assert _changed_spans(before, after) == [(1, 2), (3, 4)]


def test_a_column_growing_repaints_the_new_rows() -> None:
    assert _changed_spans((("a",),), (("a",), ("b",))) == [(1, 2)]
