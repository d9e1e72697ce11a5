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
        super().__init__(f"no {kind.replace('_', ' ')} {ident!s}")


class ConflictError(OkrateError):
    """Somebody else changed the same fields since the caller read the record."""

    def __init__(self, kind: str, ident: int, fields: Iterable[str], current: Mapping[str, Any]):
        self.kind = kind
        self.ident = ident
        self.fields = sorted(fields)
        self.current = dict(current)
        shown = [f for f in self.fields if not f.startswith("@")]
        events = {"@delete": "deleted", "@restore": "restored", "@create": "created"}
        shown += [events[f] for f in self.fields if f in events]
        names = ", ".join(shown) or "the record"
        super().__init__(f"{kind} {ident} was changed by someone else ({names}); reload and try again")


class PermissionDenied(OkrateError):
    """The acting person may not do this."""


class StorageError(OkrateError):
    """The database cannot be opened or written: missing, corrupt, read-only, too new."""
