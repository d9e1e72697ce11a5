"""Reviews, calibration, one-on-ones, carry-over and the review read side."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from okrate_tui.core.access import review_visible
from okrate_tui.core.errors import PermissionDenied, ValidationError
from okrate_tui.core.models import Cycle, Goal, KeyResult, OneOnOne, Review, Task
from okrate_tui.core.queries import reviews as read
from okrate_tui.core.queries.analytics import analytics
from okrate_tui.core.queries.goals import goal_figures
from okrate_tui.core.reports import cycle_packet, one_on_one_markdown, packet_markdown
from okrate_tui.core.rules.gaps import RESULT_NO_WORK, WORK_NO_RESULT, gap
from okrate_tui.core.services import cycles, goals, key_results, people, tasks
from okrate_tui.core.services import reviews as svc
from okrate_tui.core.services.carry_over import close_cycle, next_name
from tests.conftest import TODAY


@pytest.fixture
def team(org) -> SimpleNamespace:
    """Adds a second manager with a report of her own to the small organisation."""
    people.create_team(org.admin, "Sales")
    ola = people.create_person(org.admin, "ola", "Ola Other", role="manager", team="Sales", manager="ada")
    per = people.create_person(org.admin, "per", "Per Sales", team="Sales", manager="ola")
    return SimpleNamespace(**vars(org), ola=ola, per=per)


def _submitted(t, kind: str, reviewer, rating: int = 3) -> Review:
    review = svc.start_review(reviewer, t.cycle.id, "mia", kind)
    svc.edit_review(reviewer, review.id, None, rating=rating, strengths="Ships", improvements="Delegate")
    return svc.submit_review(reviewer, review.id, None)


WHO = ("mia", "boss", "ola", "admin")  # the reviewee, her manager, another manager, an admin


def _actor(t, who: str):
    return {"mia": t.mia, "boss": t.boss, "ola": t.ola, "admin": t.admin}[who]


@pytest.mark.parametrize(
    ("kind", "writer", "allowed"),
    [
        ("self", "mia", True),
        ("self", "boss", False),
        ("self", "ola", False),
        ("self", "admin", False),
        ("manager", "mia", False),
        ("manager", "boss", True),
        ("manager", "ola", False),
        ("manager", "admin", True),  # an admin writes anyone's (one per person: max has not started his)
        ("peer", "mia", False),
        ("peer", "boss", True),
        ("peer", "ola", True),
        ("peer", "admin", True),
    ],
)
def test_who_may_write_each_kind_of_review(team, kind, writer, allowed) -> None:
    actor = _actor(team, writer)
    if allowed:
        assert svc.start_review(actor, team.cycle.id, "mia", kind).reviewer_id == actor.id
    else:
        with pytest.raises(PermissionDenied):
            svc.start_review(actor, team.cycle.id, "mia", kind)


@pytest.mark.parametrize(
    ("kind", "state", "private", "readers"),
    [
        ("self", "draft", False, {"mia"}),
        ("self", "submitted", False, {"mia", "boss", "admin"}),
        ("manager", "draft", False, {"boss"}),
        ("manager", "submitted", False, {"mia", "boss", "admin"}),
        ("peer", "submitted", False, {"mia", "boss", "admin", "ola"}),
        ("manager", "submitted", True, {"boss"}),
    ],
)
def test_who_may_read_each_review(team, kind, state, private, readers) -> None:
    author = {"self": team.mia, "manager": team.boss, "peer": team.ola}[kind]
    review = svc.start_review(author, team.cycle.id, "mia", kind, private=private)
    if state == "submitted":
        svc.edit_review(author, review.id, None, rating=4)
        svc.submit_review(author, review.id, None)
    review = Review.get_by_id(review.id)
    assert {w for w in WHO if review_visible(_actor(team, w), review, team.mia)} == readers
    for who in WHO:  # the read side and the packet agree with the rule
        actor = _actor(team, who)
        if read.may_see_person(actor, team.mia):
            shown = {r.id for r in read.visible_reviews(actor, team.cycle.id, team.mia)}
            assert (review.id in shown) == (who in readers)


def test_members_managers_and_admins_see_different_people(team) -> None:
    assert [p.handle for p in read.visible_people(team.mia)] == ["mia"]
    assert {p.handle for p in read.visible_people(team.boss)} == {"max", "mia", "ben"}
    assert {p.handle for p in read.visible_people(team.ola)} == {"ola", "per"}
    assert len(read.visible_people(team.admin)) == 6
    with pytest.raises(PermissionDenied):
        read.workspace(team.ola, team.cycle.id, team.mia.id, TODAY)
    with pytest.raises(PermissionDenied):
        cycle_packet(team.per, team.cycle, TODAY, team.mia)


def test_drafts_submit_reopen_and_read_only(team) -> None:
    review = svc.start_review(team.mia, team.cycle.id, "mia", "self")
    with pytest.raises(ValidationError, match="give a rating"):
        svc.submit_review(team.mia, review.id, None)
    with pytest.raises(ValidationError, match="from 1 to 5"):
        svc.edit_review(team.mia, review.id, None, rating=7)
    svc.edit_review(team.mia, review.id, None, rating=4, strengths="Shipped the beta")
    svc.submit_review(team.mia, review.id, None)
    with pytest.raises(ValidationError, match="read-only"):
        svc.edit_review(team.mia, review.id, None, strengths="Changed my mind")
    with pytest.raises(PermissionDenied):
        svc.reopen_review(team.ola, review.id, None)  # another team's manager
    with pytest.raises(PermissionDenied):
        svc.reopen_review(team.mia, review.id, None)
    svc.reopen_review(team.boss, review.id, None)
    svc.edit_review(team.mia, review.id, None, strengths="Shipped the beta early")
    assert Review.get_by_id(review.id).strengths == "Shipped the beta early"


def test_calibration_keeps_the_original_and_its_history(team) -> None:
    review = _submitted(team, "manager", team.boss, rating=3)
    with pytest.raises(PermissionDenied, match="calibrated by an admin or by the manager's own manager"):
        svc.calibrate_review(team.boss, review.id, None, 4, "I like her")
    with pytest.raises(ValidationError, match="say why"):
        svc.calibrate_review(team.admin, review.id, None, 4, "")
    svc.calibrate_review(team.admin, review.id, None, 4, "Led the launch alone")
    stored = Review.get_by_id(review.id)
    assert (stored.rating, stored.original_rating, stored.state) == (4, 3, "calibrated")
    assert stored.calibrated_by_id == team.admin.id and stored.calibration_reason == "Led the launch alone"
    shown = read.visible_reviews(team.mia, team.cycle.id, team.mia)[0]
    ratings = [(h.by, h.old, h.new) for h in shown.history if h.field == "rating"]
    assert ratings[-1] == ("ada", "3", "4")
    assert "submitted as 3; calibrated by @ada: Led the launch alone" in packet_markdown(
        cycle_packet(team.mia, team.cycle, TODAY)
    )


def test_talking_points_and_action_items(team) -> None:
    meeting = svc.start_one_on_one(team.boss, "mia")
    shared = svc.add_talking_point(team.boss, meeting.id, "Conference budget")
    private = svc.add_talking_point(team.boss, meeting.id, "Consider her for tech lead", private=True)
    mine = svc.add_talking_point(team.mia, meeting.id, "Training", private=True)
    action = svc.add_action_item(team.boss, meeting.id, team.child.id, "Write the beta guide", deadline="2026-12-04")
    task = Task.get_by_id(action.task_id)
    assert (task.owner_id, task.goal_id) == (team.mia.id, team.child.id)
    boss_sees = {p.id for p in svc.visible_points(team.boss, meeting)}
    mia_sees = {p.id for p in svc.visible_points(team.mia, meeting)}
    assert boss_sees == {shared.id, private.id, action.id}
    assert mia_sees == {shared.id, mine.id, action.id}
    assert {p.id for p in svc.visible_points(team.admin, meeting)} == {shared.id, action.id}
    with pytest.raises(PermissionDenied):
        svc.visible_points(team.ola, meeting)
    with pytest.raises(PermissionDenied):
        svc.add_talking_point(team.ola, meeting.id, "Hello")
    with pytest.raises(PermissionDenied):
        svc.check_talking_point(team.mia, private.id, None)
    svc.check_talking_point(team.mia, shared.id, None)
    notes = one_on_one_markdown(team.mia, meeting, TODAY)
    assert "Consider her for tech lead" not in notes and "Write the beta guide" in notes
    shared_notes = one_on_one_markdown(team.boss, meeting, TODAY)  # notes to share: no private point
    assert "Consider her for tech lead" not in shared_notes and "(1 private point of yours left out" in shared_notes


def test_unchecked_points_carry_over_to_the_next_one_on_one(team) -> None:
    first = svc.start_one_on_one(team.boss, "mia", "2026-11-19")
    done = svc.add_talking_point(team.boss, first.id, "Done already")
    svc.add_talking_point(team.boss, first.id, "Still open")
    svc.add_talking_point(team.mia, first.id, "My private worry", private=True)
    svc.check_talking_point(team.boss, done.id, None)
    second = svc.start_one_on_one(team.boss, "mia", "2026-11-26")
    texts = {(p.text, p.author_id) for p in second.points}
    assert texts == {("Still open", team.boss.id), ("My private worry", team.mia.id)}
    assert [p.text for p in svc.visible_points(team.boss, second)] == ["Still open"]


def test_open_meeting_starts_or_finds_and_reads_it_in_one_go(team) -> None:
    goals.create_goal(team.boss, "Close five deals", parent=team.child.id, owner="mia")
    with pytest.raises(PermissionDenied, match="no one-on-one yet"):
        svc.open_meeting(team.mia, team.mia.id, team.cycle.id, TODAY)  # her manager has not started one
    with pytest.raises(PermissionDenied, match="no one-on-one yet"):
        svc.open_meeting(team.mia, team.boss.id, team.cycle.id, TODAY)
    view = svc.open_meeting(team.boss, team.mia.id, team.cycle.id, TODAY)  # the manager starts today's
    assert (view.meeting.date, view.meeting.manager_id, view.meeting.report_id) == (TODAY, team.boss.id, team.mia.id)
    assert (view.manager.handle, view.report.handle, view.points) == ("max", "mia", ())
    assert [g.title for g in view.goals] == ["Close five deals"]
    assert svc.open_meeting(team.boss, team.mia.id, team.cycle.id, TODAY).meeting == view.meeting  # found again
    assert OneOnOne.select().count() == 1
    shared = svc.add_talking_point(team.boss, view.meeting.id, "Conference budget")
    svc.add_talking_point(team.boss, view.meeting.id, "Consider her for tech lead", private=True)
    mine = svc.add_talking_point(team.mia, view.meeting.id, "Training", private=True)
    own = svc.open_meeting(team.mia, team.mia.id, team.cycle.id, TODAY)  # "my one-on-one": the newest as report
    assert own.meeting.id == view.meeting.id and own.other(team.mia.id).handle == "max"
    assert [p.id for p in own.points] == [shared.id, mine.id]
    assert [g.title for g in own.goals] == ["Close five deals"]  # still the report's goals
    assert svc.open_meeting(team.mia, team.boss.id, team.cycle.id, TODAY).meeting.id == view.meeting.id
    by_id = svc.open_meeting(team.boss, team.mia.id, team.cycle.id, TODAY, meeting_id=view.meeting.id)
    assert [p.text for p in by_id.points] == ["Conference budget", "Consider her for tech lead"]
    assert by_id.other(team.boss.id).handle == "mia"
    with pytest.raises(PermissionDenied):
        svc.open_meeting(team.ola, team.mia.id, team.cycle.id, TODAY, meeting_id=view.meeting.id)
    with pytest.raises(PermissionDenied, match="not @mia's manager"):
        svc.open_meeting(team.ola, team.mia.id, team.cycle.id, TODAY)  # another team's manager
    admin = svc.open_meeting(team.admin, team.per.id, team.cycle.id, TODAY)  # an admin looking at someone
    assert (admin.manager.handle, admin.report.handle) == ("ada", "per")


def test_cycle_state_machine(team) -> None:
    nxt = cycles.create_cycle(team.admin, "2027 Q1", "2027-01-01", "2027-03-31")
    with pytest.raises(PermissionDenied):
        cycles.advance_cycle(team.boss, nxt.id, None)
    assert cycles.advance_cycle(team.admin, nxt.id, None).state == "active"
    assert cycles.advance_cycle(team.admin, nxt.id, None).state == "review"
    with pytest.raises(ValidationError, match="cycle close"):
        cycles.advance_cycle(team.admin, nxt.id, None)
    with pytest.raises(ValidationError, match="closes from review"):
        close_cycle(team.admin, team.cycle.id, None)
    assert cycles.set_cycle_state(team.admin, nxt.id, None, "active").state == "active"  # one step back
    assert next_name(Cycle(name="2026 Q4")) == "2027 Q1"
    assert next_name(Cycle(name="Spring")) == "Spring (next)"


def _unfinished(team) -> tuple[Goal, KeyResult, Task, Task]:
    leaf = goals.create_goal(team.boss, "Launch the beta", parent=team.child.id, owner="max")
    kr = key_results.add_key_result(team.boss, leaf.id, "Beta users", target=100)
    key_results.check_in(team.boss, kr.id, 40)
    open_task = tasks.create_task(team.mia, "Invite testers", goal=leaf.id, owner="mia")
    done = tasks.create_task(team.mia, "Write the plan", goal=leaf.id, owner="mia")
    tasks.complete_task(team.mia, done.id, None)
    finished = goals.create_goal(team.admin, "Already done", parent=team.top.id)
    fk = key_results.add_key_result(team.admin, finished.id, "Ok", kind="binary", target=1)
    key_results.check_in(team.admin, fk.id, 1)
    cycles.advance_cycle(team.admin, team.cycle.id, None)
    return leaf, kr, open_task, done


@pytest.mark.parametrize("mode", ["move", "copy"])
def test_closing_carries_unfinished_work_over(team, mode) -> None:
    leaf, _kr, open_task, done = _unfinished(team)
    summary = close_cycle(team.admin, team.cycle.id, None, carry=mode, early=True)
    assert summary.created_cycle and summary.into == "2027 Q1"
    nxt = Cycle.get(Cycle.name == "2027 Q1")
    assert (nxt.state, nxt.starts.isoformat(), nxt.ends.isoformat()) == ("planning", "2027-01-01", "2027-03-31")
    copies = {g.title: g for g in Goal.select().where(Goal.cycle == nxt.id)}
    assert set(copies) == {"Grow revenue", "Win accounts", "Launch the beta", "Already done"}
    assert (
        goal_figures(copies["Already done"].id, TODAY)[0].progress == 1.0
    )  # finished, copied: its parent keeps its share
    assert copies["Launch the beta"].parent_id == copies["Win accounts"].id
    carried = KeyResult.get(KeyResult.goal == copies["Launch the beta"].id)
    assert (carried.baseline, carried.current, carried.target) == (0, 40, 100)
    assert [c.note for c in carried.check_ins] == [
        "Carried over from 2026 Q4 at 40 (its last check-in there: 2026-11-26 by @max)"
    ]
    assert Goal.get_by_id(leaf.id).status == "missed" and Cycle.get_by_id(team.cycle.id).state == "closed"
    assert Goal.get_by_id(leaf.id).status_reason == "carried over to 2027 Q1"
    here = Task.get_by_id(open_task.id)
    if mode == "move":
        assert (here.cycle_id, here.goal_id) == (nxt.id, copies["Launch the beta"].id)
    else:
        assert here.cycle_id == team.cycle.id
        copy = Task.get((Task.cycle == nxt.id) & (Task.title == "Invite testers"))
        assert copy.owner_id == team.mia.id
    assert Task.get_by_id(done.id).cycle_id == team.cycle.id  # finished work stays on record
    assert summary.tasks == 1 and f"1 open task {'moved' if mode == 'move' else 'copied'}." in summary.describe()


def test_closing_without_carry_over(team) -> None:
    _unfinished(team)
    summary = close_cycle(team.admin, team.cycle.id, None, carry="none", early=True)
    assert summary.describe() == "2026 Q4 is closed; nothing was carried over (3 unfinished goals marked missed)"
    assert not Cycle.select().where(Cycle.name == "2027 Q1").exists()


def test_people_overview_workspace_and_walkthrough(team) -> None:
    _leaf, _kr, _open_task, _ = _unfinished(team)
    svc.start_review(team.mia, team.cycle.id, "mia", "self")
    rows = {r.handle: r for r in read.people_overview(team.boss, team.cycle.id, TODAY)}
    assert set(rows) == {"max", "mia", "ben"}
    assert rows["mia"].self_state is None and rows["mia"].tasks_done == 1  # her draft is hers alone
    assert read.people_overview(team.mia, team.cycle.id, TODAY)[0].self_state == "draft"
    space = read.workspace(team.boss, team.cycle.id, team.mia.id, TODAY)
    assert [t.title for t in space.tasks_done] == ["Write the plan"]
    assert space.can_write == ("manager",) and space.reviews == ()  # mia's draft is hers
    walk = read.walkthrough(team.boss, team.boss.id, team.cycle.id, TODAY)
    assert [g.title for g in walk] == ["Win accounts", "Launch the beta"]
    assert walk[1].key_results[0].last_check_in.value == 40
    with pytest.raises(PermissionDenied):
        read.walkthrough(team.ola, team.mia.id, team.cycle.id, TODAY)


def test_analytics_and_gaps(team) -> None:
    _unfinished(team)
    data = analytics(team.cycle.id, TODAY)
    assert data.tasks.total == 2 and data.tasks.done == 1
    assert sum(count for _, count in data.goals_by_status) == 4
    assert len(data.finished_per_week) == len(data.weeks) == len(data.kr_progress_per_week)
    mine = analytics(team.cycle.id, TODAY, "person", team.mia.id)
    assert mine.goals == () and mine.tasks.total == 2
    assert gap(0.1, True, 5, 4) == WORK_NO_RESULT
    assert gap(0.5, True, 3, 0) == RESULT_NO_WORK
    assert gap(0.5, True, 3, 1) is None and gap(0.0, False, 5, 5) is None


def test_one_manager_review_per_person_and_nothing_saved_until_written(team) -> None:
    svc.write_review(team.boss, team.cycle.id, "mia", "manager", None, rating=3)
    assert Review.select().where(Review.kind == "manager").count() == 1
    review = svc.start_review(team.ola, team.cycle.id, "ola", "self")  # nothing else touched
    assert review.state == "draft"
    boss = team.admin  # ada has no manager: an admin writes her manager review
    svc.write_review(team.admin, team.cycle.id, "ada", "manager", None, strengths="Steady")
    assert Review.get((Review.reviewee == boss.id) & (Review.kind == "manager")).strengths == "Steady"


def test_an_admin_writes_anyones_manager_review_one_per_person(team) -> None:
    review = svc.write_review(team.admin, team.cycle.id, "mia", "manager", None, rating=4)
    assert (review.reviewer_id, review.kind) == (team.admin.id, "manager")
    with pytest.raises(PermissionDenied, match="@mia has a manager review by @ada already: one per person"):
        svc.start_review(team.boss, team.cycle.id, "mia", "manager")
    space = read.workspace(team.boss, team.cycle.id, team.mia.id, TODAY)
    assert space.can_write == ()
    assert space.write_note.startswith("@mia has a manager review by @ada already")
    assert read.workspace(team.admin, team.cycle.id, team.mia.id, TODAY).can_write == ("manager",)  # hers to go on
    with pytest.raises(PermissionDenied, match="written by their manager @ada or an admin"):
        svc.start_review(team.boss, team.cycle.id, "ola", "manager")  # not his report


def test_an_admin_who_has_a_manager_does_not_write_their_own_manager_review(team) -> None:
    second = people.create_person(team.admin, "eve", "Eve Admin", role="admin", manager="ada")
    with pytest.raises(PermissionDenied):
        svc.start_review(second, team.cycle.id, "eve", "manager")
    assert svc.start_review(second, team.cycle.id, "ada", "manager").reviewer_id == second.id  # ada has nobody above


def test_where_nothing_can_be_written_the_workspace_says_why(team) -> None:
    sam = people.create_person(team.admin, "sam", "Sam Intern", team="Core", manager="mia")
    space = read.workspace(team.boss, team.cycle.id, sam.id, TODAY)  # max is above sam, not his manager
    assert space.can_write == ()
    assert space.write_note == "the manager review of @sam is written by their manager @mia or an admin"
    cycles.advance_cycle(team.admin, team.cycle.id, None)
    close_cycle(team.admin, team.cycle.id, None, carry="none", early=True)
    closed = read.workspace(team.mia, team.cycle.id, sam.id, TODAY)
    assert closed.can_write == () and closed.write_note.startswith("2026 Q4 is closed")
    assert "write_note" not in cycle_packet(team.admin, Cycle.get_by_id(team.cycle.id), TODAY)["people"][0]


def test_only_manager_reviews_are_calibrated(team) -> None:
    own = _submitted(team, "self", team.mia)
    assert not read.review_view(team.admin, own, team.mia).can_calibrate
    with pytest.raises(ValidationError, match="a self review is not calibrated"):
        svc.calibrate_review(team.admin, own.id, None, 4, "Too modest")
    peer = _submitted(team, "peer", team.ola)
    with pytest.raises(ValidationError, match="a peer review is not calibrated"):
        svc.calibrate_review(team.admin, peer.id, None, 4, "Generous")
    assert Review.get_by_id(own.id).rating == 3 and Review.get_by_id(own.id).state == "submitted"
    manager = _submitted(team, "manager", team.boss)
    assert read.review_view(team.admin, manager, team.mia).can_calibrate
    assert svc.calibrate_review(team.admin, manager.id, None, 4, "Led the launch").state == "calibrated"


def test_a_one_on_one_walks_the_reports_tasks_under_anyones_goal(team) -> None:
    """Mia's late task under Max's goal shows in her one-on-one with Max, with the goal
    (and milestone) it belongs to: late and blocked first, then by deadline."""
    hers = goals.create_goal(team.boss, "Close five deals", parent=team.child.id, owner="mia")
    bens = goals.create_goal(team.boss, "Ship the portal", parent=team.child.id, owner="ben")
    stone = goals.add_milestone(team.boss, bens.id, "Beta", "2026-12-10")
    late = tasks.create_task(team.boss, "Fix the export", goal=team.child.id, owner="mia", deadline="2026-11-20")
    blocked = tasks.create_task(team.mia, "Call Acme", goal=hers.id, owner="mia", deadline="2026-12-20")
    tasks.move_task(team.mia, blocked.id, None, "blocked")
    soon = tasks.create_task(team.ben, "Review the API", milestone=stone.id, owner="mia", deadline="2026-12-01")
    undated = tasks.create_task(team.ben, "Read the spec", goal=bens.id, owner="mia", priority="high")
    finished = tasks.create_task(team.mia, "Old news", goal=team.child.id, owner="mia")
    tasks.complete_task(team.mia, finished.id, None)
    tasks.create_task(team.ben, "Not hers", goal=team.child.id, owner="ben", deadline="2026-11-01")
    found = read.report_tasks(team.boss, team.mia.id, team.cycle.id, TODAY)
    assert [t.id for t in found] == [late.id, blocked.id, soon.id, undated.id]
    first = found[0]
    assert (first.goal, first.goal_owner, first.overdue, first.deadline) == (
        "Win accounts",
        "max",
        True,
        date(2026, 11, 20),
    )
    assert (found[2].goal, found[2].goal_owner, found[2].milestone) == ("Ship the portal", "ben", "Beta")
    assert found[3].as_dict()["deadline"] is None and found[3].priority == "high"
    view = svc.open_meeting(team.boss, team.mia.id, team.cycle.id, TODAY)
    assert [g.title for g in view.goals] == ["Close five deals"]  # her own goals stay the pages
    assert view.tasks == found
    notes = one_on_one_markdown(team.boss, OneOnOne.get_by_id(view.meeting.id), TODAY)
    assert "## Open tasks of @mia in 2026 Q4" in notes
    assert "- Fix the export (late since 2026-11-20) · under “Win accounts” (@max)" in notes
    assert "- Review the API (due 2026-12-01) · under “Ship the portal” (@ben) › Beta" in notes
    assert "Not hers" not in notes and "Old news" not in notes
    with pytest.raises(PermissionDenied):
        read.report_tasks(team.ola, team.mia.id, team.cycle.id, TODAY)
