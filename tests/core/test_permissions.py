"""Permissions checked in the services, so the app, the command line and a server agree:
who grants roles, who adds keys, and what a reviewee sees of a review's history."""

from __future__ import annotations

import base64
import struct

import pytest

from okrate_tui.core.errors import NotFoundError, PermissionDenied, ValidationError
from okrate_tui.core.models import Change, Review, SshKey
from okrate_tui.core.queries.reviews import review_view
from okrate_tui.core.services import access_log, keys, people
from okrate_tui.core.services import reviews as svc
from okrate_tui.core.sshkeys import parse


def _key(seed: int, comment: str = "laptop") -> str:
    """A well-formed ed25519 public key line (the key bytes need not be a real point)."""
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + bytes([seed]) * 32
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"


def test_only_an_admin_grants_or_takes_the_admin_role(org) -> None:
    with pytest.raises(PermissionDenied, match="only an admin"):
        people.create_person(org.boss, "x", "X", role="admin")
    with pytest.raises(PermissionDenied, match="only an admin"):
        people.edit_person(org.boss, org.mia.id, None, role="admin")
    with pytest.raises(PermissionDenied, match="only an admin"):
        people.edit_person(org.boss, org.admin.id, None, name="Renamed")
    assert people.create_person(org.boss, "nia", "Nia New", manager="max").role == "member"
    assert people.create_person(org.admin, "second", "Second Admin", role="admin").role == "admin"
    assert people.edit_person(org.admin, org.mia.id, None, role="manager").role == "manager"


def test_managers_change_only_the_people_below_them(org) -> None:
    other = people.create_person(org.admin, "ola", "Ola Other", role="manager", manager="ada")
    with pytest.raises(PermissionDenied, match="below them"):
        people.edit_person(other, org.mia.id, None, active=False)
    assert people.edit_person(org.boss, org.mia.id, None, active=False).active is False


def test_the_last_admin_cannot_leave(org) -> None:
    with pytest.raises(PermissionDenied, match="last admin"):
        people.edit_person(org.admin, org.admin.id, None, active=False)


def test_a_reviewee_never_sees_what_was_tried_in_a_draft(org) -> None:
    review = svc.start_review(org.boss, org.cycle.id, "mia", "manager")
    svc.edit_review(org.boss, review.id, None, rating=2)
    svc.edit_review(org.boss, review.id, None, rating=4)
    submitted = svc.submit_review(org.boss, review.id, None)
    svc.calibrate_review(org.admin, submitted.id, None, 3, "Across the team")
    review = Review.get_by_id(review.id)
    ratings = lambda seen: [(h.old, h.new) for h in seen.history if h.field == "rating"]  # noqa: E731
    assert ratings(review_view(org.boss, review, org.mia)) == [(None, "2"), ("2", "4"), ("4", "3")]
    assert ratings(review_view(org.mia, review, org.mia)) == [("4", "3")]  # the calibration only
    states = [h.new for h in review_view(org.mia, review, org.mia).history if h.field == "state"]
    assert states == ["submitted", "calibrated"]


def test_keys_are_added_and_revoked_by_admins_and_logged(org) -> None:
    with pytest.raises(PermissionDenied, match="needs an admin"):
        keys.add_key(org.boss, "mia", _key(1))
    key = keys.add_key(org.admin, "mia", _key(1))
    assert key.fingerprint == parse(_key(1)).fingerprint and key.comment == "laptop"
    assert keys.key_owner(key.id).id == org.mia.id
    with pytest.raises(PermissionDenied, match="registered to this person already"):
        keys.add_key(org.admin, "mia", _key(1, "again"))
    with pytest.raises(PermissionDenied, match="registered to @mia"):
        keys.add_key(org.admin, "ben", _key(1))
    assert [k.handle for k in keys.list_keys(org.mia)] == ["mia"]
    assert keys.list_keys(org.ben) == []
    with pytest.raises(PermissionDenied, match="needs an admin"):
        keys.revoke_key(org.mia, key.id)
    keys.revoke_key(org.admin, key.id)
    with pytest.raises(PermissionDenied, match=r"no longer\) registered"):
        keys.key_owner(key.id)
    assert keys.active_keys() == []
    logged = {(c.entity, c.field, c.actor_id) for c in Change.select().where(Change.entity == "ssh_key")}
    assert logged == {("ssh_key", f, org.admin.id) for f in ("@create", "revoked_at", "revoked_by")}
    again = keys.add_key(org.admin, "ben", _key(1))  # a revoked key may go to someone else
    assert keys.key_owner(again.id).id == org.ben.id


def test_a_deactivated_persons_keys_open_nothing(org) -> None:
    key = keys.add_key(org.admin, "ben", _key(2))
    people.edit_person(org.admin, org.ben.id, None, active=False)
    with pytest.raises(PermissionDenied, match="no longer active"):
        keys.key_owner(key.id)
    assert keys.active_keys() == []
    assert keys.list_keys(org.admin)[0].active is False


def test_the_last_admin_key_cannot_be_revoked(org) -> None:
    key = keys.add_key(org.admin, "ada", _key(3))
    with pytest.raises(PermissionDenied, match="last key of an active admin"):
        keys.revoke_key(org.admin, key.id)
    keys.add_key(org.admin, "ada", _key(4))
    keys.revoke_key(org.admin, key.id)


def test_bad_keys_are_refused_with_a_reason(org) -> None:
    for text, reason in (
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", "private key"),
        ("", "no public key"),
        (_key(1) + "\n" + _key(2), "one key at a time"),
        ("ssh-dss AAAA", "DSA"),
        ('command="x" ' + _key(1), "without authorized_keys options"),
        ("ssh-ed25519 not*base64", "base64"),
        ("ssh-rsa " + _key(1).split()[1], "does not hold an ssh-rsa key"),
    ):
        with pytest.raises(ValidationError, match=reason):
            keys.add_key(org.admin, "mia", text)
    with pytest.raises(NotFoundError):
        keys.add_key(org.admin, "ghost", _key(5))
    assert SshKey.select().count() == 0


def test_the_access_log_is_an_admins(org) -> None:
    key = keys.add_key(org.admin, "mia", _key(6))
    entry = access_log.record(None, key.id, org.mia.id, "10.0.0.7:50000", "task list")
    access_log.finish(None, entry, "exit 2")
    access_log.record(None, 999, None, "10.0.0.8:50001", "app", "refused: no such key")
    with pytest.raises(PermissionDenied, match="an admin's"):
        access_log.entries(org.mia)
    rows = access_log.entries(org.admin)
    assert [(r.handle, r.key_id, r.what, r.outcome) for r in rows] == [
        (None, 999, "app", "refused: no such key"),
        ("mia", key.id, "task list", "exit 2"),
    ]
    assert [r.what for r in access_log.entries(org.admin, person=org.mia)] == ["task list"]
    assert not Change.select().where(Change.entity == "access").exists()  # connections change no data


def test_a_session_opened_before_a_change_acts_as_the_person_is_now(org) -> None:
    """The actor object a session holds may be stale: every write reads who they are now."""
    from okrate_tui.core.services import tasks

    stale = people.find_person("mia")
    people.edit_person(org.admin, org.mia.id, None, active=False)
    with pytest.raises(PermissionDenied, match="no longer active"):
        tasks.create_task(stale, "Sneak in", goal=org.child.id)
    people.edit_person(org.admin, org.mia.id, None, active=True)
    demoted = people.find_person("max")
    people.edit_person(org.admin, org.boss.id, None, role="member")
    with pytest.raises(PermissionDenied):
        people.create_team(demoted, "Shadow team")
