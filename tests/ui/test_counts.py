"""Counts in the goal tree never run together."""

from __future__ import annotations

from okrate_tui.ui.format import tally


def test_counts_stay_readable_at_every_size() -> None:
    shown = {n: tally(n) for n in (7, 999, 1000, 5941, 27388, 99_949, 99_950, 273_885, 999_499, 999_500, 1_234_567)}
    assert shown == {
        7: "7",
        999: "999",
        1000: "1.0k",
        5941: "5.9k",
        27388: "27.4k",
        99_949: "99.9k",
        99_950: "100k",
        273_885: "274k",
        999_499: "999k",
        999_500: "1.0M",
        1_234_567: "1.2M",
    }
    assert all(len(text) <= 5 for text in shown.values())
