"""``okrate web`` when the disk fills up and when PostgreSQL stops: the browser's terminal
says the same sentences as the terminal app (read back with a terminal emulator)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pyte
import pytest

from okrate_tui.core.identity import os_user
from tests import pg_server
from tests.cli.test_cli import ROOT, okrate
from tests.faults import fill, mount_problem, small_disk
from tests.web.test_web_serve import free_port

pytest.importorskip("textual_serve", reason="okrate web needs textual-serve (pip install 'okrate-tui[web]')")

WIDTH, HEIGHT = 160, 40
BORDERS = " ▌▐▕▏▎▍▋▊▉█"  # what a notification's edges are drawn with


@contextlib.contextmanager
def serving(db: str, folder: Path, as_handle: str | None) -> Iterator[str]:
    """``okrate --db DB web`` on a free port, as a person would start it; yields its address."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OKRATE_")} | {"OKRATE_TODAY": "2026-11-26"}
    if as_handle:
        env["OKRATE_AS"] = as_handle
    log_path = folder / "web.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "okrate_tui", "--db", db, "web", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
        try:
            deadline = time.monotonic() + 60
            while "serving the app on" not in log_path.read_text():
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "okrate web did not start"
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}/"
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Terminal:
    """The browser tab's terminal, as a terminal emulator draws what the app sends."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.screen = pyte.Screen(WIDTH, HEIGHT)
        self.stream = pyte.ByteStream(self.screen)

    def rows(self) -> list[str]:
        return list(self.screen.display)

    def text(self) -> str:
        """Every row, then the right half's rows joined (where notifications are drawn,
        wrapped over several rows), each with runs of spaces made one."""
        whole = " ".join(self.rows())
        right = " ".join(row[WIDTH // 2 :].strip(BORDERS) for row in self.rows())
        return re.sub(r"\s+", " ", f"{whole} {right}")

    async def until(self, shown: Callable[[str], bool], timeout: float = 60) -> str:
        async with asyncio.timeout(timeout):
            while not shown(self.text()):
                message = await self.ws.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.stream.feed(message.data)
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    raise AssertionError("the tab closed; last screen:\n" + "\n".join(self.rows()))
        return self.text()

    async def press(self, key: str) -> None:
        await self.ws.send_json(["stdin", key])


@contextlib.asynccontextmanager
async def tab(url: str):
    async with aiohttp.ClientSession() as http, http.ws_connect(f"{url}ws?width={WIDTH}&height={HEIGHT}") as ws:
        terminal = Terminal(ws)
        await terminal.until(lambda text: "Grow recurring revenue" in text)
        await terminal.press("2")
        await terminal.until(lambda text: "Doing" in text and "Done" in text)
        yield terminal


async def test_a_full_disk_is_said_in_the_browser(tmp_path: Path) -> None:
    problem = mount_problem()
    if problem:
        pytest.skip(problem)
    with small_disk("4m") as folder:
        path = folder / "okrate.db"
        okrate("demo", db=path, check=True)
        with serving(str(path), tmp_path, "maria") as url:
            async with tab(url) as terminal:
                filler = fill(folder)
                try:
                    await terminal.press("x")
                    text = await terminal.until(lambda t: "the disk is full" in t)
                finally:
                    filler.unlink()
    assert f"the disk is full (the one holding {folder}" in text
    assert "nothing was saved; free some space there and try again" in text
    assert "cannot rollback" not in text and "internal error" not in text


@pytest.fixture
def pg_with_me() -> Iterator[pg_server.PgServer]:
    """A PostgreSQL server of the test's own with the demo organisation and, as an admin,
    the login running the test (a shared database acts as the login)."""
    problem = pg_server.missing()
    if problem:
        pytest.skip(f"stopping a PostgreSQL server under okrate web {problem}")
    server = pg_server.PgServer()
    try:
        okrate("demo", db=server.url, who=None, check=True)
        from okrate_tui.core.db import close_db, open_db
        from okrate_tui.core.services import people

        open_db(server.url)
        people.create_person(people.find_person("maria"), os_user(), "The tester", role="admin")
        close_db()
        yield server
    finally:
        server.remove()


async def test_postgresql_stopped_is_said_in_the_browser(pg_with_me, tmp_path: Path) -> None:
    with serving(pg_with_me.url, tmp_path, None) as url:
        async with tab(url) as terminal:
            pg_with_me.stop()
            pg_with_me.wait_down()
            await terminal.press("x")
            text = await terminal.until(lambda t: "The database is unreachable since" in t)
            await terminal.press("n")  # quick add on the board: said, and the app goes on
            await terminal.until(lambda t: "nothing is saved until it is back" in t)
            pg_with_me.start()
            await terminal.until(lambda t: "The database is back" in t, timeout=90)
    assert "(this reconnects by itself)" in text
