"""Who may read and write reviews, one-on-ones and talking points.

- Drafts are seen by their author only. A submitted review is seen by its reviewer,
  its reviewee, anyone above the reviewee in the reporting line, and admins.
- A review marked private, and a private talking point, are seen by their author only
  (admins included: private means private).
- A self review is written by the person; a manager review by their direct manager or
  an admin (an admin's own only when nobody manages them), one per person and cycle; a
  peer review by anyone but the reviewee.
- A submitted review is reopened by a manager above the reviewee or an admin. Manager
  reviews alone are calibrated (self and peer reviews are the writer's own view), by an
  admin or the manager's own manager.
"""

from __future__ import annotations

from okrate_tui.core.models import OneOnOne, Person, Review, TalkingPoint
from okrate_tui.core.permissions import is_admin, is_manager_of


def review_visible(actor: Person, review: Review, reviewee: Person) -> bool:
    if review.reviewer_id == actor.id:
        return True
    if review.private or review.state == "draft":
        return False
    return actor.id == review.reviewee_id or is_admin(actor) or is_manager_of(actor, reviewee)


def can_write_review(actor: Person, reviewee: Person, kind: str) -> bool:
    if kind == "self":
        return actor.id == reviewee.id
    if kind == "manager":  # an admin writes anyone's, their own only when nobody manages them
        if reviewee.manager_id == actor.id:
            return True
        return is_admin(actor) and (actor.id != reviewee.id or reviewee.manager_id is None)
    return actor.id != reviewee.id


def can_reopen(actor: Person, reviewee: Person) -> bool:
    return is_admin(actor) or is_manager_of(actor, reviewee)


CALIBRATED_KINDS = ("manager",)


def can_calibrate(actor: Person, reviewee: Person) -> bool:
    """May ``actor`` calibrate ratings of ``reviewee`` (their manager review)?"""
    if is_admin(actor):
        return True
    manager = Person.get_or_none(Person.id == reviewee.manager_id) if reviewee.manager_id else None
    return manager is not None and is_manager_of(actor, manager)


def meeting_visible(actor: Person, meeting: OneOnOne) -> bool:
    return actor.id in (meeting.manager_id, meeting.report_id) or is_admin(actor)


def point_visible(actor: Person, point: TalkingPoint, meeting: OneOnOne) -> bool:
    if point.private:
        return point.author_id == actor.id
    return meeting_visible(actor, meeting)


def manager_review_taken(person: Person, writer: str | None) -> str:
    """Why a second manager review of ``person`` cannot be started (``writer``: a handle)."""
    by = f" by @{writer}" if writer else ""
    return (
        f"@{person.handle} has a manager review{by} already: one per person and cycle "
        "(a submitted rating is changed by calibrating it)"
    )


def who_writes(kind: str, person: Person) -> str:
    """Who writes a review of ``person`` of this kind, as a sentence."""
    if kind == "self":
        return f"a self review of @{person.handle} is written by @{person.handle}"
    if kind == "manager":
        manager = Person.get_or_none(Person.id == person.manager_id) if person.manager_id else None
        whose = f"their manager @{manager.handle}" if manager else "an admin"
        return f"the manager review of @{person.handle} is written by {whose}" + (" or an admin" if manager else "")
    return "nobody writes a peer review of themself"
