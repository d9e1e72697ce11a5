"""Who is acting, and what proves it.

A database is used in one of three ways, and each decides who may act differently:

- **personal**: a SQLite file owned by the login running okrate that nobody else may
  write. Its owner could edit the file anyway, so ``--as`` and a picker of people are
  there for demos and single-user setups.
- **shared**: any other database (a file another login owns or the group may write, a
  PostgreSQL URL). The acting person is the one whose handle is the login name, read
  from the operating system (never from ``$USER`` or ``$LOGNAME``, which anyone can
  set); naming another person is refused.
- **server**: a team server reached over SSH. The key the person authenticated with
  decides who they are; nothing the client sends can change it.
- **operator**: the service account of a team server, on the server itself, using its
  own database. It owns every byte of the data yet acts as nobody: people act over SSH,
  so the change log only ever names someone who proved who they are.
"""

from __future__ import annotations

import os
import pwd
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from okrate_tui.core.errors import NotFoundError, PermissionDenied
from okrate_tui.core.models import Person


class Mode(StrEnum):
    PERSONAL = "personal"
    SHARED = "shared"
    SERVER = "server"
    OPERATOR = "operator"


def os_user() -> str | None:
    """The login running this process, from the operating system itself."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except (KeyError, OSError):
        return None


def file_mode(path: Path | None) -> Mode:
    """Personal when ``path`` is a SQLite file this login owns and only it may write;
    shared otherwise (PostgreSQL, files of others, group- or world-writable files)."""
    if path is None:
        return Mode.SHARED
    try:
        info = path.stat()
    except OSError:
        return Mode.PERSONAL  # a file about to be made: this login makes it, 0600
    if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return Mode.SHARED
    return Mode.PERSONAL


@dataclass(frozen=True)
class Identity:
    """How the acting person is decided for one session or command.

    ``claimed`` is a handle named with ``--as``/``OKRATE_AS``; ``person_id`` is a person
    proven by an SSH key (server mode).
    """

    mode: Mode
    claimed: str | None = None
    person_id: int | None = None
    login: str | None = None

    @property
    def may_pick(self) -> bool:
        """May the app offer a picker of people when nobody matches?"""
        return self.mode is Mode.PERSONAL

    def resolve(self) -> Person | None:
        """The acting person, or None when a personal database leaves it open.

        Raises :class:`PermissionDenied` (shared, server) or :class:`NotFoundError` (a
        claimed handle nobody has) with a sentence fit to show.
        """
        if self.mode is Mode.SERVER:
            person = Person.get_or_none(Person.id == self.person_id) if self.person_id else None
            if person is None or not person.active:
                raise PermissionDenied("this key's person is no longer active on this server; ask an admin")
            return person
        claimed = _handle(self.claimed) if self.claimed else None
        if self.mode is Mode.OPERATOR:
            if claimed:
                raise PermissionDenied(
                    "on its own server the operator acts as nobody: people act over SSH with their key "
                    "(okrate server init --admin HANDLE --key FILE adds an admin's key)"
                )
            return None
        if self.mode is Mode.PERSONAL:
            if claimed:
                person = Person.get_or_none(Person.handle == claimed)
                if person is None:
                    raise NotFoundError("person", f"@{claimed}")
                return person
            return _by_login(self.login)
        person = _by_login(self.login)
        if claimed and (person is None or person.handle != claimed):
            raise PermissionDenied(
                f"--as and OKRATE_AS are refused on a shared database: you act as yourself "
                f"(your login is '{self.login or 'unknown'}'); a team server over SSH is the way to keep roles apart"
            )
        if person is None:
            raise PermissionDenied(
                f"nobody here has the handle '{self.login or 'unknown'}' (your login name): ask an admin to add you"
            )
        return person


def _handle(text: str) -> str:
    return text.strip().lstrip("@").lower()


def _by_login(login: str | None) -> Person | None:
    if not login:
        return None
    return Person.get_or_none((Person.handle == login.lower()) & (Person.active == True))  # noqa: E712


def for_database(sqlite_path: Path | None, claimed: str | None) -> Identity:
    """The identity of a local session (not server mode) on this database."""
    return Identity(file_mode(sqlite_path), claimed=claimed or None, login=os_user())


def for_key(person_id: int) -> Identity:
    """The identity a server session's SSH key proves."""
    return Identity(Mode.SERVER, person_id=person_id)
