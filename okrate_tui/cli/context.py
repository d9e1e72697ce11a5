"""What every command needs: the database and the acting person, opened on demand."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from peewee import Database

from okrate_tui.core import server
from okrate_tui.core.db import ENV_VAR, open_db, resolve
from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.files import write_new
from okrate_tui.core.identity import Identity, Mode, for_database, for_key, os_user
from okrate_tui.core.models import Person
from okrate_tui.core.queries.org import has_people
from okrate_tui.core.server import ServerConfig

AS_VAR = "OKRATE_AS"


@dataclass
class Context:
    url: str | None
    as_handle: str | None
    person_id: int | None = None  # proven by an SSH key: server mode
    server: ServerConfig | None = None  # this login runs a team server
    _db: Database | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, db: str | None, as_handle: str | None) -> Context:
        """A local command: ``--db``, else ``OKRATE_DB``, else this account's team server
        database when it runs one, else the personal default file."""
        config = server.load()
        url = db if db is not None else os.environ.get(ENV_VAR)
        if url is None and config is not None:
            url = config.database
        return cls(url, as_handle or os.environ.get(AS_VAR) or None, server=config)

    @classmethod
    def for_key(cls, config: ServerConfig, person_id: int) -> Context:
        """A command or app session over SSH: the key's person, the server's database."""
        return cls(config.database, None, person_id=person_id, server=config)

    def db(self, *, upgrade: bool = True, create: bool = False) -> Database:
        """The database, opened on first use; only ``create`` (demo, import, setup)
        makes a new file: a missing one is an error that names the path."""
        if self._db is None:
            self._db = open_db(self.url, upgrade=upgrade, create=create)
            identity = self.identity()
            if identity.mode is not Mode.PERSONAL and has_people():
                identity.resolve()  # on a shared database nobody unknown reads anything
        return self._db

    def identity(self) -> Identity:
        if self.person_id is not None:
            return for_key(self.person_id)
        if self.is_operator:
            return Identity(Mode.OPERATOR, claimed=self.as_handle, login=os_user())
        return for_database(getattr(self.db(), "sqlite_path", None), self.as_handle)

    @property
    def over_ssh(self) -> bool:
        """A server session: the person's files are on their own machine, not here."""
        return self.person_id is not None

    def local_file(self, flag: str) -> None:
        """Refuse to read or write a file on the server for someone connected over SSH
        (the service account owns the data: a path would let them reach it)."""
        if self.over_ssh:
            raise UsageError(
                f"{flag} names a file on the server, which is not yours to write or read; "
                "redirect on your own machine instead: ssh … > file (or pipe into ssh … -)"
            )

    def write_out(self, text: str, out: str | None) -> None:
        """Print ``text``, or write it to a new file only its owner may read (never on a
        server for someone connected over SSH)."""
        if out is None:
            sys.stdout.write(text)
            return
        self.local_file("--out")
        write_new(Path(out).expanduser(), text)

    @property
    def is_operator(self) -> bool:
        """Is this the service account of a team server, on the server's own database?"""
        return self.person_id is None and self.server is not None and resolve(self.url) == resolve(self.server.database)

    def actor(self) -> Person:
        """The acting person; writes need one."""
        identity = self.identity()
        person = identity.resolve()
        if person is None and identity.mode is Mode.OPERATOR:
            raise PermissionDenied(
                "the server's operator acts as nobody: people act over SSH with their key (ssh -t "
                f"{identity.login}@this-host); the operator backs up, migrates and runs server init"
            )
        if person is None:
            raise PermissionDenied(
                f"who is acting? no person has the handle '{identity.login or 'unknown'}' (your login name); "
                "pass --as HANDLE (or set OKRATE_AS)"
            )
        return person

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


class UsageError(Exception):
    """The command line itself is wrong (exit 2, one line)."""
