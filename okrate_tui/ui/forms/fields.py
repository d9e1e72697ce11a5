"""Fields several forms share: an owner, a priority, a date. Each checks what it holds
with the one grammar of :mod:`okrate_tui.core.grammar`, as quick add, the filter and the
commands do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from okrate_tui.core.grammar import DATE_HELP, parse_date, parse_owner, parse_priority
from okrate_tui.core.vocab import PRIORITIES
from okrate_tui.ui.forms.form import Field

DATE_PLACEHOLDER = "fri, tomorrow, +3d, +2w, 2026-12-01"


class Named(Protocol):
    """A person as a picker lists them (rows are frozen: read-only is all it asks)."""

    @property
    def name(self) -> str: ...

    @property
    def handle(self) -> str: ...


def owner_field(value: str, people: Iterable[Named]) -> Field:
    """A person to pick, shown as "Name (@handle)", kept as the handle."""
    listed = list(people)
    options = [(f"{p.name} (@{p.handle})", p.handle) for p in listed]
    handles = [p.handle for p in listed]
    return Field(
        "owner",
        "Owner",
        value,
        kind="select",
        options=options,
        placeholder="nobody",
        check=lambda v: parse_owner(v, handles),
    )


def priority_field(value: str) -> Field:
    return Field(
        "priority",
        "Priority",
        value,
        kind="select",
        options=[(p, p) for p in PRIORITIES],
        placeholder="none",
        check=parse_priority,
    )


def date_field(
    name: str,
    label: str,
    value: str,
    *,
    today: date | None = None,
    empty: str = "none",
    required: bool = False,
    explain: bool = False,
) -> Field:
    """A date typed the way people say it (``fri``, ``+3d``, ``2026-12-01``); ``empty``
    says what leaving it empty means (unless it is ``required``); ``explain`` shows the
    accepted forms under it."""
    return Field(
        name,
        label,
        value,
        required=required,
        placeholder=DATE_PLACEHOLDER if required else f"{DATE_PLACEHOLDER}; empty for {empty}",
        check=lambda v: parse_date(v, today),
        help=DATE_HELP if explain else "",
    )


def deadline_field(
    value: str, today: date, *, name: str = "deadline", label: str = "Deadline", explain: bool = False
) -> Field:
    """A task's deadline, or another date field named ``name`` (see :func:`date_field`)."""
    return date_field(name, label, value, today=today, explain=explain)
