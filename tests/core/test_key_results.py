"""Key results over their whole life: editing every defining field with its shape
rules, archiving and restoring, the check-in history and corrections."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrate_tui.core import clock
from okrate_tui.core.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from okrate_tui.core.models import Change, CheckIn, KeyResult
from okrate_tui.core.queries.details import goal_detail
from okrate_tui.core.queries.goals import goal_figures
from okrate_tui.core.queries.key_results import check_in_history, key_result_info
from okrate_tui.core.rules.progress import kr_progress
from okrate_tui.core.services import goals, key_results, undo
from okrate_tui.core.writes import with_op
from tests.conftest import TODAY


@pytest.fixture
def kr(org) -> KeyResult:
    return key_results.add_key_result(org.boss, org.child.id, "Accounts won", target=10, unit="accounts")


def _on(day: int) -> None:
    """Act on another day of November 2026 (the clock gives noon plus a tick)."""
    clock.freeze(date(2026, 11, day))


# editing the definition


def test_every_defining_field_can_be_edited(org, kr) -> None:
    edited = key_results.update_key_result(
        org.boss,
        kr.id,
        kr.version,
        title="Mid-market accounts won",
        kind="numeric",
        baseline=2,
        target=12,
        unit="deals",
        direction="increase",
        weight="2.5",
    )
    assert (edited.title, edited.baseline, edited.target, edited.unit, edited.weight) == (
        "Mid-market accounts won",
        2.0,
        12.0,
        "deals",
        2.5,
    )
    logged = {c.field for c in Change.select().where((Change.entity == "key_result") & (Change.field != "@create"))}
    assert logged == {"title", "baseline", "target", "unit", "weight"}  # kind and direction were unchanged
    flipped = key_results.update_key_result(org.boss, kr.id, None, baseline=900, target=300, direction="decrease")
    assert (flipped.direction, flipped.baseline, flipped.target) == ("decrease", 900.0, 300.0)
    kept = key_results.update_key_result(org.boss, kr.id, None, direction="stay_below", target=300, kind="percent")
    assert (kept.kind, kept.direction) == ("percent", "stay_below")


def test_edits_keep_the_shape_rules(org, kr) -> None:
    with pytest.raises(ValidationError, match="an increase needs a target above the baseline 0"):
        key_results.update_key_result(org.boss, kr.id, None, target=-5)
    with pytest.raises(ValidationError, match="a decrease needs a target below the baseline 0"):
        key_results.update_key_result(org.boss, kr.id, None, direction="decrease")
    with pytest.raises(ValidationError, match="equals the baseline"):
        key_results.update_key_result(org.boss, kr.id, None, baseline=10)
    with pytest.raises(ValidationError) as caught:
        key_results.update_key_result(org.boss, kr.id, None, kind="ratio", weight=0, unit="x" * 30, title="")
    assert set(caught.value.errors) == {"kind", "weight", "unit", "title"}
    with pytest.raises(ValidationError, match="changes by check-in"):
        key_results.update_key_result(org.boss, kr.id, None, current=5)
    with pytest.raises(ValidationError, match="cannot be changed here"):
        key_results.update_key_result(org.boss, kr.id, None, goal=org.top.id)
    assert KeyResult.get_by_id(kr.id).version == kr.version  # nothing half-written


def test_binary_results_run_from_0_to_1(org, kr) -> None:
    key_results.check_in(org.boss, kr.id, 4)
    with pytest.raises(ValidationError, match=r"binary needs the current value to be 0 or 1 \(it is 4\)"):
        key_results.update_key_result(org.boss, kr.id, None, kind="binary")
    key_results.check_in(org.boss, kr.id, 0)
    binary = key_results.update_key_result(org.boss, kr.id, None, kind="binary")
    assert (binary.baseline, binary.target, binary.direction) == (0.0, 1.0, "increase")
    with pytest.raises(ValidationError, match="runs from 0 \\(not done\\) to 1 \\(done\\)"):
        key_results.update_key_result(org.boss, kr.id, None, target=5)
    with pytest.raises(ValidationError, match="runs from 0"):
        key_results.update_key_result(org.boss, kr.id, None, direction="decrease")
    back = key_results.update_key_result(org.boss, kr.id, None, kind="numeric", target=20)
    assert (back.kind, back.target) == ("numeric", 20.0)


def test_a_count_holds_whole_numbers_everywhere(org, kr) -> None:
    made = key_results.add_key_result(org.boss, org.child.id, "Deals", kind="count", target=40, unit="deals")
    with pytest.raises(ValidationError, match=r"value: a count is a whole number: 12 or 13, not 12\.5"):
        key_results.check_in(org.boss, made.id, "12.5")
    entry = key_results.check_in(org.boss, made.id, "1.2k")
    assert KeyResult.get_by_id(made.id).current == 1200.0
    with pytest.raises(ValidationError, match="a count is a whole number"):
        key_results.correct_check_in(org.boss, entry.id, None, value="7.25")
    with pytest.raises(ValidationError, match="target: a count is a whole number"):
        key_results.add_key_result(org.boss, org.child.id, "Half deals", kind="count", target="40.5")
    key_results.check_in(org.boss, kr.id, "3.5")  # a numeric result may hold 3.5 …
    with pytest.raises(ValidationError, match=r"kind: a count needs a whole current value \(it is 3\.5\)"):
        key_results.update_key_result(org.boss, kr.id, None, kind="count")  # … and so cannot become a count yet
    key_results.check_in(org.boss, kr.id, "4")
    assert key_results.update_key_result(org.boss, kr.id, None, kind="count").kind == "count"


def test_a_member_may_not_edit_a_managers_key_result(org, kr) -> None:
    with pytest.raises(PermissionDenied, match="@mia may not change key results of “Win accounts”: it is @max's"):
        key_results.update_key_result(org.mia, kr.id, None, title="Mine now")
    with pytest.raises(PermissionDenied):
        key_results.archive_key_result(org.mia, kr.id, None)


def test_edit_versions_and_closed_cycles(org, kr) -> None:
    key_results.update_key_result(org.boss, kr.id, 1, title="Accounts closed")
    with pytest.raises(ConflictError, match="title"):
        key_results.update_key_result(org.admin, kr.id, 1, title="Accounts signed")
    key_results.update_key_result(org.admin, kr.id, 1, weight=2)  # another field: merged
    org.cycle.state = "closed"
    org.cycle.save()
    with pytest.raises(ValidationError, match="is closed"):
        key_results.update_key_result(org.admin, kr.id, None, title="Too late")
    with pytest.raises(ValidationError, match="is closed"):
        key_results.archive_key_result(org.admin, kr.id, None)


# archiving


def test_archived_results_leave_the_rollup_but_are_kept(org, kr) -> None:
    other = key_results.add_key_result(org.boss, org.child.id, "Pilots", target=4, current=4)
    key_results.check_in(org.boss, kr.id, 2)
    assert goal_figures(org.child.id, TODAY)[0].progress == pytest.approx((0.2 + 1.0) / 2)
    archived = key_results.archive_key_result(org.boss, kr.id, None)
    assert archived.archived
    assert goal_figures(org.child.id, TODAY)[0].progress == pytest.approx(1.0)
    shown = {r.id: r for r in goal_detail(org.child.id).key_results}
    assert shown[kr.id].archived and shown[other.id].progress == 1.0
    assert len(check_in_history(kr.id)) == 1  # its check-ins stay
    with pytest.raises(ValidationError, match="is archived"):
        key_results.check_in(org.boss, kr.id, 3)
    key_results.archive_key_result(org.boss, kr.id, archived.version, archived=False)
    assert goal_figures(org.child.id, TODAY)[0].progress == pytest.approx((0.2 + 1.0) / 2)
    fields = [c.new for c in Change.select().where((Change.entity == "key_result") & (Change.field == "archived"))]
    assert fields == ["true", "false"]


# history


def test_history_lists_every_check_in_newest_first(org, kr) -> None:
    _on(20)
    key_results.check_in(org.boss, kr.id, 2, confidence="60%", note="First deals")
    _on(24)
    key_results.check_in(org.admin, kr.id, 5, note="Board push")
    history = check_in_history(kr.id)
    assert [(h.value, h.by, h.latest) for h in history] == [(5.0, "ada", True), (2.0, "max", False)]
    assert (history[1].confidence, history[1].note, history[1].at.date()) == (0.6, "First deals", date(2026, 11, 20))
    assert not history[0].corrected and history[0].original_value is None
    assert list(history[0].as_dict()) == [
        "id",
        "key_result_id",
        "value",
        "confidence",
        "note",
        "by",
        "at",
        "latest",
        "corrected",
        "corrected_by",
        "corrected_at",
        "original_value",
        "version",
    ]
    assert (
        check_in_history(key_results.add_key_result(org.boss, org.child.id, "Fresh", target=1, kind="binary").id) == []
    )
    with pytest.raises(NotFoundError, match="no key result 999"):
        check_in_history(999)


def test_key_result_info_tells_definition_standing_and_goal(org, kr) -> None:
    key_results.check_in(org.boss, kr.id, 4, note="Good week")
    info = key_result_info(kr.id)
    shown = info.as_dict()
    assert (shown["title"], shown["current"], shown["progress"], shown["check_ins"]) == ("Accounts won", 4.0, 0.4, 1)
    assert shown["last_check_in"]["note"] == "Good week"
    assert [step["id"] for step in shown["goal_path"]] == [org.top.id, org.child.id]
    assert (shown["goal_id"], shown["cycle"]) == (org.child.id, "2026 Q4")


# corrections


def test_correcting_the_latest_check_in_moves_current(org, kr) -> None:
    _on(20)
    key_results.check_in(org.boss, kr.id, 2)
    _on(24)
    latest = key_results.check_in(org.boss, kr.id, 60, confidence="0.9", note="typo")
    assert KeyResult.get_by_id(kr.id).current == 60
    _on(26)
    fixed = key_results.correct_check_in(org.boss, latest.id, latest.version, value="6", note="six, not sixty")
    assert (fixed.value, fixed.note, fixed.confidence, fixed.version) == (6.0, "six, not sixty", 0.9, 2)
    assert KeyResult.get_by_id(kr.id).current == 6
    assert goal_detail(org.child.id).key_results[0].progress == pytest.approx(0.6)
    top = check_in_history(kr.id)[0]
    assert (top.corrected, top.corrected_by, top.corrected_at.date(), top.original_value) == (
        True,
        "max",
        TODAY,
        60.0,
    )
    assert top.at.date() == date(2026, 11, 24)  # a correction keeps when it was checked in


def test_correcting_an_older_check_in_leaves_current_alone(org, kr) -> None:
    _on(20)
    older = key_results.check_in(org.boss, kr.id, 20)
    _on(24)
    key_results.check_in(org.boss, kr.id, 5)
    key_results.correct_check_in(org.boss, older.id, None, value=2)
    assert KeyResult.get_by_id(kr.id).current == 5
    assert [h.value for h in check_in_history(kr.id)] == [5.0, 2.0]
    assert Change.select().where((Change.entity == "key_result") & (Change.field == "current")).count() == 2


def test_the_change_log_keeps_the_old_values_and_undo_puts_them_back(org, kr) -> None:
    entry = key_results.check_in(org.boss, kr.id, 7, confidence="0.5", note="guess")
    _, op = with_op(key_results.correct_check_in, org.boss, entry.id, entry.version, value=3, confidence="80%")
    logged = {c.field: (c.old, c.new, c.entity) for c in Change.select().where(Change.op == op)}
    assert logged["value"] == ("7.0", "3.0", "check_in")
    assert logged["confidence"] == ("0.5", "0.8", "check_in")
    assert logged["current"] == ("7.0", "3.0", "key_result")
    assert logged["corrected_by"][1] == str(org.boss.id)
    undo.undo_op(org.boss, op)
    back = CheckIn.get_by_id(entry.id)
    assert (back.value, back.confidence, back.corrected_by_id) == (7.0, 0.5, None)
    assert KeyResult.get_by_id(kr.id).current == 7


def test_who_may_correct_a_check_in(org, kr) -> None:
    by_max = key_results.check_in(org.boss, kr.id, 3)
    with pytest.raises(PermissionDenied, match="@ben may not correct check-ins on “Win accounts”: it is @max's"):
        key_results.correct_check_in(org.ben, by_max.id, None, value=4)
    assert CheckIn.get_by_id(by_max.id).value == 3.0
    by_ada = key_results.correct_check_in(org.admin, by_max.id, None, note="checked by ada")  # may check in on it
    assert by_ada.corrected_by_id == org.admin.id
    # the author may correct their own check-in even once the goal is someone else's
    own = goals.create_goal(org.mia, "Learn the product", parent=org.child.id, owner="mia")
    demos = key_results.add_key_result(org.mia, own.id, "Demos given", target=5)
    by_mia = key_results.check_in(org.mia, demos.id, 2)
    goals.edit_goal(org.boss, own.id, None, owner="ben")
    with pytest.raises(PermissionDenied):
        key_results.check_in(org.mia, demos.id, 3)
    assert key_results.correct_check_in(org.mia, by_mia.id, None, value=1).value == 1.0


def test_corrections_are_checked_like_check_ins(org, kr) -> None:
    entry = key_results.check_in(org.boss, kr.id, 3)
    with pytest.raises(ValidationError) as caught:
        key_results.correct_check_in(org.boss, entry.id, None, value="lots", confidence="250", at="yesterday")
    assert set(caught.value.errors) == {"value", "confidence", "at"}
    with pytest.raises(ValidationError, match="nothing to correct"):
        key_results.correct_check_in(org.boss, entry.id, None)
    binary = key_results.add_key_result(org.boss, org.child.id, "Launched", kind="binary", target=1)
    done = key_results.check_in(org.boss, binary.id, 1)
    with pytest.raises(ValidationError, match="0 \\(not done\\) or 1"):
        key_results.correct_check_in(org.boss, done.id, None, value=0.5)
    with pytest.raises(NotFoundError, match="no check-in 999"):
        key_results.correct_check_in(org.boss, 999, None, value=1)
    assert CheckIn.get_by_id(entry.id).version == 1


def test_correction_versions_archived_results_and_closed_cycles(org, kr) -> None:
    entry = key_results.check_in(org.boss, kr.id, 3)
    key_results.correct_check_in(org.admin, entry.id, 1, note="first")
    with pytest.raises(ConflictError, match=r"check-in \d+ .* \(note\)"):
        key_results.correct_check_in(org.boss, entry.id, 1, note="second")
    key_results.correct_check_in(org.boss, entry.id, 1, value=4)  # another field: merged
    key_results.archive_key_result(org.boss, kr.id, None)
    with pytest.raises(ValidationError, match="is archived: restore it"):
        key_results.correct_check_in(org.boss, entry.id, None, value=5)
    key_results.archive_key_result(org.boss, kr.id, None, archived=False)
    org.cycle.state = "closed"
    org.cycle.save()
    with pytest.raises(ValidationError, match="is closed"):
        key_results.correct_check_in(org.boss, entry.id, None, value=5)
    assert CheckIn.get_by_id(entry.id).value == 4.0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.integers(0, 100), min_size=1, max_size=5),
    which=st.integers(0, 4),
    corrected=st.integers(0, 100),
)
def test_current_is_always_the_newest_check_ins_value(org, values, which, corrected) -> None:
    CheckIn.delete().execute()
    result = key_results.add_key_result(org.admin, org.child.id, f"KR {len(values)}", target=100)
    made = []
    for day, value in enumerate(values, start=10):
        _on(day)
        made.append(key_results.check_in(org.admin, result.id, value))
    chosen = made[which % len(made)]
    key_results.correct_check_in(org.admin, chosen.id, None, value=corrected)
    history = check_in_history(result.id)
    stored = KeyResult.get_by_id(result.id)
    assert stored.current == history[0].value
    assert goal_detail(org.child.id).key_results[-1].progress == pytest.approx(
        kr_progress("numeric", 0, 100, history[0].value, "increase"), abs=1e-4
    )
    clock.freeze(TODAY)
