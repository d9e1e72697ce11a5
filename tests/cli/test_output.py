"""Tables line up in terminal cells, whatever script a title is written in."""

from __future__ import annotations

import pytest

from okrate_tui.cli.output import table
from okrate_tui.core.cells import width


def _columns_of(line: str, marker: str) -> int:
    """The terminal column where ``marker`` starts on ``line``."""
    return width(line[: line.index(marker)])


def test_a_cjk_and_emoji_title_keeps_the_columns_aligned(capsys: pytest.CaptureFixture[str]) -> None:
    table(
        [(1, "日本語のタスク 🚀", "Launch"), (22, "Plain title", "Launch"), (3, "é\u0301 accents", "Launch")],
        ("id", "title", "goal"),
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ID  TITLE")
    goal_columns = {_columns_of(line, "Launch") for line in lines[1:]}
    assert goal_columns == {_columns_of(lines[0], "GOAL")}


def test_long_wide_titles_are_cut_by_cells(capsys: pytest.CaptureFixture[str]) -> None:
    table([("日本語" * 10, "x")], ("title", "next"), width=9)
    header, row = capsys.readouterr().out.splitlines()
    cell = row.split("  ")[0]
    assert cell == "日本語日…"
    assert width(cell) == 9
    assert _columns_of(row, "x") == _columns_of(header, "NEXT")
