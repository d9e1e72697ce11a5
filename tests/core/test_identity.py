"""Who acts: claimed on a personal file, the login on a shared database, the key on a server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from okrate_tui.core import identity
from okrate_tui.core.errors import NotFoundError, PermissionDenied
from okrate_tui.core.identity import Identity, Mode, file_mode, for_key
from okrate_tui.core.services import people


def test_a_file_only_its_owner_may_write_is_personal(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    assert file_mode(path) is Mode.PERSONAL  # not made yet: this login makes it, 0600
    path.touch(mode=0o600)
    assert file_mode(path) is Mode.PERSONAL
    os.chmod(path, 0o644)
    assert file_mode(path) is Mode.PERSONAL  # others may read, not write
    os.chmod(path, 0o660)
    assert file_mode(path) is Mode.SHARED
    os.chmod(path, 0o602)
    assert file_mode(path) is Mode.SHARED
    assert file_mode(None) is Mode.SHARED  # PostgreSQL


def test_a_file_another_login_owns_is_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "theirs.db"
    path.touch(mode=0o600)
    monkeypatch.setattr(os, "geteuid", lambda: path.stat().st_uid + 1)
    assert file_mode(path) is Mode.SHARED


def test_personal_databases_take_a_claimed_handle(org) -> None:
    me = Identity(Mode.PERSONAL, claimed="@MIA", login="nobody-here")
    assert me.resolve().id == org.mia.id
    assert Identity(Mode.PERSONAL, login="nobody-here").resolve() is None  # the app may offer a picker
    with pytest.raises(NotFoundError):
        Identity(Mode.PERSONAL, claimed="ghost").resolve()


def test_shared_databases_take_the_login_and_refuse_claims(org) -> None:
    assert Identity(Mode.SHARED, login="mia").resolve().id == org.mia.id
    assert Identity(Mode.SHARED, claimed="mia", login="mia").resolve().id == org.mia.id  # naming yourself is fine
    with pytest.raises(PermissionDenied, match="refused on a shared database"):
        Identity(Mode.SHARED, claimed="ada", login="mia").resolve()
    with pytest.raises(PermissionDenied, match="ask an admin to add you"):
        Identity(Mode.SHARED, login="eve").resolve()
    people.edit_person(org.admin, org.mia.id, None, active=False)
    with pytest.raises(PermissionDenied, match="ask an admin"):
        Identity(Mode.SHARED, login="mia").resolve()


def test_server_sessions_are_the_keys_person(org) -> None:
    assert for_key(org.ben.id).resolve().id == org.ben.id
    people.edit_person(org.admin, org.ben.id, None, active=False)
    with pytest.raises(PermissionDenied, match="no longer active"):
        for_key(org.ben.id).resolve()


def test_the_login_comes_from_the_system_not_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    real = identity.os_user()
    monkeypatch.setenv("LOGNAME", "maria")
    monkeypatch.setenv("USER", "maria")
    assert identity.os_user() == real
