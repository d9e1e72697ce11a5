"""The Okrate app: start-up (database, who is acting, config), panes, help and palette."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.screen import Screen
from textual.worker import WorkerFailed

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.queries import org
from okrate_tui.core.text import kept_unprintable
from okrate_tui.ui import harmless
from okrate_tui.ui.config import Config, config_path, load_config
from okrate_tui.ui.controllers.writer import Writer
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.host import Host
from okrate_tui.ui.key_index import binding_owners, bindings_in_reach, help_sections
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.server_session import ServerSessionApp, limited_driver, refuse_recovery
from okrate_tui.ui.start import WHO_PROBLEM
from okrate_tui.ui.store.changed import tell_views
from okrate_tui.ui.store.events import ActorChanged, CycleMoved, Event, HealthChanged
from okrate_tui.ui.store.gateway import Gateway, outage_sentence
from okrate_tui.ui.store.session import Session
from okrate_tui.ui.store.watcher import Watcher
from okrate_tui.ui.typeahead import KeySettled, TypeAhead, typed
from okrate_tui.ui.welcome_flow import pick_person, welcome

if TYPE_CHECKING:
    from concurrent.futures import Future

    from textual.notifications import SeverityLevel

    from okrate_tui.ui.start import Start


class OkrateApp(ServerSessionApp, Host):
    CSS_PATH = "app.tcss"
    TITLE = "Okrate"
    BINDINGS: ClassVar[list[BindingType]] = default_keys("app")

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables; the colours of text drawn in Python follow them."""
        from okrate_tui.ui import palette

        variables = super().get_css_variables()
        palette.use(variables)
        return variables

    def get_driver_class(self) -> type[Driver]:
        from okrate_tui.ui.driver import lean_driver

        return limited_driver(lean_driver(super().get_driver_class()))

    def __init__(
        self,
        url: str | None = None,
        as_handle: str | None = None,
        *,
        config_file: Path | None = None,
        poll_seconds: float = 0.1,
        blink: bool = True,
        db: Gateway | None = None,
        prefetch: Future[Start] | None = None,
        person_id: int | None = None,
        operator: bool = False,
        agenda_notice: bool = True,
    ) -> None:
        super().__init__()
        harmless.install()  # stored text on screen is shown, never obeyed
        self.agenda_notice = agenda_notice  # one line at start-up on what is overdue or due today
        self.person_id = person_id  # proven by an SSH key: nobody else can be picked
        self.operator = operator  # a team server's own account: acts as nobody
        self.blink = blink
        self.prefetch = prefetch
        self.founded = False  # this session started the organisation
        self.url = url
        self.as_handle = as_handle
        self.config_file = config_file
        self.db = db or Gateway()
        self.session = Session(server=person_id is not None)
        self.writer = Writer(self.session, self.db)
        self.session.subscribe(self._store_event)
        self.watcher = Watcher(self, self.session, self.db, poll_seconds, after_look=self.server_tick)
        self.config = Config()
        self.typeahead = TypeAhead(self)

    # --- keys: each reaches what it was typed for, in order ----------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.character and kept_unprintable(event.character):
            event = events.Paste(event.character)  # a joiner typed: text fields drop unprintable keys
        if not typed(event):
            await super().on_event(event)
        elif self.typeahead.admit(event):
            try:
                await super().on_event(event)
            finally:
                self.typeahead.sent(event)  # followed to the end, even when its action failed

    def on_key_settled(self, message: KeySettled) -> None:
        self.typeahead.arrived(message)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification; its text is shown as it is (names and titles people typed are
        never markup). A warning or an error also stops the keys typed after it."""
        if severity != "information":
            self.typeahead.troubles += 1
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # --- start-up -----------------------------------------------------------------

    def on_descendant_focus(self, event) -> None:
        """Tests (so screenshots never catch a blink half-way) and SSH sessions (each blink
        is a frame sent) switch cursor blinking off."""
        if not self.blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def on_mount(self) -> None:
        self.config = load_config(
            self.config_file, themes=set(self.available_themes), owners=lambda: binding_owners(type(self))
        )
        if self.config.theme:
            self.theme = self.config.theme
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.problems:
            self.notify("\n".join(self.config.problems), title="Config", severity="error", timeout=20)
        self.boot()

    @work(exclusive=True, group="boot")
    async def boot(self) -> None:
        import asyncio

        if self.prefetch is not None:
            start = await asyncio.wrap_future(self.prefetch)
            self.prefetch = None
        else:
            start = await self._gather()
        if start.problem is None and start.empty:
            await self._welcome(start)
            start = await self._gather()
        if start.problem is None and start.actor is None and not (start.identity and start.identity.may_pick):
            start.problem = (
                "the server's operator acts as nobody: people use the app over SSH with their own key"
                if start.identity and start.identity.mode.value == "operator"
                else "nobody is acting on this database"
            )
            start.problem_title = WHO_PROBLEM
        if start.problem is not None:
            from okrate_tui.ui.screens.problem import ProblemScreen

            await self.push_screen(ProblemScreen(start.problem, start.problem_title))
            return
        if start.actor is None:
            handle = await pick_person(self, start, self.as_handle)
            if handle is None:
                self.exit(0, message="okrate: nobody was picked to act as; start with --as HANDLE")
                return
            self.as_handle = handle
            start = await self._gather()
        await self.start_with(start)

    async def _gather(self) -> Start:
        from okrate_tui.ui.start import gather

        return await self.db.call(gather, self.url, self.as_handle, person_id=self.person_id, operator=self.operator)

    async def _welcome(self, start: Start) -> None:
        """An empty database: the demo (a file of its own) or an organisation of one's own."""
        chosen = await welcome(self, self.db, self.url, start)
        if chosen is not None:
            self.url, self.as_handle, self.founded = chosen

    async def start_with(self, start: Start) -> None:
        from okrate_tui.ui.screens.main import MainScreen

        assert start.actor is not None
        self.session.start(
            start.identity,
            start.actor,
            start.people,
            start.teams,
            start.cycles,
            start.cycle,
            start.latest_change,
            start.tree,
            start.board_scope,
        )
        await self.db.read(self.db.watch)
        await self.push_screen(MainScreen())
        if self.agenda_notice:
            self.call_after_refresh(self._agenda_notice)  # after the goal tree's first paint
        self.watcher.start()
        if self.founded:
            self.founded = False
            self.action_people(welcome=True)

    @work(group="agenda", exclusive=True)
    async def _agenda_notice(self) -> None:
        """One line on what of the acting person's is overdue or due today, when anything is."""
        from okrate_tui.core.queries.agenda import start_notice

        actor = self.session.actor
        if actor is None:
            return
        try:
            line = await self.db.read(start_notice, actor.id, clock.today())
        except OkrateError:
            return  # the health banner says what is wrong with the database
        if line:
            self.notify(line, title="Agenda", timeout=12)

    # --- keeping up with the database ---------------------------------------------------

    @property
    def poll_seconds(self) -> float:
        """How often the watcher looks at the database for changes made elsewhere."""
        return self.watcher.seconds

    @poll_seconds.setter
    def poll_seconds(self, seconds: float) -> None:
        self.watcher.seconds = seconds

    @property
    def _rounds(self) -> int:
        """Looks at the database so far (tests name it when they give up waiting)."""
        return self.watcher.rounds

    async def refresh_now(self) -> None:
        """Catch up at once (after a write here): the views hear of it like any other change."""
        await self.watcher.caught_up()

    def after_write(self) -> None:
        """A screen wrote something: every view follows without waiting for the next tick."""
        self.run_worker(self.refresh_now(), group="refresh")

    def _store_event(self, event: Event) -> None:
        """Every store event reaches the views (a StoreChanged message); a few also get a sentence."""
        tell_views(self, event)
        if isinstance(event, CycleMoved) and event.why:
            self.notify(event.why, title="Cycle", timeout=10)
        elif isinstance(event, ActorChanged) and event.why:
            self.notify(event.why, severity="warning", timeout=15)
        elif isinstance(event, HealthChanged):
            health = event.health
            if health.ok:
                self.notify("The database is back: everything shown is read afresh.", timeout=6)
            else:
                self.notify(health.sentence(), title="Database", severity="error", timeout=15)

    def _handle_exception(self, error: Exception) -> None:
        """The last line of defence: the database failing under an action that did not
        expect it (a server stopped half-way) gets a sentence, never the end of the app.
        Anything else ends the app, as in Textual."""
        trouble = error.error if isinstance(error, WorkerFailed) else error
        sentence = outage_sentence(trouble, self.db)
        if sentence is None:
            super()._handle_exception(error)
            return
        self.notify(sentence, title="Not done", severity="error", timeout=10)

    def action_recover(self) -> None:
        if refuse_recovery(self):  # a team server's recovery is its operator's
            return
        self._recover()

    @work(group="recover")
    async def _recover(self) -> None:
        try:
            path = await self.db.read(self.db.save_recovery)
        except OkrateError as exc:
            self.notify(str(exc), title="No recovery copy", severity="error", timeout=10)
            return
        self.notify(f"Saved what this session holds to {path}.", title="Recovery copy", timeout=20)

    # --- actions --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pane and cycle keys only mean something on the main screen; a recovery copy only
        once the database file is gone."""
        if action in ("show_pane", "switch_cycle", "people"):
            from okrate_tui.ui.screens.main import MainScreen

            return isinstance(self.screen, MainScreen)
        if action == "recover":
            return self.session.health.lost_file
        return True

    def action_people(self, welcome: bool = False) -> None:
        from okrate_tui.ui.screens.people import PeopleScreen

        self.push_screen(PeopleScreen(welcome=welcome))

    async def action_show_pane(self, name: str) -> None:
        from textual.widgets import ContentSwitcher

        from okrate_tui.ui.screens.main import MainScreen
        from okrate_tui.ui.widgets.topbar import TopBar

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return
        pane = await screen.pane(name)
        screen.query_one("#panes", ContentSwitcher).current = name
        screen.query_one(TopBar).pane = name
        focus = getattr(pane, "focus_target", None)
        (focus() if callable(focus) else pane).focus()

    @work(group="open-board")
    async def open_board(self, goal_id: int) -> None:
        from okrate_tui.ui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return
        board = await screen.pane("board")
        board.show_goal(goal_id)  # type: ignore[attr-defined]
        await self.action_show_pane("board")

    def action_switch_cycle(self) -> None:
        self._switch_cycle()

    @work(group="ask-cycle")
    async def _switch_cycle(self) -> None:
        try:
            cycles = await self.db.read(org.cycles)
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
            return
        choices = [
            Choice(c.id, f"{c.name}  ({c.state}, {c.starts:%b} {c.starts.day} → {c.ends:%b} {c.ends.day})", c.name)
            for c in cycles
        ]
        picked = await self.push_screen_wait(
            PickerScreen("Switch cycle", choices, initial=self.cycle.id if self.cycle else None)
        )
        chosen = next((c for c in cycles if c.id == picked), None)
        if chosen is not None and chosen != self.cycle:
            self.session.cycles = cycles
            self.session.choose_cycle(chosen)

    def action_help(self) -> None:
        from okrate_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections(), self._config_note()))

    def _config_note(self) -> str:
        if self.person_id is not None:
            return (
                "On a team server keys follow the server's settings.\n"
                "ctrl+p opens the command palette with every action of this pane."
            )
        path = self.config.path or config_path()
        return (
            f'Remap any key in {path}:\n  [keymap]\n  "goals.new" = "ctrl+n"\n'
            "ctrl+p opens the command palette with every action of this pane."
        )

    def bindings_in_reach(self, screen: Screen) -> list[tuple[object, list[str], Binding]]:
        """Every binding in reach on ``screen``, with the keys it has now, innermost first."""
        return bindings_in_reach(self, screen)

    def help_sections(self) -> list[tuple[str, list[tuple[str, Binding]]]]:
        """The bindings in reach, grouped by where they act."""
        return help_sections(self, self.bindings_in_reach(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every action in reach on this screen, then the app's own."""
        for node, keys, binding in self.bindings_in_reach(screen):
            if node is self and binding.id in ("app.help", "app.quit"):
                continue
            help_text = f"{binding.tooltip or binding.description}  ({', '.join(keys)})"
            yield SystemCommand(
                binding.description, help_text, partial(self.call_later, self.run_action, binding.action, node)
            )
        yield from super().get_system_commands(screen)

    async def action_quit(self) -> None:
        self.exit(0)

    def on_unmount(self) -> None:
        self.watcher.stop()
