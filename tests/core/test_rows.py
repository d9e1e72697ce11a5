"""A query's rows read as plain tuples and dicts, in the order of its columns."""

from __future__ import annotations

from okrate_tui.core.models import Person
from okrate_tui.core.rows import dicts, tuples


def test_rows_come_as_tuples_and_dicts_of_the_selected_columns(org) -> None:
    query = Person.select(Person.handle, Person.id).where(Person.id == org.mia.id)
    assert list(tuples(query)) == [("mia", org.mia.id)]
    assert list(dicts(query)) == [{"handle": "mia", "id": org.mia.id}]
    assert list(tuples(Person.select(Person.id).where(Person.id == 0))) == []
