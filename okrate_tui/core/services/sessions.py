"""The open sessions of a team server: counted against its limits, listed for admins, and
ended through the database.

Every SSH connection (the app, or a command while it runs) is a row in ``server_session``
from the moment it is let in until its process ends. A login beyond a limit is refused
with a sentence that says why and what to do. A session is ended by setting its row's
``ended_at``: the session watches its row (the app's watcher thread, or a thread beside a
long command) and leaves within seconds, and from then on its writes are refused inside
their own transactions. The signal travels through the database, never by process id, so
an admin on one server ends a session on another that shares the PostgreSQL database.

Rows whose process died without a word (``kill -9``, a crash, a power cut) are swept away
by the next login or listing: on this machine by asking whether the process still lives,
on another by its heartbeat (PostgreSQL sessions beat every 30 seconds; two minutes of
silence is death).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from peewee import ModelSelect, PostgresqlDatabase

from okrate_tui.core import clock, writes
from okrate_tui.core.changes import notify
from okrate_tui.core.errors import NotFoundError, PermissionDenied
from okrate_tui.core.inputs import declare
from okrate_tui.core.models import Person, ServerSession, SshKey, db
from okrate_tui.core.permissions import authorize, is_admin
from okrate_tui.core.rows import tuples
from okrate_tui.core.server import Limits, ServerConfig
from okrate_tui.core.text import logged

declare("log", "server sessions", "server_session.what", "server_session.remote", module=__name__)

HEARTBEAT_SECONDS = 30.0  # how often a PostgreSQL session says it is alive
STALE_SECONDS = 120.0  # a session of another machine silent this long is dead
CHECK_SECONDS = 2.0  # the longest a session goes without looking at its row
_PG_LOCK_KEY = 7_351_002_614  # serialises logins on PostgreSQL (count, then insert)


class SessionRefused(PermissionDenied):
    """A login beyond a limit: the message says which and what to do."""


@dataclass(frozen=True)
class Current:
    """The session this process serves."""

    id: int
    person_id: int
    key_id: int | None
    config: ServerConfig  # the server's settings: its limits, and its paths to keep out of messages


_current: Current | None = None


def current() -> Current | None:
    """The team-server session this process serves, if any."""
    return _current


def serve(session: Current | None) -> None:
    """Make this process serve ``session`` (None: no longer): from now on every write a
    person makes first checks, inside its transaction, that the session still stands."""
    global _current
    _current = session
    writes.guard_sessions(None if session is None else _write_guard(session))


def _write_guard(session: Current) -> Callable[[], None]:
    def check() -> None:
        reason = ended_reason(session, lock=True)
        if reason is not None:
            raise PermissionDenied(f"this session has ended ({reason}): nothing was saved")

    return check


# --- where a process lives ---------------------------------------------------------


def this_host() -> str:
    """This machine as sessions name it: its name and its boot, so a pid is only ever
    compared with processes of the same running system."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:36]
    except OSError:
        boot = ""
    name = os.uname().nodename
    return f"{name}/{boot}"[:120] if boot else name[:120]


def host_name(host: str) -> str:
    return host.split("/", 1)[0]


def process_mark(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot), or "" when unknown."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    after = text.rsplit(")", 1)[-1].split()  # the name in parentheses may hold spaces
    return after[19] if len(after) > 19 else ""


