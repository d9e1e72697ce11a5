"""The real ``okrate`` command in a pseudo-terminal, read through a terminal emulator
(pyte) so a benchmark can wait for what the screen shows, not for bytes.

Times are taken when the bytes that made the screen show it arrived: the emulator is
written in Python and parses a large frame far slower than a real terminal does, and
that parsing is not the app's latency."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pyte


class Screen:
    def __init__(self, args: list[str], size: tuple[int, int] = (120, 36), env: dict[str, str] | None = None):
        self.size = size
        self.emulator = pyte.Screen(*size)
        self.stream = pyte.ByteStream(self.emulator)
        environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        self.started = time.perf_counter()
        self.arrived = self.started
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the size is set before the app starts, so it never reads another one
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
            os.chdir(tempfile.gettempdir())  # `-m` looks in the working folder first: PYTHONPATH must choose
            os.execve(sys.executable, [sys.executable, "-m", "okrate_tui", *args], environment)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))

    def pump(self, timeout: float) -> bool:
        """Read all the app wrote within ``timeout`` and what follows at once; True when
        something came."""
        got = b""
        while True:
            ready, _, _ = select.select([self.fd], [], [], timeout if not got else 0)
            if not ready:
                break
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not data:
                break
            self.arrived = time.perf_counter()
            got += data
        if got:
            self.stream.feed(got)
        return bool(got)

    def lines(self) -> list[str]:
        return list(self.emulator.display)

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait(self, check: Callable[[Screen], bool], limit: float = 30, since: float | None = None) -> float:
        """Seconds from ``since`` (default: now) until the bytes arrived that make
        ``check`` hold for what is on screen."""
        start = time.perf_counter() if since is None else since
        self.arrived = start
        while not check(self):
            left = limit - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError(f"the screen never showed what was waited for:\n{self.text()}")
            self.pump(min(left, 0.02))
        return max(self.arrived - start, 0.0)

    def quiet(self, seconds: float = 0.3) -> None:
        while self.pump(seconds):
            pass

    def press(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)
