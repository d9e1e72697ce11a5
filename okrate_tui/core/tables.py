"""Facts about the data tables as a whole: emptiness and PostgreSQL's id counters."""

from __future__ import annotations

from okrate_tui.core.models import DATA_MODELS, Cycle, Goal, Person, Task, db


def is_empty() -> bool:
    """True when no person, cycle, goal or task exists yet."""
    return not any(m.select().exists() for m in (Person, Cycle, Goal, Task))


def reset_sequences() -> None:
    """After rows were written with explicit ids, move PostgreSQL's id counters past them."""
    for model in DATA_MODELS:
        table = model._meta.table_name
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )
