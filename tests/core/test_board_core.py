"""Board rules: deadlines and quick add as typed, filters, ranking, workload, undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrate_tui.core.errors import ConflictError, ValidationError
from okrate_tui.core.grammar import DATE_HELP, PRIORITY_HELP
from okrate_tui.core.models import Change, Task
from okrate_tui.core.parsing import ESCAPED, parse_deadline, parse_quick_add
from okrate_tui.core.queries import board
from okrate_tui.core.rules.matching import EXACT, PART, PREFIX, WORD
from okrate_tui.core.rules.ranking import next_rank
from okrate_tui.core.services import tasks
from okrate_tui.core.services.undo import undo_op
from okrate_tui.core.writes import with_op
from tests.conftest import TODAY  # a Thursday

GOALS = [(1, "Grow recurring revenue"), (2, "Launch the winter campaign"), (3, "Campaign tracking")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("today", TODAY),
        ("tomorrow", TODAY + timedelta(days=1)),
        ("fri", date(2026, 11, 27)),
        ("thursday", TODAY),
        ("mon", date(2026, 11, 30)),
        ("+3d", TODAY + timedelta(days=3)),
        ("+2w", TODAY + timedelta(days=14)),
        ("", None),
    ],
)
def test_deadlines_as_people_type_them(text: str, expected: date | None) -> None:
    assert parse_deadline(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("2026-02-30", "February 2026 has 28 days"), ("fry", "is not a date"), ("+3y", "is not a date")],
)
def test_impossible_deadlines_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_deadline(text, TODAY)


def test_quick_add_reads_every_part() -> None:
    got = parse_quick_add("Draft launch email @maria !high ^fri #winter", TODAY, handles=["maria", "omar"], goals=GOALS)
    assert (got.title, got.owner, got.priority, got.deadline, got.goal_id) == (
        "Draft launch email",
        "maria",
        "high",
        date(2026, 11, 27),
        2,
    )
    assert got.problems == []


def test_quick_add_says_what_it_did_not_understand() -> None:
    got = parse_quick_add("@ghost !urgent ^someday #campaign", TODAY, handles=["maria"], goals=GOALS)
    assert got.owner is None and got.priority is None and got.deadline is None and got.goal_id is None
    assert got.problems == [
        "nobody has the handle @ghost",
        f"'!urgent' is not a priority: {PRIORITY_HELP}",
        f"'someday' is not a date: {DATE_HELP}",
        "#campaign matches 2 goals (Launch the winter campaign; Campaign tracking): use a longer word",
        "the task needs a title",
    ]


@given(st.text(max_size=80))
def test_quick_add_never_crashes_and_keeps_the_words(text: str) -> None:
    got = parse_quick_add(text, TODAY, handles=["maria"], goals=GOALS)
    plain = [w[1:] if w[:2] in ESCAPED else w for w in text.split() if w[0] not in "@!^#" or (len(w) == 1 and w != "!")]
    assert got.title.split() == plain or got.problems


@given(st.lists(st.sampled_from(["Fix", "bug", "#123", "@home", "!now", "^up", "#", "x#y"]), min_size=1, max_size=6))
def test_escaped_markers_keep_every_word_in_the_title(words: list[str]) -> None:
    escaped = " ".join("\\" + w if w[0] in "#@!^" else w for w in words)
    got = parse_quick_add(escaped, TODAY, handles=["maria"], goals=GOALS)
    assert got.title == " ".join(words) and got.problems == []
    assert (got.owner, got.priority, got.deadline, got.goal_id) == (None, None, None, None)


MILESTONES = [(21, 2, "Teaser video"), (22, 2, "Launch day"), (23, 2, "Launch retro"), (24, 1, "Pricing page")]


def test_quick_add_escapes_and_milestones() -> None:
    got = parse_quick_add(
        "Fix bug \\#123 \\@home @ME !hi ^+2w #winter/teaser",
        TODAY,
        handles=["maria"],
        goals=GOALS,
        milestones=MILESTONES,
        me="maria",
    )
    assert got.problems == []
    assert (got.title, got.owner, got.priority, got.deadline) == (
        "Fix bug #123 @home",
        "maria",
        "high",
        date(2026, 12, 10),
    )
    assert (got.goal_id, got.milestone_id, got.milestone_title) == (2, 21, "Teaser video")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("#winter/launch", "/launch matches 2 milestones (Launch day; Launch retro): use a longer word"),
        ("#winter/pricing", "no milestone of “Launch the winter campaign” has 'pricing' in its title"),
        ("#tracking/x", "“Campaign tracking” has no milestones"),
        ("#winter/", "'#winter/': put a word of a milestone's title after the /"),
        ("#/teaser", "'#/teaser': put a word of the goal's title before the /"),
        ("#nothing/teaser", "no goal has 'nothing' in its title"),
        ("@me", "'me' stands for you"),
    ],
)
def test_quick_add_names_what_it_cannot_place(typed: str, problem: str) -> None:
    got = parse_quick_add(f"Call Acme {typed}", TODAY, handles=["maria"], goals=GOALS, milestones=MILESTONES)
    assert got.milestone_id is None
    assert len(got.problems) == 1 and problem in got.problems[0]


def test_quick_add_none_owner_is_nobody_on_purpose() -> None:
    got = parse_quick_add("Call Acme @none", TODAY, handles=["maria"], goals=GOALS)
    assert (got.owner, got.owner_given, got.problems) == (None, True, [])


def test_ranking_overdue_then_priority_then_deadline() -> None:
    rows = [
        (1, TODAY + timedelta(days=1), "critical"),
        (2, TODAY - timedelta(days=1), "low"),
        (3, None, "critical"),
        (4, TODAY + timedelta(days=5), "high"),
        (5, TODAY - timedelta(days=3), "high"),
        (6, TODAY + timedelta(days=2), "critical"),
    ]
    ranked = sorted(rows, key=lambda r: next_rank(r[1], r[2], TODAY, r[0]))
    assert [r[0] for r in ranked] == [5, 2, 1, 6, 3, 4]


def _cards() -> list[board.Card]:
    make = board.Card
    return [
        make(1, "Draft the launch email", "todo", "high", TODAY - timedelta(days=2), 10, 1, 1.0, None, 1, ""),
        make(2, "Brief the design agency", "doing", None, None, None, 1, 2.0, None, 1, "Agency has the brief"),
        make(3, "Réviser le café", "todo", "low", TODAY + timedelta(days=2), 11, 2, 0.5, None, 1, ""),
        make(4, "Ship it", "done", "high", TODAY - timedelta(days=9), 10, 2, 3.0, None, 1, ""),
    ]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("", [1, 2, 3, 4]),
        ("launch", [1]),
        ("LAUNCH EMAIL", [1]),
        ("lem", [1]),  # initials: l(aunch) em(ail)
        ("lnch eml", []),  # letters scattered inside words are not initials
        ("cafe", [3]),
        ("brief", [2]),
        ("@ana", [1, 4]),
        ("!high", [1, 4]),
        ("^overdue", [1]),
        ("^week", [1, 3]),
        ("^none", [2]),
        ("?owner", [2]),
        ("?any", [2]),
        ("?priority", [2]),
        ("@ana !high draft", [1]),
        ("!hi", [1, 4]),
        ("!!", [1, 4]),
        ("!l", [3]),
        ("@me", [3]),
        ("@ME !low", [3]),
        ("@none", [2]),
        ("@-", [2]),
        ("^fri", [1]),  # open tasks due by Friday
        ("^+2d", [1, 3]),
        ("^2026-11-20", []),
        ("agency", [2]),  # objectives are searched too
    ],
)
def test_filters(text: str, ids: list[int]) -> None:
    wanted = board.parse_filter(text, TODAY, me="ben")
    assert wanted.problems == []
    keep = board.matcher(wanted, TODAY, {10: "ana", 11: "ben"})
    assert [c.id for c in _cards() if keep(c)] == ids


def test_filter_words_rank_best_first() -> None:
    cards = [
        board.Card(1, "Plan the review", "todo", None, None, None, 1, 1.0, None, 1, ""),
        board.Card(2, "Reviewer onboarding", "todo", None, None, None, 1, 2.0, None, 1, ""),
        board.Card(3, "Review", "todo", None, None, None, 1, 3.0, None, 1, ""),
        board.Card(4, "Preview the site", "todo", None, None, None, 1, 4.0, None, 1, ""),
        board.Card(5, "Ship it", "todo", None, None, None, 1, 5.0, None, 1, "review the release notes"),
    ]
    rate = board.rater(board.parse_filter("review"), TODAY, {})
    assert rate(cards) == [WORD, PREFIX, EXACT, PART, WORD]


FILTER_TEXT = st.text(alphabet="launchemilbrfdsgycé @!^?+1", max_size=16)


@given(FILTER_TEXT, st.data())
def test_typing_on_only_narrows(text: str, draw) -> None:
    """When a filter counts as typed on from an earlier one, it keeps no card the earlier
    one dropped: looking only through the cards shown finds the same cards."""
    cut = draw.draw(st.integers(0, len(text)))
    old, new = board.parse_filter(text[:cut], TODAY, "ben"), board.parse_filter(text, TODAY, "ben")
    if board.narrower(old, new):
        handles = {10: "ana", 11: "ben"}
        kept_old = board.matcher(old, TODAY, handles)
        kept_new = board.matcher(new, TODAY, handles)
        assert all(kept_old(c) for c in _cards() if kept_new(c))


@pytest.mark.parametrize(
    ("old", "new", "narrower"),
    [
        ("lau", "laun", True),
        ("launch", "launch em", True),
        ("@a", "@an", True),
        ("@m", "@me", False),  # me is a person of its own, not a longer start
        ("@me", "@me x", True),
        ("^fri", "^fri x", True),
        ("^fri", "^mon", False),
        ("la", "lau", True),  # a longer word matches fewer texts, initials included
        ("launch", "lunch", False),
        ("!high", "", False),
    ],
)
def test_which_filters_narrow(old: str, new: str, narrower: bool) -> None:
    assert board.narrower(board.parse_filter(old), board.parse_filter(new)) is narrower


def test_filter_problems_and_columns() -> None:
    assert board.parse_filter("!urgent ^later ?nothing").problems == [
        f"'!urgent' is not a priority: {PRIORITY_HELP}",
        f"'later' is not a date: {DATE_HELP} (or ^overdue, ^week, ^none)",
        "'?nothing': use ?owner, ?deadline, ?priority or ?any",
    ]
    cols = board.columns(_cards(), lambda c: True)
    assert [c.id for c in cols["todo"]] == [3, 1]  # by position
    assert board.workload(_cards(), TODAY) == [(10, 1, 1), (11, 1, 0), (None, 1, 0)]


def test_board_scopes(org) -> None:
    mine = tasks.create_task(org.mia, "Mine", goal=org.child.id, owner="mia")
    tasks.create_task(org.mia, "Ben's", goal=org.top.id, owner="ben")
    tasks.create_task(org.mia, "Nobody's", goal=org.child.id)
    cycle = org.cycle.id
    assert {c.title for c in board.load_cards(board.BoardScope(), cycle)} == {"Mine", "Ben's", "Nobody's"}
    scope = board.BoardScope("mine", person_id=org.mia.id)
    assert [c.id for c in board.load_cards(scope, cycle)] == [mine.id]
    team = board.BoardScope("team", team_id=org.team.id)
    assert {c.title for c in board.load_cards(team, cycle)} == {"Mine", "Ben's"}
    goal = board.BoardScope("goal", goal_id=org.child.id)
    assert {c.title for c in board.load_cards(goal, cycle)} == {"Mine", "Nobody's"}
    ranked = board.next_cards(org.mia.id, cycle, TODAY)
    assert [c.title for c in ranked] == ["Mine"]


def test_undo_each_kind_of_change(org) -> None:
    task, created = with_op(tasks.create_task, org.mia, "Call Acme", goal=org.child.id, priority="low")
    _, moved = with_op(tasks.move_task, org.mia, task.id, None, "doing")
    _, edited = with_op(tasks.edit_task, org.mia, task.id, None, priority="high", owner="ben")
    undo_op(org.mia, edited)
    stored = Task.get_by_id(task.id)
    assert (stored.priority, stored.owner_id, stored.status) == ("low", None, "doing")
    undo_op(org.mia, moved)
    assert Task.get_by_id(task.id).status == "todo"
    _, deleted = with_op(tasks.delete_task, org.mia, task.id, None)
    undo_op(org.mia, deleted)
    assert Task.get_by_id(task.id).title == "Call Acme"
    fresh, made = with_op(tasks.create_task, org.mia, "Oops", goal=org.child.id)
    undo_op(org.mia, made)
    assert Task.get_or_none(Task.id == fresh.id) is None
    assert created and Change.select().where(Change.actor == org.mia.id, Change.field == "@delete").count() == 2


def test_undo_refuses_when_someone_changed_the_same_field(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id, priority="low")
    _, op = with_op(tasks.edit_task, org.mia, task.id, None, priority="high")
    tasks.edit_task(org.ben, task.id, None, priority="critical")
    with pytest.raises(ConflictError):
        undo_op(org.mia, op)
    assert Task.get_by_id(task.id).priority == "critical"
    with pytest.raises(ValidationError, match="nothing to undo"):
        undo_op(org.mia, "no-such-op")


@pytest.mark.parametrize(("marks", "priority"), [("!", "medium"), ("!!", "high"), ("!!!", "critical")])
def test_quick_add_bangs_match_the_cards(marks: str, priority: str) -> None:
    assert parse_quick_add(f"Call Acme {marks}", TODAY, handles=[], goals=GOALS).priority == priority
