"""The change watcher: looks run as Textual workers on the event loop, one at a time;
catching up after a write waits for a whole look; every view hears a store change as
one StoreChanged message; the watcher's looks never hold keys back."""

from __future__ import annotations

import asyncio
import threading

from okrate_tui.core.models import Task
from okrate_tui.core.services import tasks
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.panes.board import BoardPane
from okrate_tui.ui.panes.goals import GoalsPane
from okrate_tui.ui.store import watcher as watcher_module
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import PeopleChanged
from okrate_tui.ui.store.watcher import WATCH_GROUP
from okrate_tui.ui.typeahead import _Before
from okrate_tui.ui.widgets.topbar import TopBar
from tests.ui.conftest import SIZE, BoardView, on_main, settle
from tests.ui.test_board import on_board, open_board


async def test_a_change_made_elsewhere_is_held_when_catching_up_returns(demo_path, make_app) -> None:
    """The clock never ticks here (an hour between looks): catching up alone brings the change."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = BoardView(app).current()
        rounds = app.watcher.rounds
        tasks.edit_task(find_person("maria"), card.id, None, title="Renamed in another session")
        await app.refresh_now()
        assert app.watcher.rounds > rounds
        assert app.session.cards.by_id[card.id].title == "Renamed in another session"
        await settle(pilot, lambda a: on_board(a) and BoardView(a).current().title == "Renamed in another session")


async def test_looks_never_overlap_and_read_a_copy_made_on_the_event_loop(demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    made_on: set[str] = set()
    shared: list[bool] = []
    overlap = {"now": 0, "most": 0}
    wants_of = watcher_module.wants_of

    def copying(session, **kwargs):
        made_on.add(threading.current_thread().name)
        return wants_of(session, **kwargs)

    monkeypatch.setattr(watcher_module, "wants_of", copying)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        poll, look = app.db.poll, app.watcher._look

        def copy_checked(reader, wants):
            shared.append(wants.gaps is app.session.gaps)
            return poll(reader, wants)

        async def counted() -> None:
            overlap["now"] += 1
            overlap["most"] = max(overlap["most"], overlap["now"])
            try:
                await look()
            finally:
                overlap["now"] -= 1

        app.db.poll = copy_checked
        app.watcher._look = counted
        maria = find_person("maria")
        task_id = Task.select(Task.id).order_by(Task.id).first().id
        waits = []
        for number in range(6):
            tasks.edit_task(maria, task_id, None, title=f"Edit {number}")
            app.watcher.wake()
            waits.append(asyncio.ensure_future(app.refresh_now()))
            await asyncio.sleep(0)  # the look under way is awaiting the database when the next wake comes
        await asyncio.wait_for(asyncio.gather(*waits), timeout=60)
        assert overlap["most"] == 1
        assert shared and not any(shared)
        assert made_on == {threading.main_thread().name}


async def test_every_view_hears_a_store_change_once_as_a_message(demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    heard: list[tuple[str, object]] = []

    def recording(kind):
        original = kind.on_store_changed

        def handler(self, message: StoreChanged) -> None:
            heard.append((type(self).__name__, message.event))
            original(self, message)

        monkeypatch.setattr(kind, "on_store_changed", handler)

    for kind in (BoardPane, GoalsPane, TopBar):
        recording(kind)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)  # the goals pane is hidden now: it still hears
        heard.clear()
        event = PeopleChanged()
        app.session.emit(event)
        await settle(pilot, lambda a: len(heard) >= 3)
        assert sorted(name for name, got in heard if got is event) == ["BoardPane", "GoalsPane", "TopBar"]
        assert len(heard) == 3


async def test_a_look_under_way_does_not_hold_keys_and_exiting_lets_waiters_go(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        release = asyncio.Event()
        inside = asyncio.Event()

        async def slow(news: bool) -> None:
            inside.set()
            await release.wait()

        app.watcher.after_look = slow
        waiting = asyncio.ensure_future(app.refresh_now())
        await asyncio.wait_for(inside.wait(), timeout=30)
        look = [w for w in app.workers if w.group == WATCH_GROUP and w.is_running]
        assert look
        nothing_before = _Before(app.screen, app.focused, set(), app.typeahead.troubles)
        assert not set(look) & set(app.typeahead._started_by_key(nothing_before))
        await pilot.press("j")  # the goal tree moves on while the look waits
        await settle(pilot)
        assert not app.typeahead.busy and look[0].is_running and not waiting.done()
    await asyncio.wait_for(waiting, timeout=30)  # the app closed: nobody waits for ever
