"""The Okrate app: start-up (database, who is acting, config), panes, help and palette."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from okrate_tui.core import clock
from okrate_tui.core.db import resolve
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.files import private_dir
from okrate_tui.core.identity import os_user
from okrate_tui.core.queries import org
from okrate_tui.core.services.setup import start_organisation
from okrate_tui.core.validation import clean_handle, clean_title, parse_date
from okrate_tui.ui.config import Config, config_path, load_config
from okrate_tui.ui.dbthread import DbThread
from okrate_tui.ui.messages import DataChanged
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from concurrent.futures import Future

    from okrate_tui.core.queries.tree import CycleTree
    from okrate_tui.ui.start import Start

from okrate_tui.ui.start import WHO_PROBLEM

PANE_NAMES = {"goals": "Goals", "board": "Board", "review": "Review"}
SECTION_NAMES = {"GoalTree": "Goal tree", "MainScreen": "Everywhere", "WelcomeScreen": "Welcome"}


def binding_classes() -> list[type]:
    """Every class that declares bindings (for the keymap check and the help)."""
    from okrate_tui.ui.forms.form import FormScreen
    from okrate_tui.ui.panes.board import BoardPane
    from okrate_tui.ui.panes.goals import GoalsPane
    from okrate_tui.ui.panes.review import ReviewPane
    from okrate_tui.ui.screens.analytics import AnalyticsScreen
    from okrate_tui.ui.screens.confirm import ConfirmScreen
    from okrate_tui.ui.screens.cycles import CyclesScreen
    from okrate_tui.ui.screens.help import HelpScreen
    from okrate_tui.ui.screens.problem import ProblemScreen
    from okrate_tui.ui.screens.quick_add import QuickAddScreen
    from okrate_tui.ui.screens.review_workspace import ReviewWorkspace
    from okrate_tui.ui.screens.task_detail import TaskDetailScreen
    from okrate_tui.ui.screens.walkthrough import WalkthroughScreen
    from okrate_tui.ui.screens.welcome import WelcomeScreen
    from okrate_tui.ui.widgets.goal_tree import GoalTree

    return [
        OkrateApp,
        GoalsPane,
        GoalTree,
        BoardPane,
        FormScreen,
        PickerScreen,
        ConfirmScreen,
        HelpScreen,
        WelcomeScreen,
        ProblemScreen,
        QuickAddScreen,
        TaskDetailScreen,
        ReviewPane,
        ReviewWorkspace,
        WalkthroughScreen,
        AnalyticsScreen,
        CyclesScreen,
    ]


def binding_owners() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every binding id with the class it lives in and its default keys."""
    owners: dict[str, tuple[str, tuple[str, ...]]] = {}
    for cls in binding_classes():
        for binding in getattr(cls, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                keys = tuple(k.strip() for k in binding.key.split(","))
                place = "pane" if cls.__name__ in ("GoalsPane", "GoalTree") else cls.__name__
                owners[binding.id] = (place, keys)
    return owners


def _fill_demo(url: str) -> None:
    """Open the demo file and fill it when it is empty (database thread)."""
    from okrate_tui.core.db import open_db

    open_db(url, create=True)
    from okrate_tui import demo
    from okrate_tui.core.tables import is_empty

    if is_empty():
        demo.generate()


class OkrateApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Okrate"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "show_pane('goals')", "Goals pane", tooltip="Show the goal tree", show=False, id="app.goals"),
        Binding("2", "show_pane('board')", "Board pane", tooltip="Show the task board", show=False, id="app.board"),
        Binding(
            "3", "show_pane('review')", "Review pane", tooltip="Show the cycle review", show=False, id="app.review"
        ),
        Binding("C", "switch_cycle", "Cycle", tooltip="Switch to another cycle", show=False, id="app.cycle"),
        Binding("question_mark", "help", "Help", tooltip="Every key of this pane", id="app.help"),
        Binding("q", "quit", "Quit", tooltip="Leave Okrate", show=False, id="app.quit"),
    ]

    def __init__(
        self,
        url: str | None = None,
        as_handle: str | None = None,
        *,
        config_file: Path | None = None,
        poll_seconds: float = 1.0,
        blink: bool = True,
        db: DbThread | None = None,
        prefetch: Future[Start] | None = None,
        person_id: int | None = None,
        operator: bool = False,
    ) -> None:
        super().__init__()
        self.person_id = person_id  # proven by an SSH key: nobody else can be picked
        self.operator = operator  # a team server's own account: acts as nobody
        self.blink = blink
        self.prefetch = prefetch
        self.initial_tree: CycleTree | None = None
        self.url = url
        self.as_handle = as_handle
        self.config_file = config_file
        self.poll_seconds = poll_seconds
        self.db = db or DbThread()
        self.actor: org.PersonRow | None = None
        self.cycle: org.CycleRow | None = None
        self.people: list[org.PersonRow] = []
        self.teams: list[tuple[int, str]] = []
        self.config = Config()
        self._seen_change = 0

    # --- start-up -----------------------------------------------------------------

    def on_descendant_focus(self, event) -> None:
        """Tests switch cursor blinking off so screenshots never catch it half-way."""
        if not self.blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def on_mount(self) -> None:
        self.config = load_config(self.config_file, themes=set(self.available_themes), owners=binding_owners)
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
            handle = await self._pick_person(start)
            if handle is None:
                return
            self.as_handle = handle
            start = await self._gather()
        await self.start_with(start)

    async def _gather(self) -> Start:
        from okrate_tui.ui.start import gather

        return await self.db.call(gather, self.url, self.as_handle, person_id=self.person_id, operator=self.operator)

    async def _welcome(self, start: Start) -> None:
        from okrate_tui.ui.forms.form import Field, FormScreen
        from okrate_tui.ui.screens.welcome import WelcomeScreen

        where = resolve(self.url).describe()
        if start.missing:
            where = f"{where} (not made yet: nothing is written until you choose)"
        personal = start.identity is not None and start.identity.may_pick
        login = os_user() or ""
        while True:
            choice = await self.push_screen_wait(WelcomeScreen(where, demo=personal))
            if choice == "demo":
                from okrate_tui.core.db import demo_path

                demo_file = demo_path()
                private_dir(demo_file.parent)
                self.url = str(demo_file)
                await self.db.call(_fill_demo, self.url)
                self.as_handle = "maria"
                self.notify(f"Exploring the demo organisation in {demo_file}; {where} stays empty.", timeout=10)
                return
            start, end, name = clock.quarter_of(clock.today())

            def own_handle(value: str) -> str:
                handle = clean_handle(value)
                if not personal and handle != login:
                    raise ValueError(f"on a shared database your handle is your login name, {login}")
                return handle

            fields = [
                Field(
                    "handle",
                    "Your handle",
                    login,
                    required=True,
                    check=own_handle,
                    help="a handle equal to your login name is picked up by itself"
                    + ("; others pass --as" if personal else ""),
                ),
                Field("name", "Your name", "", required=True, check=clean_title),
                Field("cycle", "First cycle", name, required=True, check=clean_title),
                Field("starts", "Starts", start.isoformat(), required=True, check=parse_date),
                Field("ends", "Ends", end.isoformat(), required=True, check=parse_date),
                Field(
                    "goal",
                    "Your company's first goal",
                    "",
                    required=True,
                    check=clean_title,
                    placeholder="e.g. Grow recurring revenue to €1M",
                ),
            ]

            async def submit(values: dict[str, str]) -> org.PersonRow:
                def make() -> org.PersonRow:
                    from okrate_tui.core.db import open_db

                    open_db(self.url, create=True)  # the explicit choice: now the file is made
                    return org.person_row(start_organisation(None, **values).id)

                return await self.db.call(make)

            person = await self.push_screen_wait(FormScreen("Start your organisation", fields, submit))
            if person is not None:
                self.as_handle = person.handle
                return

    async def _pick_person(self, start) -> str | None:
        choices = [
            Choice(
                p.handle,
                f"{p.name}  @{p.handle} · {p.role}{' · ' + p.team if p.team else ''}",
                f"{p.name} {p.handle} {p.team or ''}",
            )
            for p in start.people
        ]
        asked = f"@{self.as_handle}" if start.unknown_handle else f"'{os_user() or 'your login'}'"
        picked = await self.push_screen_wait(
            PickerScreen(
                f"Who are you? (nobody has the handle {asked})", choices, hint="start with --as HANDLE to skip this"
            )
        )
        if picked is None:
            self.exit(0, message="okrate: nobody was picked to act as; start with --as HANDLE")
        return picked

    async def start_with(self, start) -> None:
        from okrate_tui.ui.screens.main import MainScreen

        self.actor = start.actor
        self.people = start.people
        self.teams = start.teams
        self.cycle = start.cycle
        self.initial_tree = start.tree
        self._seen_change = start.latest_change
        await self.push_screen(MainScreen())
        self._update_topbar()
        self.set_interval(self.poll_seconds, self._poll)

    # --- state shown everywhere -----------------------------------------------------

    def _update_topbar(self) -> None:
        try:
            bar = self.screen.query_one(TopBar)
        except Exception:
            return
        if self.actor is not None:
            bar.person = f"{self.actor.name} (@{self.actor.handle}, {self.actor.role})"
            bar.handle = f"@{self.actor.handle}"
        if self.cycle is not None:
            bar.cycle = f"{self.cycle.name} · {self.cycle.state}"

    def data_changed(self, focus_goal: int | None = None, focus_task: int | None = None) -> None:
        """Tell the main screen that data changed (after a write here)."""
        from okrate_tui.ui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.post_message(DataChanged(focus_goal, focus_task))
        reload = getattr(self.screen, "reload_on_change", None)  # a review screen on top
        if callable(reload):
            reload()

    @work(exclusive=True, group="poll")
    async def _poll(self) -> None:
        """Notice what other sessions wrote and reload."""
        try:
            latest = await self.db.call(org.latest_change)
        except OkrateError:
            return
        except Exception:
            return
        if latest != self._seen_change:
            self._seen_change = latest
            self.data_changed()

    def known_tree(self) -> CycleTree | None:
        """The goal tree the goals pane has loaded (saves reading it again), if any."""
        from okrate_tui.ui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                goals = screen.query_one("#goals")
                tree = goals.tree_data  # type: ignore[attr-defined]
                fresh = tree is not None and not goals.dirty  # type: ignore[attr-defined]
                return tree if fresh and self.cycle and tree.cycle.id == self.cycle.id else None
        return None

    def note_seen(self, change_id: int) -> None:
        self._seen_change = max(self._seen_change, change_id)

    # --- actions --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pane and cycle keys only mean something on the main screen."""
        if action in ("show_pane", "switch_cycle"):
            from okrate_tui.ui.screens.main import MainScreen

            return isinstance(self.screen, MainScreen)
        return True

    async def action_show_pane(self, name: str) -> None:
        from textual.widgets import ContentSwitcher

        from okrate_tui.ui.screens.main import MainScreen

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
        cycles = await self.db.call(org.cycles)
        choices = [Choice(c.id, f"{c.name}  ({c.state}, {c.starts:%b %-d} → {c.ends:%b %-d})", c.name) for c in cycles]
        picked = await self.push_screen_wait(
            PickerScreen("Switch cycle", choices, initial=self.cycle.id if self.cycle else None)
        )
        if picked is None:
            return
        self.cycle = next(c for c in cycles if c.id == picked)
        self._update_topbar()
        self.data_changed()

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
        """Every binding of the focused widget, its containers, the screen and the app,
        with the keys it has now (after the keymap), innermost first and each once."""
        found: dict[str, tuple[object, list[str], Binding]] = {}
        taken: set[str] = set()
        for node, bindings in screen._modal_binding_chain:
            claimed: set[str] = set()
            for key, listed in bindings.key_to_bindings.items():
                for binding in listed:
                    if not binding.description or binding.system or key in taken:
                        continue
                    claimed.add(key)
                    name = binding.id or f"{type(node).__name__}.{binding.action}"
                    entry = found.setdefault(name, (node, [], binding))
                    if entry[0] is node:
                        entry[1].append(self.get_key_display(Binding(key, binding.action)))
            taken |= claimed
        return [entry for entry in found.values() if entry[1]]

    def help_sections(self) -> list[tuple[str, list[tuple[str, Binding]]]]:
        """The bindings in reach, grouped by where they act."""
        groups: dict[str, list[tuple[str, Binding]]] = {}
        for node, keys, binding in self.bindings_in_reach(self.screen):
            node_id = getattr(node, "id", None) or ""
            if node is self:
                title = "Everywhere"
            elif node_id in PANE_NAMES:
                title = f"{PANE_NAMES[node_id]} pane"
            else:
                title = SECTION_NAMES.get(type(node).__name__, "This screen")
            groups.setdefault(title, []).append((", ".join(keys), binding))
        order = {"Everywhere": 2, "Goal tree": 1}
        return sorted(groups.items(), key=lambda item: (order.get(item[0], 0), item[0]))

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
        self.db.close()
        self.exit(0)
