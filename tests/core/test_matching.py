"""Search that ranks: exact, whole word, word start, part, initials; nothing looser."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from okrate_tui.core.rules.matching import (
    EXACT,
    INITIALS,
    NONE,
    PART,
    PREFIX,
    WORD,
    Query,
    prepare,
    prepare_many,
    rank,
    score,
)


@pytest.mark.parametrize(
    ("query", "text", "tier"),
    [
        ("mid-market accounts", "Mid-Market Accounts", EXACT),
        ("MID MARKET ACCOUNTS", "Mid-Market Accounts", EXACT),
        ("cafe", "Café", EXACT),
        ("review plan", "Review: plan", EXACT),
        ("market", "Mid-Market Accounts", WORD),
        ("accounts mid", "Mid-Market Accounts", WORD),
        ("acc", "Mid-Market Accounts", PREFIX),
        ("arket", "Mid-Market Accounts", PART),
        ("mma", "Mid-Market Accounts", INITIALS),
        ("mima", "Mid-Market Accounts", INITIALS),  # runs that start words
        ("midmac", "Mid-Market Accounts", INITIALS),
        ("dle", "Draft the launch email", INITIALS),  # words may be skipped
        ("mmx", "Mid-Market Accounts", NONE),
        ("amm", "Mid-Market Accounts", NONE),  # initials keep their order
        ("lnch", "Draft the launch email", NONE),  # letters inside words are not initials
        ("demo", "Update CRM stages to match the new funnel", NONE),
        ("demo", "Upgrade the database to the new major version", NONE),
        ("demo", "Record a product demo for async buyers", WORD),
        ("agency", "Brief the designers\nThe agency has the brief", WORD),
        ("tbh", "Brief the designers\nThe agency has the brief", NONE),  # initials only of the name
        ("brief designers", "Brief the designers\nThe agency has the brief", WORD),
        ("", "anything", PART),
    ],
)
def test_tiers(query: str, text: str, tier: int) -> None:
    assert score(query, text) == tier


def test_the_demo_search_finds_only_what_holds_it() -> None:
    titles = [
        "Update CRM stages to match the new funnel",
        "Record a product demo for async buyers",
        "Build a target list of 200 mid-market accounts",
        "Review onboarding emails with support",
        "Book the December webinar slot",
        "Order booth materials for the trade fair",
        "Upgrade the database to the new major version",
        "Demo",
        "Demonstrate the new reports",
    ]
    assert [titles[i] for i in rank("demo", titles)] == [
        "Demo",
        "Record a product demo for async buyers",
        "Demonstrate the new reports",
    ]


def test_equals_keep_their_order() -> None:
    assert rank("plan", ["plan b", "a plan", "planning", "plan"]) == [3, 0, 1, 2]


WORDS = st.text(alphabet="abcdeéèàüöñçxyz", min_size=1, max_size=8)
TEXTS = st.lists(WORDS, max_size=8).map(" ".join)


@given(WORDS, st.lists(TEXTS, max_size=6), st.integers(0, 6))
def test_an_exact_match_always_ranks_first(query: str, others: list[str], at: int) -> None:
    texts = [*others]
    texts.insert(min(at, len(texts)), query.upper())
    order = rank(query, texts)
    assert order and score(query, texts[order[0]]) == EXACT


@given(TEXTS, WORDS, TEXTS)
def test_a_text_holding_the_query_as_a_word_always_matches(before: str, word: str, after: str) -> None:
    assert score(word, f"{before} {word} {after}") >= WORD


def _strip_accents(text: str) -> str:
    return text.translate(str.maketrans("éèàüöñç", "eeauonc"))


@given(st.lists(WORDS, min_size=1, max_size=3).map(" ".join), TEXTS)
def test_scores_do_not_depend_on_case_or_accents(query: str, text: str) -> None:
    expected = score(query, text)
    assert score(query.upper(), text) == expected
    assert score(query, text.upper()) == expected
    assert score(_strip_accents(query), text) == expected
    assert score(query, _strip_accents(text)) == expected


@given(WORDS, TEXTS)
def test_a_query_with_a_letter_the_text_lacks_never_matches(query: str, text: str) -> None:
    missing = next((ch for ch in "xyzq" if ch not in _strip_accents(text)), None)
    assume(missing is not None)
    assert score(query + missing, text) == NONE
    assert score(missing + query, text) == NONE


@given(st.lists(TEXTS, max_size=12), st.lists(WORDS, min_size=1, max_size=2).map(" ".join))
def test_scoring_many_at_once_agrees_with_one_at_a_time(texts: list[str], query: str) -> None:
    wanted = Query(query)
    prepared = [prepare(t) for t in texts]
    assert wanted.scores(prepared) == [wanted.score(t, prepared=True) for t in prepared]


@given(WORDS, st.text(alphabet="abcxyz ", max_size=40), st.integers(1, 7))
def test_typing_on_never_matches_more(word: str, text: str, cut: int) -> None:
    """What a word matches, its start matched too: the board filters typing on from the
    cards shown."""
    if score(word, text):
        assert score(word[:cut], text)


def test_four_letters_do_not_match_letters_scattered_over_a_long_title() -> None:
    title = "Decide on the quarterly marketing events calendar with the whole team overall"
    assert len(title) > 60
    for query in ("qrty", "mktg", "lndr", "dcde"):  # each a subsequence of the title
        assert score(query, title) == NONE
    assert score("dqme", title) == INITIALS  # the initials of its words do match


@given(st.text(max_size=200), st.text(max_size=20))
def test_any_input_scores_without_error(text: str, query: str) -> None:
    assert score(query, text) in (NONE, INITIALS, PART, PREFIX, WORD, EXACT)


@given(st.lists(st.text(max_size=30), max_size=8))
def test_preparing_many_at_once_agrees_with_one_at_a_time(texts: list[str]) -> None:
    assert prepare_many(texts) == [prepare(text) for text in texts]
