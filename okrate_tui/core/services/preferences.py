"""What a person's sessions remember for them: small values by key, private to them and
kept out of the change log (nobody else's session needs to follow them)."""

from __future__ import annotations

from okrate_tui.core import clock
from okrate_tui.core.models import Person, Preference
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.validation import Checker, clean_optional_line
from okrate_tui.core.writes import writes

KEYS = frozenset({"board.scope"})


@writes
def remember(actor: Person | PersonRow, key: str, value: str) -> None:
    """Keep ``value`` under ``key`` for ``actor`` (replacing what was there)."""
    check = Checker()
    if key not in KEYS:
        check.fail("key", f"'{key}' is not something Okrate remembers")
    clean = check("value", clean_optional_line, value, 200)
    check.done()
    updated = (
        Preference.update(value=clean, updated_at=clock.now())
        .where((Preference.person == actor.id) & (Preference.key == key))
        .execute()
    )
    if not updated:
        Preference.create(person=actor.id, key=key, value=clean, updated_at=clock.now())


def recall(person_id: int, key: str) -> str | None:
    """What ``person_id`` last kept under ``key``, if anything."""
    row = Preference.get_or_none((Preference.person == person_id) & (Preference.key == key))
    return row.value if row is not None else None
