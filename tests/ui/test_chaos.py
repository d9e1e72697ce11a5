"""A seeded random walk over every key of every screen while another process edits,
moves and deletes tasks, goals and talking points on the same database. After each key
the app must still run; once the other process stops and the session has caught up, what
the views hold must agree with the database.

On PostgreSQL the other process also stops the server now and then and starts it again,
so every action meets an outage: it must say so (the banner, a notification), never end
the app, and the session must catch up once the server is back.

Short walks run with the suite; ``pytest -m chaos --chaos-steps 5000`` runs long ones.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from okrate_tui.core import clock
from okrate_tui.core.queries import board as data
from okrate_tui.core.queries.tree import load_tree
from okrate_tui.ui.app import OkrateApp
from okrate_tui.ui.screens.main import MainScreen
from tests.pg_server import PgServer
from tests.ui.conftest import SIZE, on_main, settle
from tests.ui.outage import server_app

ROOT = Path(__file__).resolve().parents[2]
NEVER = {"app.quit", "welcome.quit", "problem.quit"}
TYPED = [*list("abcelmnrst@!^?#/ 123"), "backspace", "enter", "tab"]


def keys_in_reach(app: OkrateApp) -> list[str]:
    keys = []
    for key, active in app.screen.active_bindings.items():
        binding = active.binding
        if binding.id in NEVER or binding.action in ("quit", "app.quit", "command_palette"):
            continue
        keys.append(key)
    return keys


def pick(app: OkrateApp, rng: random.Random) -> str:
    if isinstance(app.focused, Input | TextArea) and rng.random() < 0.6:
        return rng.choice(TYPED)
    keys = keys_in_reach(app) or ["escape"]
    return rng.choice([*keys, "escape", "up", "down"])


async def agrees(app: OkrateApp) -> None:
    """What the session holds is what the database says."""
    session = app.session
    cycle = session.cycle
    if cycle is None:
        return
    if session.tree is not None and session.tree.cycle.id == cycle.id:
        fresh = await app.db.read(load_tree, cycle.id, clock.today())
        held = session.tree
        assert set(held.nodes) == set(fresh.nodes)
        for gid in fresh.nodes:
            a, b = held.line(gid), fresh.line(gid)
            assert (a.title, a.status, a.execution, a.archived) == (b.title, b.status, b.execution, b.archived), gid
    if session.cards.loaded:
        stored = await app.db.read(data.load_cards, session.cards.scope, cycle.id)
        expected = {c.id: (c.status, c.title, c.owner_id, c.goal_id, c.priority) for c in stored}
        shown = {c.id: (c.status, c.title, c.owner_id, c.goal_id, c.priority) for c in session.cards.scoped()}
        assert shown == expected


async def walk(path: Path | str, seed: int, steps: int, make_app, server: PgServer | None = None) -> None:
    env = {**os.environ, "OKRATE_TODAY": clock.today().isoformat()}
    outages = [str(server.dir), str(server.port)] if server is not None else []
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.chaos_writer", str(path), str(seed), "10", *outages],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    rng = random.Random(seed)
    app = make_app(path)
    app.poll_seconds = 0.05
    pressed: list[str] = []
    screens: set[str] = set()
    troubled = 0  # keys pressed while the session knew the database was away
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, on_main, timeout=30)  # the first read may wait out an outage of a few seconds
            for number in range(steps):
                key = pick(app, rng)
                pressed.append(key)
                started = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                screens.add(type(app.screen).__name__)
                troubled += not app.session.health.ok
                took = time.perf_counter() - started
                if took > 1 and os.environ.get("OKRATE_CHAOS_SHOW"):
                    print(f"step {number}: {key!r} on {type(app.screen).__name__} took {took:.1f} s")
                assert app.is_running, f"seed {seed}: the app stopped at step {number} ({pressed[-8:]})"
            writer.terminate()
            writer.wait(timeout=30)
            if server is not None:
                server.ensure_up()
                assert troubled, f"seed {seed}: no key met an outage"
                await settle(pilot, lambda a: a.session.health.ok, timeout=60)
            for _ in range(10):
                if isinstance(app.screen, MainScreen):
                    break
                await pilot.press("escape")
                await pilot.pause()
            await app.refresh_now()
            await settle(pilot)
            await app.refresh_now()
            await agrees(app)
            if os.environ.get("OKRATE_CHAOS_SHOW"):
                print(
                    f"seed {seed}: {steps} keys on {sorted(screens)}; board read: {app.session.cards.loaded}; "
                    f"{troubled} keys while the database was away"
                )
    except BaseException as exc:
        raise AssertionError(f"chaos walk with seed {seed} failed after keys {pressed[-12:]}: {exc!r}") from exc
    finally:
        writer.kill()
        writer.wait()
        if server is not None:
            server.ensure_up()


async def test_a_short_random_walk_with_another_session_writing(demo_path, make_app) -> None:
    seed = int(os.environ.get("OKRATE_CHAOS_SEED", random.randrange(1_000_000)))
    await walk(demo_path, seed, int(os.environ.get("OKRATE_CHAOS_STEPS", 200)), make_app)


@pytest.mark.chaos
async def test_a_long_random_walk(demo_path, make_app, request) -> None:
    steps = int(request.config.getoption("--chaos-steps"))
    if not steps:
        pytest.skip("the long walk runs with --chaos-steps N (5000 or more)")
    for _ in range(int(request.config.getoption("--chaos-walks"))):
        await walk(demo_path, random.randrange(1_000_000), steps, make_app)


async def test_a_short_walk_while_postgresql_stops_and_starts(outage_server) -> None:
    """Every key under an outage, one after another, is test_outage's; this mixes them
    with another session's writes and the server coming and going."""
    seed = int(os.environ.get("OKRATE_CHAOS_SEED", random.randrange(1_000_000)))
    steps = int(os.environ.get("OKRATE_CHAOS_STEPS", 80))
    await walk(outage_server.url, seed, steps, server_app(outage_server), outage_server)


@pytest.mark.chaos
async def test_a_long_walk_while_postgresql_stops_and_starts(outage_server, request) -> None:
    steps = int(request.config.getoption("--chaos-steps"))
    if not steps:
        pytest.skip("the long walk runs with --chaos-steps N (5000 or more)")
    for _ in range(int(request.config.getoption("--chaos-walks"))):
        await walk(outage_server.url, random.randrange(1_000_000), steps, server_app(outage_server), outage_server)
