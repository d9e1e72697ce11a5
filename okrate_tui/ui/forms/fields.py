"""Fields several forms share: an owner, a priority, a deadline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from okrate_tui.core.parsing import DEADLINE_HELP, parse_deadline
from okrate_tui.core.vocab import PRIORITIES
from okrate_tui.ui.forms.form import Field


class Named(Protocol):
    name: str
    handle: str


def owner_field(value: str, people: Iterable[Named]) -> Field:
    """A person to pick, shown as "Name (@handle)", kept as the handle."""
    options = [(f"{p.name} (@{p.handle})", p.handle) for p in people]
    return Field("owner", "Owner", value, kind="select", options=options, placeholder="nobody")


def priority_field(value: str) -> Field:
    return Field("priority", "Priority", value, kind="select", options=[(p, p) for p in PRIORITIES], placeholder="none")


def deadline_field(
    value: str, today: date, *, name: str = "deadline", label: str = "Deadline", explain: bool = False
) -> Field:
    """A date typed the way people say it (``fri``, ``+3d``, ``2026-12-01``);
    ``explain`` shows the accepted forms under the field."""
    return Field(
        name,
        label,
        value,
        placeholder="fri, tomorrow, +3d, +2w, 2026-12-01; empty for none",
        check=lambda v: parse_deadline(v, today),
        help=DEADLINE_HELP if explain else "",
    )
