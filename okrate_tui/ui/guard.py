"""Keys for what a person may not do: left out of the footer, the palette and the help,
yet pressing one says why, before any form opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widget import Widget

REFUSED = "refused"


def guarded(binding: Binding) -> list[Binding]:
    """The binding and a silent twin on the same keys that explains a refusal. The twin
    shares the id, so remapping the action in the keymap moves both."""
    twin = Binding(binding.key, f"{REFUSED}('{binding.action}')", "", show=False, id=binding.id)
    return [binding, twin]


if TYPE_CHECKING:
    _Node = Widget  # mixed into widgets and screens (screens are widgets), ahead of them
else:
    _Node = object


class Guarded(_Node):
    """For a widget whose actions may be refused: ``refusal`` says why, or None."""

    def refusal(self, action: str) -> str | None:
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == REFUSED:
            return bool(parameters) and self.refusal(_name(parameters[0])) is not None
        if self.refusal(_name(action, parameters)) is not None:
            return False
        return super().check_action(action, parameters)

    def action_refused(self, action: str) -> None:
        why = self.refusal(_name(action))
        if why:
            self.notify(why, title="Not allowed", severity="warning", timeout=8)


NAMED_BY_PARAMETER = ("act", "ask")  # one action for many keys: ``ask("owner")`` is refused as ``owner``


def _name(action: object, parameters: tuple[object, ...] = ()) -> str:
    """``move`` of ``move(-1)``, ``owner`` of ``ask("owner")``: refusals are by name."""
    name, _, rest = str(action).partition("(")
    if name in NAMED_BY_PARAMETER:
        if parameters:
            return str(parameters[0])
        return rest.rstrip(")").strip("\"'") or name
    return name


def closed_refusal(session: Any) -> str | None:
    """Why nothing can be changed in the session's cycle, or None."""
    actor, cycle = session.actor, session.cycle
    if actor is not None and not actor.active:
        return f"@{actor.handle} is no longer active here: nothing you change is saved."
    if cycle is not None and cycle.state == "closed":
        return f"{cycle.name} is closed: it is read-only (C switches to another cycle)."
    return None
