"""Reviews (self, manager, peer) with calibration, and one-on-ones with talking points
and action items. Who may read and write what is decided in :mod:`..access`, here,
for every call: the UI, the CLI and exports only ever get what these allow."""

from __future__ import annotations

from datetime import date
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.access import (
    CALIBRATED_KINDS,
    can_calibrate,
    can_reopen,
    can_write_review,
    manager_review_taken,
    meeting_visible,
    point_visible,
    who_writes,
)
from okrate_tui.core.errors import PermissionDenied, ValidationError
from okrate_tui.core.models import Cycle, Goal, OneOnOne, Person, Review, TalkingPoint
from okrate_tui.core.permissions import authorize, is_admin, is_manager_of
from okrate_tui.core.queries.org import PersonRow, person_row
from okrate_tui.core.queries.reviews import (
    MeetingRow,
    MeetingView,
    PointRow,
    latest_as_report,
    report_tasks,
    walkthrough,
)
from okrate_tui.core.queries.tree import CycleTree
from okrate_tui.core.services import refs
from okrate_tui.core.services.cycles import ensure_open
from okrate_tui.core.services.tasks import create_task
from okrate_tui.core.validation import Checker, clean_text, clean_title, parse_choice, parse_date, parse_rating
from okrate_tui.core.vocab import REVIEW_KINDS
from okrate_tui.core.writes import apply_edit, get, log, person_of, writes

REVIEW_TEXT = ("strengths", "improvements", "comments")


@writes
def start_review(actor: Person, cycle: Any, reviewee: Any, kind: str, *, private: bool = False) -> Review:
    """Open (or return) the draft review of ``reviewee`` that ``actor`` writes."""
    authorize(actor, "review.write")
    check = Checker()
    the_cycle = refs.resolve(check, "cycle", Cycle, cycle, optional=False)
    person = refs.person(check, "reviewee", reviewee)
    the_kind = check("kind", parse_choice, kind, REVIEW_KINDS)
    check.done()
    assert person is not None and the_cycle is not None and the_kind is not None
    ensure_open(the_cycle.id)
    if not can_write_review(actor, person, the_kind):
        raise PermissionDenied(who_writes(the_kind, person))
    if the_kind == "manager":
        other = Review.get_or_none(
            (Review.cycle == the_cycle)
            & (Review.reviewee == person)
            & (Review.kind == "manager")
            & (Review.reviewer != actor.id)
        )
        if other is not None:
            writer = Person.get_or_none(Person.id == other.reviewer_id)
            raise PermissionDenied(manager_review_taken(person, writer.handle if writer else None))
    exists = Review.get_or_none(
        (Review.cycle == the_cycle)
        & (Review.reviewee == person)
        & (Review.reviewer == actor)
        & (Review.kind == the_kind)
    )
    if exists is not None:
        return exists
    review = Review.create(cycle=the_cycle, reviewee=person, reviewer=actor, kind=the_kind, private=private)
    log().created(review, f"{the_kind} review of @{person.handle}")
    return review


@writes
def write_review(actor: Person, cycle: Any, reviewee: Any, kind: str, version: int | None, **changes: Any) -> Review:
    """Save ``actor``'s draft review (opening it on the first save): nothing is written
    until there is something to save."""
    review = start_review(actor, cycle, reviewee, kind, private=bool(changes.get("private", False)))
    return edit_review(actor, review.id, version if review.version > 1 else None, **changes)


def _own_draft(actor: Person, review_id: int) -> Review:
    review = get(Review, review_id)
    if review.reviewer_id != actor.id:
        raise PermissionDenied("only the reviewer changes a review")
    ensure_open(review.cycle_id)
    if review.state != "draft":
        raise ValidationError.single("state", "a submitted review is read-only until a manager or admin reopens it")
    return review


@writes
def edit_review(actor: Person, review_id: int, version: int | None, **changes: Any) -> Review:
    """Change a draft review's rating and text (the reviewer only)."""
    authorize(actor, "review.write")
    review = _own_draft(actor, review_id)
    check = Checker()
    fields: dict[str, Any] = {}
    if "rating" in changes:
        fields["rating"] = check("rating", parse_rating, changes["rating"])
    for name in REVIEW_TEXT:
        if name in changes:
            fields[name] = check(name, clean_text, changes[name])
    if "private" in changes:
        fields["private"] = bool(changes["private"])
    for field in set(changes) - {"rating", "private", *REVIEW_TEXT}:
        check.fail(field, "cannot be changed here")
    check.done()
    return apply_edit(review, version, fields)