def _alive(pid: int, mark: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it lives, as someone else
    if mark:
        now = process_mark(pid)
        if now and now != mark:
            return False  # the pid was given to another process since
    return True


def _real_now() -> datetime:
    """Liveness is measured in real time, whatever date a test or demo pins."""
    return datetime.now(UTC).replace(tzinfo=None)


def _is_pg() -> bool:
    return isinstance(db.obj, PostgresqlDatabase)


# --- logging in and out ----------------------------------------------------------------


@writes.writes
def sweep(actor: None = None, host: str | None = None) -> int:
    """Forget sessions whose process is gone; returns how many."""
    host = host or this_host()
    stale_before = _real_now() - timedelta(seconds=STALE_SECONDS)
    dead = []
    for ident, where, pid, mark, seen in tuples(
        ServerSession.select(
            ServerSession.id, ServerSession.host, ServerSession.pid, ServerSession.pid_mark, ServerSession.seen_at
        )
    ):
        if (where == host and not _alive(pid, mark)) or (where != host and seen < stale_before):
            dead.append(ident)
    if dead:
        ServerSession.delete().where(ServerSession.id.in_(dead)).execute()
    return len(dead)


def open_session(
    person_id: int,
    key_id: int | None,
    what: str,
    remote: str,
    limits: Limits,
    *,
    exempt: bool = False,
    pid: int | None = None,
    host: str | None = None,
) -> int:
    """Let a connection in as a session, or refuse it (:class:`SessionRefused`) when the
    person, or this machine, holds as many sessions as the limits allow. ``exempt`` lets
    an admin's ``okrate sessions`` through a full server: it is how one is freed."""
    host = host or this_host()
    sweep(None, host)
    opened, refusal = _open(None, person_id, key_id, what, remote, limits, exempt, pid or os.getpid(), host)
    if refusal is not None:
        raise SessionRefused(refusal)
    assert opened is not None
    return opened


@writes.writes
def _open(
    actor: None,
    person_id: int,
    key_id: int | None,
    what: str,
    remote: str,
    limits: Limits,
    exempt: bool,
    pid: int,
    host: str,
) -> tuple[int | None, str | None]:
    if _is_pg():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PG_LOCK_KEY,))
    if not exempt:
        open_rows = ServerSession.select().where(ServerSession.ended_at.is_null())
        mine = open_rows.where(ServerSession.person == person_id).count()
        if mine >= limits.sessions_per_person:
            return None, (
                f"you have {mine} sessions open on this server, the most one person may have: quit the app "
                "in one of them (q), or ask an admin to end one (okrate sessions), then connect again"
            )
        here = open_rows.where(ServerSession.host == host).count()
        if here >= limits.sessions_per_server:
            return None, (
                f"this server has {here} sessions open, the most it allows: try again in a few minutes, "
                "or ask an admin to end idle ones (okrate sessions)"
            )
    now = clock.now()
    row = ServerSession.create(
        person=person_id,
        key_ref=key_id,
        what=logged(what, 120),  # what the member sent: shown, never obeyed, as the access log keeps it
        remote=logged(remote, 80),
        host=host,
        pid=pid,
        pid_mark=process_mark(pid),
        started_at=now,
        seen_at=_real_now(),
    )
    return row.id, None


@writes.writes
def close_session(actor: None, session_id: int) -> None:
    """The session's process is leaving: forget it."""
    ServerSession.delete().where(ServerSession.id == session_id).execute()


@writes.writes
def heartbeat(actor: None, session_id: int) -> None:
    """Say the session is alive (needed where its pid cannot be asked: another machine)."""
    ServerSession.update(seen_at=_real_now()).where(ServerSession.id == session_id).execute()


def beats() -> bool:
    """Do sessions on this database need heartbeats? Only where two machines can share
    it (PostgreSQL); a SQLite file has all its sessions on one machine."""
    return _is_pg()


# --- watching ----------------------------------------------------------------------------


def ended_reason(session: Current, *, lock: bool = False) -> str | None:
    """Why ``session`` must end now, or None while it stands. ``lock`` (inside a write)
    holds the rows read until the write commits, so an end that commits first refuses
    the write, and one that comes later waits for it."""

    def first(query):
        if lock and _is_pg():
            query = query.for_update("FOR SHARE")
        return query.first()

    def recorded() -> str | None:
        row = first(
            ServerSession.select(ServerSession.ended_at, ServerSession.end_reason).where(ServerSession.id == session.id)
        )
        if row is None:
            return "the server no longer knows it; connect again"
        return (row.end_reason or "an admin ended it") if row.ended_at is not None else None

    said = recorded()
    if said is not None:
        return said
    cause = None
    if session.key_id is not None:
        key = first(SshKey.select(SshKey.revoked_at).where(SshKey.id == session.key_id))
        if key is None or key.revoked_at is not None:
            cause = "your SSH key was revoked"
    if cause is None:
        person = first(Person.select(Person.active).where(Person.id == session.person_id))
        if person is None or not person.active:
            cause = "you are no longer active on this server"
    if cause is None:
        return None
    # A revocation or deactivation ends the sessions in the same commit, with who did it:
    # when it landed between the reads above, the session's row now says so.
    return recorded() or cause


def ended_line(reason: str) -> str:
    """The one line a person reads when their session is ended."""
    return f"okrate: this session has ended: {reason}."


