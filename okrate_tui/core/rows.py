"""A query's rows as plain tuples or dicts, typed.

Peewee's ``.tuples()`` and ``.dicts()`` change what a query yields, but the stubs it
ships keep the query's type, so a checker would see model instances. These two say what
the rows really are, in the one place the type is asserted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from peewee import BaseQuery


def tuples(query: BaseQuery) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query``, each a tuple of its selected columns in order."""
    return cast("Iterator[tuple[Any, ...]]", iter(query.tuples()))


def dicts(query: BaseQuery) -> Iterator[dict[str, Any]]:
    """The rows of ``query``, each a dict from column name to value."""
    return cast("Iterator[dict[str, Any]]", iter(query.dicts()))
