"""The keys okrate comes with, read from ``keys.toml`` (one table per place)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from textual.binding import Binding, BindingType

from okrate_tui.ui.guard import guarded

FIELDS = {"id", "keys", "action", "label", "tooltip", "show", "priority", "guarded"}


@cache
def key_tables() -> dict[str, dict[str, dict[str, Any]]]:
    """Every table of ``keys.toml``, in the file's order."""
    text = resources.files("okrate_tui.ui").joinpath("keys.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def default_keys(place: str) -> list[BindingType]:
    """The bindings of one place (a table of ``keys.toml``), in order; a binding whose
    action may be refused comes with its silent twin that explains the refusal."""
    bindings: list[BindingType] = []
    for name, spec in key_tables()[place].items():
        unknown = set(spec) - FIELDS
        if unknown:
            raise ValueError(f"keys.toml [{place}] {name}: unknown field(s) {', '.join(sorted(unknown))}")
        binding = Binding(
            spec["keys"],
            spec["action"],
            spec.get("label", ""),
            show=spec.get("show", True),
            priority=spec.get("priority", False),
            tooltip=spec.get("tooltip", ""),
            id=spec.get("id", f"{place}.{name}"),
        )
        bindings.extend(guarded(binding) if spec.get("guarded") else [binding])
    return bindings
