"""Reviews (self, manager, peer) and one-on-ones with their talking points."""

from __future__ import annotations

from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.errors import PermissionDenied, ValidationError
from okrate_tui.core.models import Cycle, OneOnOne, Person, Review, TalkingPoint
from okrate_tui.core.permissions import authorize, is_admin, is_manager_of
from okrate_tui.core.services import refs
from okrate_tui.core.validation import (
    Checker,
    clean_text,
    clean_title,
    parse_choice,
    parse_date,
    parse_rating,
)
from okrate_tui.core.vocab import REVIEW_KINDS
from okrate_tui.core.writes import apply_edit, get, log, writes

REVIEW_TEXT = ("strengths", "improvements", "comments")


@writes
def start_review(actor: Person, cycle: Any, reviewee: Any, kind: str, *, private: bool = False) -> Review:
    """Open a draft review of ``reviewee`` written by ``actor``."""
    authorize(actor, "review.write")
    check = Checker()
    the_cycle = refs.resolve(check, "cycle", Cycle, cycle, optional=False)
    person = refs.person(check, "reviewee", reviewee)
    the_kind = check("kind", parse_choice, kind, REVIEW_KINDS)
    check.done()
    assert person is not None and the_cycle is not None
    if the_kind == "self" and person.id != actor.id:
        raise PermissionDenied("a self review is written by the person themself")
    if the_kind == "manager" and not (is_manager_of(actor, person) or is_admin(actor)):
        raise PermissionDenied(f"@{actor.handle} is not @{person.handle}'s manager")
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
def edit_review(actor: Person, review_id: int, version: int | None, **changes: Any) -> Review:
    """Change a draft review's rating and text (the reviewer only)."""
    review = get(Review, review_id)
    authorize(actor, "review.write")
    if review.reviewer_id != actor.id:
        raise PermissionDenied("only the reviewer edits a review")
    if review.state != "draft":
        raise ValidationError.single("state", "a submitted review is read-only until reopened")
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
    review = get(Review, review_id)
    if review.reviewer_id != actor.id:
        raise PermissionDenied("only the reviewer submits a review")
    if review.rating is None:
        raise ValidationError.single("rating", "give a rating from 1 to 5 before submitting")
    return apply_edit(
        review,
        version,
        {"state": "submitted"},
        extra={"submitted_at": clock.now(), "original_rating": review.rating},
    )


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
    last = (
        OneOnOne.select()
        .where((OneOnOne.manager == actor) & (OneOnOne.report == person))
        .order_by(OneOnOne.date.desc(), OneOnOne.id.desc())
        .first()
    )
    meeting = OneOnOne.create(manager=actor, report=person, date=day)
    log().created(meeting, f"one-on-one with @{person.handle}")
    if last is not None:
        for point in last.points.where(TalkingPoint.done == False).order_by(TalkingPoint.position):  # noqa: E712
            add_talking_point(actor, meeting.id, point.text, private=point.private)
    return meeting


@writes
def add_talking_point(actor: Person, meeting_id: int, text: str, *, private: bool = False) -> TalkingPoint:
    meeting = get(OneOnOne, meeting_id)
    if actor.id not in (meeting.manager_id, meeting.report_id):
        raise PermissionDenied("only the two people in a one-on-one add to it")
    if private and actor.id != meeting.manager_id:
        raise PermissionDenied("private points are the manager's own notes")
    check = Checker()
    clean = check("text", clean_title, text, 500)
    check.done()
    position = meeting.points.count()
    point = TalkingPoint.create(one_on_one=meeting, text=clean, private=private, author=actor, position=position)
    log().created(point, clean)
    return point


@writes
def check_talking_point(actor: Person, point_id: int, version: int | None, done: bool = True) -> TalkingPoint:
    point = get(TalkingPoint, point_id)
    meeting = get(OneOnOne, point.one_on_one_id)
    if actor.id not in (meeting.manager_id, meeting.report_id) or (point.private and actor.id != meeting.manager_id):
        raise PermissionDenied("this talking point is not yours to check")
    return apply_edit(point, version, {"done": done})
