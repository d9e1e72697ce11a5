"""What the app needs before its first screen, gathered on the database thread.

:func:`begin` is called before the UI toolkit is even imported, so the database work of
start-up (open, who is acting, the cycle's whole goal tree) overlaps the imports.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from okrate_tui.core import clock
from okrate_tui.core.db import open_db, resolve
from okrate_tui.core.errors import EmptyDatabase, NotFoundError, PermissionDenied, StorageError
from okrate_tui.core.identity import Identity, Mode, for_database, for_key, os_user
from okrate_tui.core.queries import org
from okrate_tui.core.queries.board import BoardScope
from okrate_tui.core.queries.scopes import opening_scope
from okrate_tui.core.queries.tree import CycleTree, load_tree
from okrate_tui.core.services.cycles import current_cycle

if TYPE_CHECKING:
    from okrate_tui.ui.store.gateway import Gateway

WHO_PROBLEM = "Okrate cannot tell who you are"


@dataclass
class Start:
    """The state the app opens with."""

    identity: Identity | None = None
    empty: bool = False
    missing: bool = False  # no database file yet: the welcome screen may make one
    actor: org.PersonRow | None = None
    unknown_handle: bool = False
    people: list[org.PersonRow] = field(default_factory=list)
    teams: list[tuple[int, str]] = field(default_factory=list)
    cycle: org.CycleRow | None = None
    cycles: list[org.CycleRow] = field(default_factory=list)
    latest_change: int = 0
    tree: CycleTree | None = None
    board_scope: BoardScope | None = None  # the board this person opens on
    problem: str | None = None
    problem_title: str = "Okrate cannot open its database"


def gather(
    url: str | None,
    as_handle: str | None,
    *,
    person_id: int | None = None,
    operator: bool = False,
    with_tree: bool = True,
) -> Start:
    """Open the database and read everything the first screen shows (database thread).

    ``person_id`` is the person an SSH key proved (server mode), ``operator`` says a
    team server's own account runs this; otherwise who acts follows from the database's
    :class:`~okrate_tui.core.identity.Mode`.
    """
    try:
        target = resolve(url)
        if target.kind == "sqlite" and target.path is not None and not _exists(target.path):
            # nothing is made until the person chooses so on the welcome screen
            return Start(identity=for_database(target.path, as_handle), empty=True, missing=True)
        try:
            database = open_db(url)
        except EmptyDatabase:
            # nothing is made until the person chooses so on the welcome screen
            path = target.path if target.kind == "sqlite" else None
            return Start(identity=for_database(path, as_handle), empty=True, missing=True)
        if person_id is not None:
            identity = for_key(person_id)
        elif operator:
            identity = Identity(Mode.OPERATOR, claimed=as_handle, login=os_user())
        else:
            identity = for_database(getattr(database, "sqlite_path", None), as_handle)
        if not org.has_people():
            return Start(identity=identity, empty=True)
        start = Start(identity=identity)
        try:
            person = identity.resolve()
            start.actor = org.person_row(person.id) if person is not None else None
        except NotFoundError:
            start.unknown_handle = True
        except PermissionDenied as exc:
            return Start(identity=identity, problem=str(exc), problem_title=WHO_PROBLEM)
        start.people = org.people(active_only=False)  # names of people who left still show
        start.teams = org.teams()
        start.cycles = org.cycles()
        cycle = current_cycle()
        start.cycle = org.CycleRow.of(cycle) if cycle is not None else None
        start.latest_change = org.latest_change()
        if start.actor is not None:
            start.board_scope = opening_scope(start.actor, start.cycle.id if start.cycle else None)
        if with_tree and start.cycle is not None and start.actor is not None:
            start.tree = load_tree(start.cycle.id, clock.today())
        return start
    except StorageError as exc:
        return Start(problem=str(exc))


def _exists(path) -> bool:
    try:
        path.stat()
    except FileNotFoundError:
        return False
    except OSError:
        return True  # let opening it say what is wrong
    return True


def begin(
    db: Gateway, url: str | None, as_handle: str | None, person_id: int | None = None, operator: bool = False
) -> Future[Start]:
    """Start gathering in the background; the app picks the result up when it boots."""
    return db.submit(gather, url, as_handle, person_id=person_id, operator=operator)
