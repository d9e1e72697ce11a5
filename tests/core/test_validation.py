"""Field validation: clear messages for bad input, clean values for good input."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrate_tui.core.errors import ValidationError
from okrate_tui.core.validation import (
    TITLE_MAX,
    Checker,
    clean_handle,
    clean_text,
    clean_title,
    parse_choice,
    parse_confidence,
    parse_date,
    parse_number,
    parse_rating,
    parse_weight,
)
from okrate_tui.ui.format import compact


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("x" * 102_400, "is too long (102,400 characters; at most 200)"),
        ("evil\x1b[31mred", "control characters (U+001B)"),
        ("two\nlines", "line breaks or control characters (U+000A)"),
        ("bell\x07", "U+0007"),
    ],
)
def test_bad_titles_say_why(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        clean_title(raw)


def test_titles_are_trimmed() -> None:
    assert clean_title("  Ship it  ") == "Ship it"


def test_text_keeps_line_breaks_but_not_escapes() -> None:
    assert clean_text("line one\r\nline two\n") == "line one\nline two"
    with pytest.raises(ValueError, match="control characters"):
        clean_text("a\x00b")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a real date (February 2026 has 28 days)"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2026-13-01", "there is no month 13"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("31/12/2026", "'31/12/2026' is not a date: use 2026-12-01, today"),
        ("someday", "is not a date"),
    ],
)
def test_impossible_dates_are_refused(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(raw)
    assert message in str(caught.value)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_every_real_date_round_trips(day: date) -> None:
    assert parse_date(day.isoformat()) == day


@given(st.text(max_size=300))
def test_clean_title_never_returns_bad_text(raw: str) -> None:
    try:
        title = clean_title(raw)
    except ValueError as exc:
        assert str(exc)
        return
    assert title and title == title.strip() and len(title) <= TITLE_MAX
    bad = {"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"}
    kept = [
        ch
        for ch in title
        if unicodedata.category(ch) in bad
        and ch not in "\u200c\u200d"  # joiners
        and not (unicodedata.category(ch) == "Cn" and 0x1F000 <= ord(ch) < 0x1FB00)  # emoji newer than Python
        and not (0xE0020 <= ord(ch) <= 0xE007F and "\U0001f3f4" in title)  # a flag's tags
    ]
    assert not kept


def test_choices_numbers_and_ranges() -> None:
    assert parse_choice("HIGH", ("low", "high")) == "high"
    assert parse_choice("", ("low",), optional=True) is None
    with pytest.raises(ValueError, match="'urgent' is not one of low, high"):
        parse_choice("urgent", ("low", "high"))
    assert parse_number("1,200") == 1200.0
    assert [parse_number(t) for t in ("2.2M", "1.2k", "3B", "-1,200.5", "12,345,678", "1_000")] == [
        2_200_000.0,
        1_200.0,
        3e9,
        -1200.5,
        12_345_678.0,
        1000.0,
    ]
    with pytest.raises(ValueError, match=r"'1,5' has a decimal comma: write 1\.5 \(a comma only groups thousands"):
        parse_number("1,5")
    with pytest.raises(ValueError, match=r"'1\.200,5' has a decimal comma: write 1200\.5"):
        parse_number("1.200,5")
    with pytest.raises(ValueError, match=r"write 2\.5M"):
        parse_number("2,5M")
    with pytest.raises(ValueError, match="groups thousands by three"):
        parse_number("12,34,567")
    for bad in ("nan", "inf", "abc", True):
        with pytest.raises(ValueError):
            parse_number(bad)
    assert parse_weight("2") == 2.0
    for bad in ("0", "-1", "1001"):
        with pytest.raises(ValueError):
            parse_weight(bad)
    assert parse_confidence("70%") == pytest.approx(0.7)
    assert parse_confidence("7/10") == pytest.approx(0.7)
    assert parse_confidence("70") == pytest.approx(0.7)  # a whole number up to 100 is a percentage
    for bad in ("1.5", "150", "-5"):
        with pytest.raises(ValueError):
            parse_confidence(bad)
    assert parse_rating("4") == 4
    with pytest.raises(ValueError, match="from 1 to 5"):
        parse_rating("6")


def test_handles() -> None:
    assert clean_handle("@Maria") == "maria"
    with pytest.raises(ValueError, match="is not a handle"):
        clean_handle("no spaces")


def test_checker_gathers_every_field() -> None:
    check = Checker()
    check("title", clean_title, "")
    check("deadline", parse_date, "2026-02-30")
    with pytest.raises(ValidationError) as caught:
        check.done()
    assert set(caught.value.errors) == {"title", "deadline"}
    assert str(caught.value).startswith("title: must not be empty; deadline: ")


@given(st.integers(min_value=-(10**14), max_value=10**14), st.sampled_from(["", ".5", ".25"]))
def test_a_number_written_with_thousands_commas_reads_back(whole: int, fraction: str) -> None:
    text = f"{whole:,}{fraction}"
    assert parse_number(text) == float(f"{whole}{fraction}")


@given(st.floats(min_value=1e4, max_value=1e12, allow_nan=False))
def test_a_compact_number_as_the_app_shows_it_reads_back_within_its_rounding(value: float) -> None:
    shown = compact(value)  # 1.8M, 12.5k: three significant digits
    assert parse_number(shown) == pytest.approx(value, rel=5e-3)
