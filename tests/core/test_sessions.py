"""The sessions of a team server: the limits on them, sweeping away dead ones, and ending
them through the database (an admin, a revoked key, a deactivation), on both backends."""

from __future__ import annotations

import base64
import os
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrate_tui.core.errors import NotFoundError, PermissionDenied, StorageError
from okrate_tui.core.models import ServerSession, Task
from okrate_tui.core.server import Limits, ServerConfig, load
from okrate_tui.core.services import keys, people, sessions, tasks

LIMITS = Limits(sessions_per_person=2, sessions_per_server=3)


def _key(seed: int) -> str:
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + bytes([seed]) * 32
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} laptop"


def _config(tmp_path: Path, database: str = "", limits: Limits = LIMITS) -> ServerConfig:
    home = tmp_path / "home"
    return ServerConfig(
        home / ".config" / "okrate" / "server.toml",
        "okrate",
        database or str(home / "data" / "okrate.db"),
        "okrate",
        limits,
    )


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


@pytest.fixture(autouse=True)
def _no_session_served() -> Iterator[None]:
    yield
    sessions.serve(None)


def _open(person_id: int, key_id: int | None = None, remote: str = "10.0.0.7:51234", **kwargs) -> int:
    return sessions.open_session(person_id, key_id, "app", remote, LIMITS, **kwargs)


def test_a_login_beyond_the_per_person_limit_is_refused_with_what_to_do(org) -> None:
    first, second = _open(org.mia.id), _open(org.mia.id)
    with pytest.raises(sessions.SessionRefused, match="you have 2 sessions open") as refused:
        _open(org.mia.id)
    assert "quit the app in one of them" in str(refused.value) and "okrate sessions" in str(refused.value)
    assert ServerSession.select().count() == 2  # the refusal left nothing behind
    _open(org.ben.id)  # another person still gets in
    sessions.close_session(None, first)
    assert _open(org.mia.id) not in (first, second)


def test_a_full_server_refuses_the_next_login_but_lets_an_admins_sessions_command_in(org) -> None:
    _open(org.mia.id), _open(org.ben.id), _open(org.boss.id)
    with pytest.raises(sessions.SessionRefused, match="this server has 3 sessions open, the most it allows"):
        _open(org.admin.id)
    assert _open(org.admin.id, exempt=True)
    other = sessions.open_session(org.admin.id, None, "app", "", LIMITS, host="elsewhere/boot")
    assert other  # the server-wide limit counts this machine's sessions only


def test_sessions_of_dead_processes_are_swept_before_counting(org) -> None:
    dead = _dead_pid()
    _open(org.mia.id, pid=dead)
    _open(org.mia.id, pid=os.getpid())
    reused = _open(org.ben.id)
    ServerSession.update(pid_mark="1").where(ServerSession.id == reused).execute()  # the pid went to another process
    assert _open(org.mia.id)  # the dead one no longer counts against mia
    assert {s.pid for s in ServerSession.select().where(ServerSession.person == org.mia.id)} == {os.getpid()}
    assert not ServerSession.select().where(ServerSession.person == org.ben.id).exists()


def test_sessions_of_another_machine_are_swept_when_their_heartbeat_stops(org) -> None:
    quiet = sessions.open_session(org.mia.id, None, "app", "", LIMITS, host="other/boot", pid=1)
    beating = sessions.open_session(org.ben.id, None, "app", "", LIMITS, host="other/boot", pid=1)
    long_ago = sessions._real_now() - timedelta(seconds=sessions.STALE_SECONDS + 5)
    ServerSession.update(seen_at=long_ago).execute()
    sessions.heartbeat(None, beating)
    assert sessions.sweep(None) == 1
    assert [s.id for s in ServerSession.select()] == [beating] and quiet != beating


