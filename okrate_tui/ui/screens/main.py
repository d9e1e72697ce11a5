"""The main screen: the top bar, the banner for database trouble, the three panes and
the footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer

from okrate_tui.ui.panes.goals import GoalsPane
from okrate_tui.ui.widgets.status_banner import StatusBanner
from okrate_tui.ui.widgets.topbar import TopBar


def make_pane(name: str) -> Widget:
    """A new board or review pane (imported when first shown, so start-up stays quick)."""
    if name == "board":
        from okrate_tui.ui.panes.board import BoardPane

        return BoardPane(id="board")
    if name == "review":
        from okrate_tui.ui.panes.review import ReviewPane

        return ReviewPane(id="review")
    raise KeyError(name)


class MainScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        yield StatusBanner()
        with ContentSwitcher(initial="goals", id="panes"):
            yield GoalsPane(id="goals")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#goal-tree").focus()

    async def pane(self, name: str) -> Widget:
        """The pane called ``name``, mounted the first time it is asked for."""
        switcher = self.query_one("#panes", ContentSwitcher)
        found = switcher.query_children(f"#{name}")
        if found:
            return found.first()
        pane = make_pane(name)
        pane.display = False
        await switcher.mount(pane)
        return pane
