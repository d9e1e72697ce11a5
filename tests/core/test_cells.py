"""Widths in terminal cells: wide, combining and plain characters."""

from __future__ import annotations

from okrate_tui.core.cells import fit, pad, width


def test_wide_characters_take_two_cells() -> None:
    assert width("abc") == 3
    assert width("日本語") == 6
    assert width("🚀") == 2
    assert width("日本語のタスク 🚀") == 17


def test_combining_marks_and_joiners_take_none() -> None:
    assert width("e\u0301") == 1  # e + combining acute
    assert width("❤\ufe0f") == 1  # variation selector
    assert width("a\u200db") == 2


def test_fit_cuts_by_cells_and_never_splits_a_wide_character() -> None:
    assert fit("日本語のタスク", 7) == "日本語…"  # 6 cells + the ellipsis
    assert fit("日本語のタスク", 6) == "日本…"  # a third 2-cell character would not fit in 5
    assert width(fit("日本語のタスク", 6)) == 5
    assert fit("short", 10) == "short"
    assert fit("abcdef", 4) == "abc…"


def test_pad_fills_to_the_cell_width() -> None:
    assert pad("日本", 6) == "日本  "
    assert width(pad("🚀", 5)) == 5
    assert pad("toolong", 3) == "toolong"
