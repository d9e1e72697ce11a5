"""Every route by which text from outside is stored, declared where the route is made.

A route is a way in: a command's arguments, an importer's file, the app's forms, the
access log of a team server. Each declares itself here with the columns it fills, and
each stores what it is given only through the one rule of :mod:`okrate_tui.core.validation`
(the access log, which cannot refuse what happened, keeps hidden characters visible).
The hostile-text test pushes its corpus through every declared route, and fails for a
route that exists without being declared: it scans the command table, the importers and
every screen that takes typed text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["command", "import", "form", "query", "log", "key"]


@dataclass(frozen=True)
class InputRoute:
    """One way text comes in: ``kind`` says how, ``name`` which (the command's words,
    the importer's kind, the screen), ``fields`` the columns it may fill
    (``task.title``), and ``module`` where it is made."""

    kind: Kind
    name: str
    fields: tuple[str, ...]
    module: str


ROUTES: dict[tuple[str, str], InputRoute] = {}


def declare(kind: Kind, name: str, *fields: str, module: str) -> InputRoute:
    """Declare a route (again is fine: the same route is kept once)."""
    route = InputRoute(kind, name, tuple(fields), module)
    ROUTES[(kind, name)] = route
    return route


def routes(kind: Kind | None = None) -> list[InputRoute]:
    """The declared routes, of one kind or all."""
    return [r for r in ROUTES.values() if kind is None or r.kind == kind]