def test_admins_list_and_end_sessions_and_members_are_refused(org) -> None:
    mine = _open(org.mia.id, remote="10.1.2.3:40000")
    _open(org.ben.id)
    with pytest.raises(PermissionDenied, match="@mia is a member: listing the server's sessions is an admin's"):
        sessions.list_sessions(org.mia)
    with pytest.raises(PermissionDenied, match="@max is a manager: ending sessions is an admin's"):
        sessions.end_session(org.boss, mine)
    rows = sessions.list_sessions(org.admin)
    assert [(r.handle, r.what, r.ending) for r in rows] == [("mia", "app", None), ("ben", "app", None)]
    assert rows[0].remote == "10.1.2.3:40000" and rows[0].server == os.uname().nodename
    ended = sessions.end_session(org.admin, mine)
    assert ended.ending == "@ada ended it"
    current = sessions.Current(mine, org.mia.id, None, _config(Path("/nonexistent")))
    assert sessions.ended_reason(current) == "@ada ended it"
    assert sessions.ended_line("@ada ended it") == "okrate: this session has ended: @ada ended it."
    with pytest.raises(NotFoundError, match="no session 999"):
        sessions.end_session(org.admin, 999)
    assert sessions.end_sessions_of(None, org.ben.id) == 1  # the server's operator
    assert sessions.list_sessions(None)[1].ending == "the server's operator ended it"
    assert sessions.ended_reason(sessions.Current(12345, org.mia.id, None, current.config)).startswith(
        "the server no longer knows it"
    )


def test_revoking_a_key_ends_its_sessions_and_deactivating_ends_all_of_the_persons(org) -> None:
    laptop = keys.add_key(org.admin, "mia", _key(1))
    desktop = keys.add_key(org.admin, "mia", _key(2))
    on_laptop, on_desktop = _open(org.mia.id, laptop.id), _open(org.mia.id, desktop.id)
    config = _config(Path("/nonexistent"))
    keys.revoke_key(org.admin, laptop.id)
    assert sessions.ended_reason(sessions.Current(on_laptop, org.mia.id, laptop.id, config)) == (
        "your SSH key was revoked by @ada"
    )
    assert sessions.ended_reason(sessions.Current(on_desktop, org.mia.id, desktop.id, config)) is None
    people.set_active(org.admin, org.mia.id, None, False)
    assert sessions.ended_reason(sessions.Current(on_desktop, org.mia.id, desktop.id, config)) == (
        "you were made inactive on this server by @ada"
    )


def test_a_session_whose_key_or_person_went_without_marking_its_row_still_ends(org) -> None:
    """However a key or a person stopped being valid, the session sees it."""
    key = keys.add_key(org.admin, "ben", _key(3))
    session = sessions.Current(_open(org.ben.id, key.id), org.ben.id, key.id, _config(Path("/nonexistent")))
    from okrate_tui.core.models import Person, SshKey

    SshKey.update(revoked_at=SshKey.created_at).where(SshKey.id == key.id).execute()
    assert sessions.ended_reason(session) == "your SSH key was revoked"
    SshKey.update(revoked_at=None).where(SshKey.id == key.id).execute()
    Person.update(active=False).where(Person.id == org.ben.id).execute()
    assert sessions.ended_reason(session) == "you are no longer active on this server"


def test_a_write_after_the_end_is_refused_inside_its_transaction(org) -> None:
    key = keys.add_key(org.admin, "mia", _key(4))
    task = tasks.create_task(org.mia, "Write the plan", goal=org.child.id)
    session = sessions.Current(_open(org.mia.id, key.id), org.mia.id, key.id, _config(Path("/nonexistent")))
    sessions.serve(session)
    tasks.edit_task(org.mia, task.id, None, title="Written while open")  # the session stands: saved
    sessions.serve(None)
    keys.revoke_key(org.admin, key.id)  # the admin, elsewhere
    sessions.serve(session)
    with pytest.raises(PermissionDenied, match=r"this session has ended \(your SSH key was revoked by @ada\)"):
        tasks.edit_task(org.mia, task.id, None, title="Written after the revocation")
    with pytest.raises(PermissionDenied, match="nothing was saved"):
        tasks.create_task(org.mia, "Sneaked in", goal=org.child.id)
    sessions.close_session(None, session.id)  # the session's own bookkeeping still works
    assert Task.get_by_id(task.id).title == "Written while open"
    assert not Task.select().where(Task.title == "Sneaked in").exists()


