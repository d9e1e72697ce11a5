"""The real ``okrate`` command in a pseudo-terminal, with every byte it writes counted,
each frame it draws told apart, and (optionally) a slow link in between.

The terminal answers the app's question about synchronized output, as modern terminals
do, so Textual wraps each frame in ``ESC[?2026h … ESC[?2026l``: counting those marks
counts frames. The slow link is a relay: it reads the pseudo-terminal no faster than
the link's rate (so a large frame holds the app back, as a full socket would) and hands
each piece to the terminal emulator ``latency`` seconds later; keys go the other way
with the same delay."""

from __future__ import annotations

import os
import queue
import re
import select
import threading
import time
from dataclasses import dataclass, field

from benchmarks._screen import Screen

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_ANSWER = b"\x1b[?2026;2$y"
FRAME_START = b"\x1b[?2026h"
STYLE = re.compile(rb"\x1b\[[\d;]*m")


@dataclass
class Link:
    """A network path: throughput in bits per second and one-way delay in seconds."""

    rate: float
    latency: float

    def describe(self) -> str:
        return f"{self.rate / 1e6:g} Mbit/s, {self.latency * 1000:g} ms each way"


@dataclass
class Tally:
    """What the app wrote for one action."""

    size: int = 0
    frames: int = 0
    frame_sizes: list[int] = field(default_factory=list)
    styles: int = 0
    settled: float = 0.0  # seconds from the key to the last byte on the screen

    def add(self, data: bytes) -> None:
        self.size += len(data)
        self.styles += len(STYLE.findall(data))
        parts = data.split(FRAME_START)
        if self.frame_sizes:
            self.frame_sizes[-1] += len(parts[0])
        for part in parts[1:]:
            self.frames += 1
            self.frame_sizes.append(len(part))


class Wire(Screen):
    """A metered terminal; with ``link`` the bytes and keys cross a slow relay."""

    def __init__(self, args: list[str], size: tuple[int, int], env: dict[str, str], link: Link | None = None):
        super().__init__(args, size, env)
        self.link = link
        self.tally = Tally()
        self.pressed = time.perf_counter()
        self._down: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self._up: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self._running = True
        if link is not None:
            threading.Thread(target=self._relay_down, daemon=True).start()
            threading.Thread(target=self._relay_up, daemon=True).start()

    # the link ---------------------------------------------------------------

    def _relay_down(self) -> None:
        """App → terminal: read at the link's rate, deliver after its delay."""
        assert self.link is not None
        free = time.perf_counter()
        while self._running:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 512)
            except OSError:
                return
            if not data:
                return
            free = max(time.perf_counter(), free) + len(data) * 8 / self.link.rate
            self._down.put((free + self.link.latency, data))
            time.sleep(max(0.0, free - time.perf_counter()))

    def _relay_up(self) -> None:
        """Terminal → app: keys arrive after the link's delay, in order."""
        while self._running:
            try:
                due, data = self._up.get(timeout=0.05)
            except queue.Empty:
                continue
            time.sleep(max(0.0, due - time.perf_counter()))
            os.write(self.fd, data)

    def _send(self, data: bytes) -> None:
        if self.link is None:
            os.write(self.fd, data)
        else:
            self._up.put((time.perf_counter() + self.link.latency, data))

    def _receive(self, timeout: float) -> tuple[bytes, float] | None:
        """The next piece the terminal shows, and when it arrived."""
        if self.link is None:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return None
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                return None
            return (data, time.perf_counter()) if data else None
        try:
            due, data = self._down.get(timeout=timeout)
        except queue.Empty:
            return None
        time.sleep(max(0.0, due - time.perf_counter()))
        return data, due

    # the terminal -----------------------------------------------------------

    def pump(self, timeout: float) -> bool:
        got = False
        while True:
            piece = self._receive(timeout if not got else 0.005)
            if piece is None:
                return got
            data, when = piece
            got = True
            self.arrived = when
            self.tally.add(data)
            self.tally.settled = when - self.pressed
            if SYNC_QUERY in data:
                self._send(SYNC_ANSWER)
            self.stream.feed(data)

    def press(self, keys: str) -> None:
        self.pressed = time.perf_counter()
        self._send(keys.encode())

    def quiet(self, seconds: float = 0.3, limit: float = 15.0) -> None:
        """Read until nothing came for ``seconds`` (at most ``limit`` seconds in all)."""
        end = time.perf_counter() + limit
        while self.pump(seconds) and time.perf_counter() < end:
            pass

    def act(self, keys: str, *, first: float = 10.0, quiet: float = 0.4) -> Tally:
        """Press ``keys`` and count what comes back until the screen is quiet."""
        self.quiet(0.15)
        self.tally = Tally()
        self.press(keys)
        if self.pump(first):
            self.quiet(quiet)
        return self.tally

    def start(self, ready: re.Pattern[str], quiet: float = 0.6) -> Tally:
        """Count from the process's start until ``ready`` shows and the screen is quiet."""
        self.tally = Tally()
        self.pressed = self.started
        self.wait(lambda s: ready.search(s.text()) is not None, limit=120)
        self.quiet(quiet)
        return self.tally

    def close(self) -> None:
        self._running = False
        super().close()
