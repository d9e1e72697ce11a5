"""Who may read and write reviews, one-on-ones and talking points.

- Drafts are seen by their author only. A submitted review is seen by its reviewer,
  its reviewee, anyone above the reviewee in the reporting line, and admins.
- A review marked private, and a private talking point, are seen by their author only
  (admins included: private means private).
- A self review is written by the person; a manager review by their direct manager (an
  admin writes it for people without one), one per person and cycle; a peer review by
  anyone but the reviewee.
- A submitted review is reopened by a manager above the reviewee or an admin, and its
  rating calibrated by an admin or the manager's own manager.
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
    if kind == "manager":  # an admin writes it for people without a manager
        return reviewee.manager_id == actor.id or (is_admin(actor) and reviewee.manager_id is None)
    return actor.id != reviewee.id


def can_reopen(actor: Person, reviewee: Person) -> bool:
    return is_admin(actor) or is_manager_of(actor, reviewee)


def can_calibrate(actor: Person, reviewee: Person) -> bool:
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