@writes
def submit_review(actor: Person, review_id: int, version: int | None) -> Review:
    """Submit a draft: from now on it is read-only, and its reviewee can read it."""
    authorize(actor, "review.write")
    review = _own_draft(actor, review_id)
    if review.rating is None:
        raise ValidationError.single("rating", "give a rating from 1 to 5 before submitting")
    return apply_edit(
        review, version, {"state": "submitted"}, extra={"submitted_at": clock.now(), "original_rating": review.rating}
    )


@writes
def reopen_review(actor: Person, review_id: int, version: int | None) -> Review:
    """Put a submitted review back to draft (the reviewee's manager or an admin)."""
    authorize(actor, "review.reopen")
    review = get(Review, review_id)
    ensure_open(review.cycle_id)
    if not can_reopen(actor, get(Person, review.reviewee_id)):
        raise PermissionDenied("a submitted review is reopened by the reviewee's manager or an admin")
    if review.state == "draft":
        raise ValidationError.single("state", "this review is a draft already")
    return apply_edit(review, version, {"state": "draft"})


@writes
def calibrate_review(actor: Person, review_id: int, version: int | None, rating: Any, reason: str) -> Review:
    """Adjust a submitted rating with a reason; the rating as submitted stays on record,
    and the change log keeps every calibration with who and when."""
    authorize(actor, "review.calibrate")
    review = get(Review, review_id)
    ensure_open(review.cycle_id)
    if not can_calibrate(actor, get(Person, review.reviewee_id)):
        raise PermissionDenied("ratings are calibrated by an admin or by the manager's own manager")
    if review.kind not in CALIBRATED_KINDS:
        raise ValidationError.single(
            "review", f"a {review.kind} review is not calibrated: calibration adjusts the manager's rating"
        )
    if review.state == "draft":
        raise ValidationError.single("state", "only a submitted review can be calibrated")
    check = Checker()
    value = check("rating", parse_rating, rating)
    why = check("reason", clean_text, reason, 2_000)
    if value is None and "rating" not in check.errors:
        check.fail("rating", "give the calibrated rating from 1 to 5")
    if not why and "reason" not in check.errors:
        check.fail("reason", "say why the rating changes")
    check.done()
    return apply_edit(
        review,
        version,
        {"rating": value, "state": "calibrated"},
        extra={"calibrated_by": actor.id, "calibrated_at": clock.now(), "calibration_reason": why},
    )


# --- one-on-ones -------------------------------------------------------------------


@writes
def start_one_on_one(actor: Person, report: Any, when: Any = None) -> OneOnOne:
    """Open a one-on-one with a report; unchecked points of the last one carry over."""
    authorize(actor, "one_on_one.hold")
    check = Checker()
    person = refs.person(check, "report", report)
    day = check("date", parse_date, when) or clock.today()
    check.done()
    assert person is not None
    if not (is_manager_of(actor, person) or is_admin(actor)):
        raise PermissionDenied(f"@{actor.handle} is not @{person.handle}'s manager")
    same_day = OneOnOne.get_or_none((OneOnOne.manager == actor) & (OneOnOne.report == person) & (OneOnOne.date == day))
    if same_day is not None:
        return same_day
    last = (
        OneOnOne.select()
        .where((OneOnOne.manager == actor) & (OneOnOne.report == person))
        .order_by(OneOnOne.date.desc(), OneOnOne.id.desc())
        .first()
    )
    meeting = OneOnOne.create(manager=actor, report=person, date=day)
    log().created(meeting, f"one-on-one with @{person.handle}")
    if last is not None:
        open_points = last.points.where(TalkingPoint.done == False).order_by(TalkingPoint.position)  # noqa: E712
        for index, point in enumerate(open_points):
            copy = TalkingPoint.create(
                one_on_one=meeting,
                text=point.text,
                private=point.private,
                author=point.author_id,
                position=index,
                task=point.task_id,
            )
            log().created(copy, "private point" if point.private else point.text)
    return meeting


def _meeting_for(actor: Person, meeting_id: int) -> OneOnOne:
    meeting = get(OneOnOne, meeting_id)
    if actor.id not in (meeting.manager_id, meeting.report_id):
        raise PermissionDenied("only the two people in a one-on-one change it")
    return meeting


@writes
def add_talking_point(actor: Person, meeting_id: int, text: str, *, private: bool = False) -> TalkingPoint:
    """A point to talk about; a private one is seen by its author only."""
    meeting = _meeting_for(actor, meeting_id)
    check = Checker()
    clean = check("text", clean_title, text, 500)
    check.done()
    position = meeting.points.count()
    point = TalkingPoint.create(one_on_one=meeting, text=clean, private=private, author=actor, position=position)
    log().created(point, "private point" if private else clean)
    return point


