"""Who is acting: a named handle, else the operating-system user matched to a person."""

from __future__ import annotations

import getpass
import os

from okrate_tui.core.errors import NotFoundError
from okrate_tui.core.models import Person

ENV_VAR = "OKRATE_AS"


def os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def acting_person(handle: str | None = None) -> Person | None:
    """The person named by ``handle`` (or ``OKRATE_AS``), else the OS user's person.

    A named handle that matches nobody raises :class:`NotFoundError`; no name and no
    matching OS user gives ``None``.
    """
    wanted = handle or os.environ.get(ENV_VAR)
    if wanted:
        key = wanted.strip().lstrip("@").lower()
        person = Person.get_or_none(Person.handle == key)
        if person is None:
            raise NotFoundError("person", f"@{key}")
        return person
    user = os_user()
    if user:
        return Person.get_or_none((Person.handle == user.lower()) & (Person.active == True))  # noqa: E712
    return None
