"""The errors the core raises: each carries a message fit to show a person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class OkrateError(Exception):
    """Base of every error the core raises on purpose."""


class ValidationError(OkrateError):
    """Bad input: one plain message per offending field."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class NotFoundError(OkrateError):
    """A record that the caller named does not exist."""

    def __init__(self, kind: str, ident: Any):
        self.kind = kind
        self.ident = ident
        super().__init__(f"no {noun(kind)} {ident!s}")


NOUNS = {
    "one_on_one": "one-on-one",
    "talking_point": "talking point",
    "key_result": "key result",
    "check_in": "check-in",
}


def noun(kind: str) -> str:
    """A record's kind as people say it ("one_on_one" → "one-on-one")."""
    return NOUNS.get(kind, kind.replace("_", " "))


class ConflictError(OkrateError):
    """Somebody else changed the same fields since the caller read the record."""

    def __init__(
        self, kind: str, ident: int, fields: Iterable[str], current: Mapping[str, Any], label: str | None = None
    ):
        self.kind = kind
        self.ident = ident
        self.fields = sorted(fields)
        self.current = dict(current)
        self.label = label
        super().__init__(f"{self.plain()}; read it again and retry")

    def plain(self) -> str:
        """What happened, in words, without advice on what to do."""
        shown = [f.replace("_", " ") for f in self.fields if not f.startswith("@")]
        events = {"@delete": "deleted", "@restore": "restored", "@create": "created"}
        shown += [events[f] for f in self.fields if f in events]
        names = ", ".join(shown) or "the record"
        what = f"{noun(self.kind)} “{self.label}”" if self.label else f"{noun(self.kind)} {self.ident}"
        return f"{what} was changed by someone else meanwhile ({names})"


class PermissionDenied(OkrateError):
    """The acting person may not do this."""


class StorageError(OkrateError):
    """The database cannot be opened or written: missing, corrupt, read-only, too new."""


class EmptyDatabase(StorageError):
    """The database holds nothing yet (a zero-byte file, a PostgreSQL database without
    tables): only an explicit choice makes one there."""


class DamagedDatabase(StorageError):
    """The file is there, but SQLite cannot read it whole (or it is no SQLite file)."""


class NeedsConfirmation(OkrateError):
    """The change is allowed but wants a yes first: ``question`` is what to ask.

    Nothing was written; calling again with the service's confirming argument goes on."""

    def __init__(self, question: str):
        self.question = question
        super().__init__(question)