@writes
def check_talking_point(actor: Person, point_id: int, version: int | None, done: bool = True) -> TalkingPoint:
    point = get(TalkingPoint, point_id)
    meeting = _meeting_for(actor, point.one_on_one_id)
    if not point_visible(actor, point, meeting):
        raise PermissionDenied("this talking point is not yours to check")
    return apply_edit(point, version, {"done": done})


@writes
def edit_notes(actor: Person, meeting_id: int, version: int | None, notes: str) -> OneOnOne:
    """The meeting's shared notes."""
    meeting = _meeting_for(actor, meeting_id)
    check = Checker()
    text = check("notes", clean_text, notes)
    check.done()
    return apply_edit(meeting, version, {"notes": text})


@writes
def add_action_item(
    actor: Person, meeting_id: int, goal: Any, title: str, *, deadline: Any = None, priority: str | None = None
) -> TalkingPoint:
    """An action item: a task for the report under the goal being discussed, listed in
    the meeting as a shared talking point."""
    meeting = _meeting_for(actor, meeting_id)
    check = Checker()
    the_goal = refs.goal(check, "goal", goal)
    check.done()
    assert the_goal is not None
    task = create_task(
        actor,
        title,
        goal=the_goal.id,
        owner=meeting.report_id,
        deadline=deadline,
        priority=priority,
        context=f"Action item from the one-on-one of {meeting.date}",
    )
    position = meeting.points.count()
    point = TalkingPoint.create(
        one_on_one=meeting, text=task.title, private=False, author=actor, position=position, task=task
    )
    log().created(point, f"action item: {task.title}")
    return point


def visible_points(actor: Person | PersonRow, meeting: OneOnOne) -> list[TalkingPoint]:
    """The meeting's points that ``actor`` may see, in order."""
    actor = person_of(actor)
    if not meeting_visible(actor, meeting):
        raise PermissionDenied("this one-on-one is not yours to see")
    points = meeting.points.order_by(TalkingPoint.position, TalkingPoint.id)
    return [p for p in points if point_visible(actor, p, meeting)]


def open_meeting(
    actor: Person | PersonRow,
    other_id: int,
    cycle_id: int,
    today: date,
    *,
    meeting_id: int | None = None,
    tree: CycleTree | None = None,
) -> MeetingView:
    """Open the one-on-one between ``actor`` and another person and read it in one go.

    A manager (anyone above the other person) or an admin starts today's meeting with
    them, or finds it when it is started already. The report (``other_id`` someone above
    them, or their own id for "my one-on-one") gets the newest meeting they had as the
    report: with that person, or with anyone for their own. ``meeting_id`` reads that
    meeting instead, when the actor may see it. The goal pages are the report's goals in
    the cycle (``tree``, the cycle's goal tree when the caller holds it, saves reading it);
    beside them every open task the report owns in the cycle, under anyone's goal.
    """
    me = person_of(actor)
    if meeting_id is not None:
        meeting = get(OneOnOne, meeting_id)
        if not meeting_visible(me, meeting):
            raise PermissionDenied("this one-on-one is not yours to see")
    else:
        other = get(Person, other_id)
        if other.id == me.id:
            meeting = latest_as_report(me)
        elif is_manager_of(me, other):
            meeting = start_one_on_one(me, other.id)
        elif is_manager_of(other, me):
            meeting = latest_as_report(me, other.id)
        elif is_admin(me):
            meeting = start_one_on_one(me, other.id)
        else:
            raise PermissionDenied(f"@{me.handle} is not @{other.handle}'s manager")
        meeting = get(OneOnOne, meeting.id)
    points = tuple(
        PointRow(p.id, p.text, p.private, p.done, p.author_id, p.task_id, p.version, p.position)
        for p in visible_points(me, meeting)
    )
    return MeetingView(
        meeting=MeetingRow.of(meeting),
        manager=person_row(meeting.manager_id),
        report=person_row(meeting.report_id),
        points=points,
        goals=walkthrough(me, meeting.report_id, cycle_id, today, tree),
        tasks=report_tasks(me, meeting.report_id, cycle_id, today),
    )


def goals_of(person_id: int, cycle_id: int) -> list[Goal]:
    """The live goals a person owns in a cycle, top-level first."""
    return list(
        Goal.select()
        .where((Goal.owner == person_id) & (Goal.cycle == cycle_id) & (Goal.archived == False))  # noqa: E712
        .order_by(Goal.level, Goal.id)
    )
