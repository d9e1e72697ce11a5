"""What every command needs: the database and the acting person, opened on demand."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from peewee import Database

from okrate_tui.core.db import ENV_VAR, open_db
from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.identity import acting_person, os_user
from okrate_tui.core.models import Person


@dataclass
class Context:
    url: str | None
    as_handle: str | None
    _db: Database | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, db: str | None, as_handle: str | None) -> Context:
        return cls(db if db is not None else os.environ.get(ENV_VAR), as_handle)

    def db(self, *, upgrade: bool = True) -> Database:
        if self._db is None:
            self._db = open_db(self.url, upgrade=upgrade)
        return self._db

    def actor(self) -> Person:
        """The acting person; writes need one."""
        self.db()
        person = acting_person(self.as_handle)
        if person is None:
            user = os_user() or "unknown"
            raise PermissionDenied(
                f"who is acting? no person has the handle '{user}'; pass --as HANDLE (or set OKRATE_AS)"
            )
        return person

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


class UsageError(Exception):
    """The command line itself is wrong (exit 2, one line)."""