def test_the_watch_beside_a_command_hears_the_end_within_seconds(org) -> None:
    session = sessions.Current(_open(org.mia.id), org.mia.id, None, _config(Path("/nonexistent")))
    heard: list[str] = []
    done = threading.Event()
    watch = sessions.Watch(session, lambda reason: (heard.append(reason), done.set()))
    watch.start()
    try:
        sessions.end_session(org.admin, session.id)
        assert done.wait(60), "the watch never heard the end"
    finally:
        watch.stop()
    assert heard == ["@ada ended it"]


def test_ending_notifies_listening_sessions_on_postgresql(org, db) -> None:
    from peewee import PostgresqlDatabase

    if not isinstance(db, PostgresqlDatabase):
        pytest.skip("NOTIFY is PostgreSQL's")
    import psycopg2

    listener = psycopg2.connect(**db.connect_params, dbname=db.database)
    listener.autocommit = True
    try:
        listener.cursor().execute("LISTEN okrate_change")
        mine = _open(org.mia.id)
        sessions.end_session(org.admin, mine)
        deadline = time.monotonic() + 30
        while not listener.notifies and time.monotonic() < deadline:
            listener.poll()
            time.sleep(0.01)
        assert listener.notifies, "ending a session sent no notification"
    finally:
        listener.close()


def test_the_server_settings_hold_limits_with_defaults(tmp_path: Path) -> None:
    config = _config(tmp_path, limits=Limits())
    config.path.parent.mkdir(parents=True)
    config.write()
    assert load(config.path).limits == Limits(5, 100, 500, 200)
    changed = ServerConfig(config.path, config.account, config.database, config.command, Limits(3, 50, 300, 100))
    changed.write()
    assert load(config.path).limits == Limits(3, 50, 300, 100)
    text = config.path.read_text()
    for setting, bad, said in (
        (
            "sessions_per_person = 3",
            "sessions_per_person = 0",
            "sessions_per_person must be a whole number from 1 to 1,000",
        ),
        ("columns = 300", "columns = 99999", "columns must be a whole number from 40 to 1,000"),
        ("rows = 100", 'rows = "many"', "rows must be a whole number"),
        ("rows = 100", "colour = 3", "has no setting colour"),
    ):
        config.path.write_text(text.replace(setting, bad))
        with pytest.raises(StorageError, match=said):
            load(config.path)
    old = 'account = "okrate"\ndatabase = "x.db"\ncommand = "okrate"\n'  # written before limits existed
    config.path.write_text(old)
    assert load(config.path).limits == Limits()


def test_messages_for_people_over_ssh_name_no_server_path(tmp_path: Path) -> None:
    config = _config(tmp_path)
    home = str(config.home)
    said = config.scrub(
        f"there is no database at {home}/data/okrate.db (see {home}/.config/okrate/server.toml); "
        f"cannot write {home}/backups/x.json"
    )
    assert home not in said
    assert said == (
        "there is no database at the server's database (see a file of the server); cannot write a file of the server"
    )
    pg = _config(tmp_path, database="postgresql://okrate:secret@db.internal:5433/okrate")
    assert "db.internal" not in pg.scrub("cannot connect to postgresql://okrate@db.internal:5433/okrate: refused")


@given(name=st.sampled_from(sorted(Limits.RANGES)), value=st.integers(min_value=-(10**6), max_value=10**6))
def test_a_limit_is_taken_only_within_its_range(name: str, value: int) -> None:
    low, high = Limits.RANGES[name]
    if low <= value <= high:
        assert getattr(Limits().with_values(**{name: value}), name) == value
    else:
        with pytest.raises(ValueError, match=f"{name} must be a whole number from {low} to"):
            Limits().with_values(**{name: value})


@given(value=st.one_of(st.booleans(), st.floats(), st.text(max_size=5)))
def test_a_limit_that_is_no_whole_number_is_refused(value) -> None:
    with pytest.raises(ValueError, match="must be a whole number"):
        Limits().with_values(columns=value)
