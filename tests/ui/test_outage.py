"""PostgreSQL stopped while the app is open: every key of every pane, and of the screens
they open, is pressed while the server is away. None may end the app; what needs the
database says it is unreachable (the banner, a notification); once the server is back
the session works again."""

from __future__ import annotations

import psycopg2

from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.main import MainScreen
from okrate_tui.ui.screens.quick_add import QuickAddScreen
from tests.ui.conftest import SIZE, BoardView, on_main, settle
from tests.ui.outage import server_app
from tests.ui.test_board import on_board, type_text
from tests.ui.test_chaos import keys_in_reach
from tests.ui.test_live import banner, messages

PANES = ("1", "2", "3")
PANE_IDS = {"1": "goals", "2": "board", "3": "review"}


def actions(app, *, own: bool = False) -> list[str]:
    """The keys of Okrate's own actions in reach (every one has an id; a text field's
    editing keys have none), ``own``: only the top screen's, not the app's."""
    bindings = app.screen.active_bindings
    return [key for key in keys_in_reach(app) if bindings[key].binding.id and not (own and bindings[key].node is app)]


async def stop(pilot, server) -> None:
    server.stop()
    server.wait_down()
    await pilot.app.refresh_now()
    await settle(pilot, lambda a: "unreachable" in banner(a), timeout=30)


async def back_to_main(pilot) -> None:
    for _ in range(12):
        screen = pilot.app.screen
        if isinstance(screen, MainScreen):
            return
        discard = isinstance(screen, ConfirmScreen) and screen.question.startswith("Discard")
        await pilot.press("y" if discard else "escape")  # a form left for good drops what was typed
        await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen), (pilot.app.screen_stack, getattr(pilot.app.screen, "question", ""))


def stored_titles(server) -> set[str]:
    conn = psycopg2.connect(server.url)
    with conn.cursor() as cur:
        cur.execute("SELECT title FROM task")
        titles = {row[0] for row in cur.fetchall()}
    conn.close()
    return titles


async def test_quick_add_while_postgresql_is_stopped(outage_server) -> None:
    """`n` on the board (and on a board opened from the goal tree) says the database is
    unreachable; nothing opens and the app goes on; with the server back it adds."""
    app = server_app(outage_server)()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("enter")  # the board of the selected goal, opened from the goal tree
        await settle(pilot, on_board)
        assert BoardView(app).pane.okrate.session.cards.scope.kind == "goal"
        await stop(pilot, outage_server)
        app._notifications.clear()
        await pilot.press("n")
        await settle(pilot, lambda a: "unreachable" in messages(a))
        assert app.is_running and not isinstance(app.screen, QuickAddScreen)
        await pilot.press("1", "2")  # the board of the whole scope: the same
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, QuickAddScreen)
        outage_server.start()
        await settle(pilot, lambda a: a.session.health.ok and banner(a) == "", timeout=60)
        await pilot.press("n")
        await settle(pilot, lambda a: isinstance(a.screen, QuickAddScreen))
        await type_text(pilot, "Added once the server was back")
        await pilot.press("enter")
        await settle(pilot, lambda a: not isinstance(a.screen, QuickAddScreen))
        await settle(pilot, lambda a: "Added once the server was back" in stored_titles(outage_server))


async def test_every_key_of_every_pane_while_postgresql_is_stopped(outage_server) -> None:
    app = server_app(outage_server)()
    tried: list[str] = []
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (said.append(str(message)), notify(message, **kw))[1]  # toasts go by
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        for pane in PANES:  # every pane read once while the server is up
            await pilot.press(pane)
            await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await stop(pilot, outage_server)
        for pane in PANES:
            await back_to_main(pilot)
            await pilot.press(pane)
            await settle(pilot)
            for key in actions(app):
                await back_to_main(pilot)
                if app.screen.query_one("#panes").current != PANE_IDS[pane]:
                    await pilot.press(pane)
                await pilot.press(key)
                await settle(pilot)
                tried.append(f"{pane}:{key}")
                assert app.is_running, f"the app ended on {key!r} in pane {pane}"
                if isinstance(app.screen, MainScreen):
                    continue
                for inner in actions(app, own=True):  # what the opened screen offers: save, pick, confirm …
                    if not app.is_running or isinstance(app.screen, MainScreen):
                        break
                    await pilot.press(inner)
                    await settle(pilot)
                    tried.append(f"{pane}:{key}:{inner}")
                    assert app.is_running, f"the app ended on {key!r} then {inner!r} in pane {pane}"
        await back_to_main(pilot)
        assert "unreachable" in banner(app)
        assert any("unreachable" in line for line in said)
        assert len(tried) > 60, tried
        print(
            len(tried),
            "keys;",
            sum(t.count(":") == 1 for t in tried),
            "first-level;",
            sum("unreachable" in line for line in said),
            "said the database is unreachable",
        )
        outage_server.start()
        await settle(pilot, lambda a: a.session.health.ok and banner(a) == "", timeout=60)
        await pilot.press("1")  # panels that could not be read meanwhile are read as they are shown
        await settle(pilot, on_main)
        await pilot.press("2")
        await settle(pilot, on_board)
        card = BoardView(app).current()
        await pilot.press("x")  # the session works again
        await settle(pilot, on_board)
        conn = psycopg2.connect(outage_server.url)
        with conn.cursor() as cur:
            cur.execute("SELECT status FROM task WHERE id = %s", (card.id,))
            assert cur.fetchone()[0] == "done"
        conn.close()


async def test_a_failure_no_action_expected_is_said_and_the_app_goes_on(demo_path, make_app) -> None:
    """The last line of defence: an action that did not expect the database to fail under
    it (a server stopped half-way) gets a sentence; the app goes on."""
    from okrate_tui.core.errors import StorageError

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)

        async def unguarded() -> None:
            raise StorageError("cannot connect to PostgreSQL: the server went away")

        app.run_worker(unguarded(), group="unguarded")
        await settle(pilot, lambda a: "the server went away" in messages(a))
        assert app.is_running and app.return_code is None
        await pilot.press("2")
        await settle(pilot, on_board)
