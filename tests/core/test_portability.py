"""Dates read the same on every platform: no strftime codes only glibc knows."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import okrate_tui
from okrate_tui.core.wording import month_day

PACKAGE = Path(okrate_tui.__file__).parent


def test_no_source_file_uses_a_platform_only_strftime_code() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "%-" in line
    ]
    assert offenders == []


def test_month_day_has_no_leading_zero() -> None:
    assert month_day(date(2026, 12, 5)) == "Dec 5"
    assert month_day(date(2026, 1, 15), weekday=True) == "Thu Jan 15"
    assert month_day(datetime(2026, 3, 9, 14, 2)) == "Mar 9"
