"""What views may ask of the app: the session store, the database and a few services.

Views and screens read the app through ``host = getters.app(Host)``: typed, with no
import of the app module (which imports the views), so ``ui/`` has no import circle.
``OkrateApp`` is the one implementation.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from okrate_tui.core.queries.org import CycleRow, PersonRow
    from okrate_tui.core.queries.tree import CycleTree
    from okrate_tui.ui.config import Config
    from okrate_tui.ui.controllers.writer import Writer
    from okrate_tui.ui.store.gateway import Gateway
    from okrate_tui.ui.store.session import Session


class Host(App[int]):
    """The app as views see it."""

    session: Session
    db: Gateway
    writer: Writer  # writes as the session's actor
    config: Config
    person_id: int | None  # proven by an SSH key on a team server

    @property
    def actor(self) -> PersonRow | None:
        return self.session.actor

    @property
    def cycle(self) -> CycleRow | None:
        return self.session.cycle

    @property
    def people(self) -> list[PersonRow]:
        """The active people, by name (pickers offer these)."""
        return self.session.active_people()

    @property
    def teams(self) -> list[tuple[int, str]]:
        return sorted(self.session.teams.items(), key=lambda team: team[1])

    def tree_for(self, cycle_id: int) -> CycleTree | None:
        """The goal tree the session holds for a cycle (saves reading it again), if any."""
        tree = self.session.tree
        return tree if tree is not None and tree.cycle.id == cycle_id else None

    @abstractmethod
    async def refresh_now(self) -> None:
        """Catch up with the database at once (after a write here)."""

    @abstractmethod
    def after_write(self) -> None:
        """A screen wrote something: every view follows without waiting."""

    @abstractmethod
    def open_board(self, goal_id: int) -> object:
        """Show the board on one goal's subtree."""