class Watch:
    """Beside a command that runs for a while: looks at the session's row every
    :data:`CHECK_SECONDS` on a connection of its own (and beats on PostgreSQL), and calls
    ``on_end(reason)`` once the session is to end. Commands that finish within the first
    look never open that connection."""

    def __init__(self, session: Current, on_end: Callable[[str], None]) -> None:
        self.session = session
        self.on_end = on_end
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="okrate-session", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        last_beat = _real_now()
        try:
            while not self._stop.wait(CHECK_SECONDS):
                try:
                    reason = ended_reason(self.session)
                    if beats() and (_real_now() - last_beat).total_seconds() >= HEARTBEAT_SECONDS:
                        heartbeat(None, self.session.id)
                        last_beat = _real_now()
                except Exception:
                    continue  # the database is away: the command's own calls say so
                if reason is not None and not self._stop.is_set():
                    self.on_end(reason)
                    return
        finally:
            if not db.is_closed():
                db.close()  # this thread's connection only


# --- listing and ending (admins) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    handle: str
    key_id: int | None
    what: str
    remote: str
    server: str  # the machine it runs on
    pid: int
    started_at: datetime
    ending: str | None  # why it is ending, while it does
    this: bool  # the session that asked for the list

    def as_dict(self) -> dict:
        return asdict(self)


def _may_manage(actor: Person | None, doing: str) -> None:
    """Admins manage sessions; ``None`` is the server's operator (the CLI passes it only
    for the service account on the server itself)."""
    if actor is None:
        return
    authorize(actor, "sessions")
    if not is_admin(actor):
        raise PermissionDenied(f"@{actor.handle} is a {actor.role}: {doing} is an admin's")


def list_sessions(actor: Person | None) -> list[SessionRow]:
    """Every open session, oldest first, after sweeping away dead ones."""
    _may_manage(actor, "listing the server's sessions")
    sweep(None)
    return _rows(ServerSession.select().order_by(ServerSession.started_at, ServerSession.id))


def _rows(query: ModelSelect[ServerSession]) -> list[SessionRow]:
    handles: dict[int | None, str] = dict(tuples(Person.select(Person.id, Person.handle)))
    mine = _current.id if _current is not None else None
    return [
        SessionRow(
            s.id,
            handles.get(s.person_id, "?"),
            s.key_ref,
            s.what,
            s.remote,
            host_name(s.host),
            s.pid,
            s.started_at,
            (s.end_reason or "ending") if s.ended_at is not None else None,
            s.id == mine,
        )
        for s in query
    ]


def _ender(actor: Person | None) -> str:
    return f"@{actor.handle}" if actor is not None else "the server's operator"


@writes.writes
def end_session(actor: Person | None, session_id: int) -> SessionRow:
    """End one session (admins): it tells its person why and leaves within seconds."""
    _may_manage(actor, "ending sessions")
    row = ServerSession.get_or_none(ServerSession.id == session_id)
    if row is None:
        raise NotFoundError("session", session_id)
    _end(ServerSession.id == session_id, actor, f"{_ender(actor)} ended it")
    return _rows(ServerSession.select().where(ServerSession.id == session_id))[0]


@writes.writes
def end_sessions_of(actor: Person | None, person_id: int) -> int:
    """End every session of one person (admins); returns how many were open."""
    _may_manage(actor, "ending sessions")
    return _end(ServerSession.person == person_id, actor, f"{_ender(actor)} ended it")


def end_for_key(key_id: int, by: Person | None) -> int:
    """Inside a key's revocation: the sessions it opened end too."""
    return _end(ServerSession.key_ref == key_id, by, f"your SSH key was revoked by {_ender(by)}")


def end_for_person(person_id: int, by: Person | None) -> int:
    """Inside a deactivation: every session of the person ends."""
    return _end(ServerSession.person == person_id, by, f"you were made inactive on this server by {_ender(by)}")


def _end(where, by: Person | None, reason: str) -> int:
    count = (
        ServerSession.update(ended_at=clock.now(), ended_by=by.id if by is not None else None, end_reason=reason[:200])
        .where(where & ServerSession.ended_at.is_null())
        .execute()
    )
    if count:
        notify(db.obj)  # PostgreSQL sessions hear it at commit; SQLite's see the file change
    return count
