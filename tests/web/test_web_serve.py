"""``okrate web`` for real: the server as a process on a free port, a browser's requests
made with aiohttp, and a headless Chromium that draws the goal tree.

``OKRATE_SAVE_SCREENSHOT=1`` also copies the browser's screenshot to screenshots/web.png.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import pyte
import pytest

from tests.cli.test_cli import ROOT, okrate
from tests.ui.openers import digest
from tests.web.browser import browser, find_chromium

pytest.importorskip("textual_serve", reason="okrate web needs textual-serve (pip install 'okrate-tui[web]')")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_processes(db: Path) -> list[str]:
    """Command lines of the app processes (not the server) running on ``db``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [w.decode(errors="replace") for w in argv if w]
        if str(db) in words and "web" not in words:
            found.append(" ".join(words))
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """``okrate web`` on a demo organisation, run as a person would, until the module ends."""
    folder = tmp_path_factory.mktemp("web")
    db = folder / "demo.db"
    okrate("demo", db=db, check=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OKRATE_")}
    env |= {"OKRATE_TODAY": "2026-11-26", "OKRATE_AS": "maria"}
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "okrate_tui", "--db", str(db), "web", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while "serving the app on" not in (folder / "server.log").read_text():
        assert process.poll() is None, (folder / "server.log").read_text()
        assert time.monotonic() < deadline, "okrate web did not start"
        time.sleep(0.1)
    try:
        yield SimpleNamespace(url=url, port=port, db=db, folder=folder, log=folder / "server.log")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            log.close()
        assert code == 0, (folder / "server.log").read_text()


def test_it_says_where_it_listens(served) -> None:
    assert f"okrate: serving the app on {served.url} ({served.db}); Ctrl+C stops" in served.log.read_text()


async def test_the_page_and_its_terminal_over_a_websocket(served) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(served.url) as page:
            assert page.status == 200
            html = await page.text()
        assert "<div>okrate</div>" in html  # the title textual-serve shows while the app starts
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in html
        assert "js/textual.js" in html
        async with http.ws_connect(f"{served.url}ws?width=120&height=36") as ws:
            screen = await read_until(ws, b"Grow recurring revenue")
    assert b"Maria Santos (@maria, admin)" in screen  # the person okrate web was started as
    assert screen.startswith(b"\x1b[?1049h")  # the app took the browser's terminal over
    deadline = time.monotonic() + 20
    while app_processes(served.db):  # the tab closed: its app process ends
        assert time.monotonic() < deadline, app_processes(served.db)
        await asyncio.sleep(0.2)


async def read_until(ws: aiohttp.ClientWebSocketResponse, marker: bytes, timeout: float = 60) -> bytes:
    """Terminal output until ``marker`` shows (other messages are skipped)."""
    screen = b""
    async with asyncio.timeout(timeout):
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                screen += message.data
                if marker in screen:
                    return screen
    raise AssertionError(f"the websocket closed before {marker!r} showed")


async def test_an_export_is_a_download_from_the_browser(served) -> None:
    started = time.time()
    async with aiohttp.ClientSession() as http, http.ws_connect(f"{served.url}ws?width=120&height=36") as ws:
        await read_until(ws, b"Grow recurring revenue")
        await ws.send_json(["stdin", "3"])  # the review pane, its first person
        await read_until(ws, b"x export")
        await ws.send_json(["stdin", "x"])
        async with asyncio.timeout(30):
            message = await ws.receive()
            while message.type == aiohttp.WSMsgType.BINARY:
                message = await ws.receive()
        kind, key = message.json()
        assert kind == "deliver_file_start"
        async with http.get(f"{served.url}download/{key}") as download:
            assert download.status == 200
            assert download.headers["Content-Disposition"] == "attachment; filename=okrate-2026-Q4-ana.md"
            assert download.headers["Content-Type"].startswith("text/markdown")
            packet = await download.text()
    assert packet.startswith("# Review packet: 2026 Q4") and "## Ana Ruiz (@ana)" in packet
    for folder in (ROOT, served.folder, Path.home()):  # where a file would have gone: nothing written there
        written = folder / "okrate-2026-Q4-ana.md"
        assert not written.exists() or written.stat().st_mtime < started


async def read_screen(ws: aiohttp.ClientWebSocketResponse, screen: pyte.Screen, marker: str) -> str:
    """Feed the terminal output to ``screen`` until its text shows ``marker``."""
    stream = pyte.ByteStream(screen)
    async with asyncio.timeout(60):
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                stream.feed(message.data)
                text = "\n".join(screen.display)
                if marker in text:
                    return text
    raise AssertionError(f"the websocket closed before {marker!r} showed")


async def test_keys_typed_ahead_in_the_browser_reach_the_filter(served) -> None:
    """/tax in one message (a paste, a fast typist): the filter gets "tax", no card is done."""
    before = digest(served.db)
    screen = pyte.Screen(120, 36)
    async with aiohttp.ClientSession() as http, http.ws_connect(f"{served.url}ws?width=120&height=36") as ws:
        await read_screen(ws, screen, "Grow recurring revenue")
        await ws.send_json(["stdin", "2"])
        await read_screen(ws, screen, "67 tasks")
        await ws.send_json(["stdin", "/tax"])
        shown = await read_screen(ws, screen, "filter: tax")
    assert "u undoes" not in shown
    assert digest(served.db) == before


def pixels(png: bytes) -> tuple[tuple[int, int], int, float]:
    """Size, number of colours and the share of the commonest colour."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    commonest = max(count for count, _ in colours)
    return image.size, len(colours), commonest / (image.size[0] * image.size[1])


@pytest.mark.skipif(find_chromium() is None, reason="no chromium on PATH (apt-get install chromium; .ci/run does)")
async def test_a_browser_draws_the_goal_tree(served, tmp_path: Path) -> None:
    async with browser(find_chromium(), tmp_path / "profile") as page:
        await page.call("Page.navigate", url=served.url)
        await page.wait_for("document.body.classList.contains('-first-byte')", timeout=60)
        await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")  # as a click would
        first = await page.settled()
        for key in ("ArrowDown", "ArrowRight", "ArrowDown"):  # the second goal, opened, its first sub-goal
            await page.press(key)
        shot = await page.settled()
    (tmp_path / "web.png").write_bytes(shot)
    assert shot.startswith(b"\x89PNG") and shot != first  # the keys reached the app through the browser
    try:
        size, colours, commonest = pixels(shot)
    except ImportError:  # no Pillow: a blank page of this size compresses far smaller
        assert len(shot) > 40_000
    else:
        assert size == (1280, 800)
        assert colours > 50 and commonest < 0.9, (colours, commonest)
    if os.environ.get("OKRATE_SAVE_SCREENSHOT"):
        shutil.copy(tmp_path / "web.png", ROOT / "screenshots" / "web.png")
