"""A PostgreSQL server of a test's own, which the test may stop and start again (the
shared test server must never go down under other tests)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def missing() -> str | None:
    if binaries() is None:
        return "needs PostgreSQL's server binaries (apt-get install -y postgresql)"
    if os.geteuid() == 0 and shutil.which("su") is None:
        return "needs su to run PostgreSQL as its own account"
    return None


class PgServer:
    def __init__(self) -> None:
        self.bin = binaries()
        assert self.bin is not None
        self.dir = Path(tempfile.mkdtemp(prefix="okrate-pg-own-"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run(f"'{self.bin}/initdb' -D '{self.dir}/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8")
        self.start()
        self._run(f"'{self.bin}/createdb' -h 127.0.0.1 -p {self.port} -U postgres okrate")

    @classmethod
    def attach(cls, folder: str | Path, port: int) -> PgServer:
        """The server another process made (to stop and start it from here)."""
        server = cls.__new__(cls)
        server.bin = binaries()
        server.dir = Path(folder)
        server.port = int(port)
        return server

    def running(self) -> bool:
        argv = f"'{self.bin}/pg_ctl' -D '{self.dir}/data' status"
        try:
            self._run(argv)
        except subprocess.CalledProcessError:
            return False
        return True

    def ensure_up(self) -> None:
        """Started, whatever state a test left it in."""
        if not self.running():
            self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/okrate"

    def _run(self, command: str) -> None:
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
        subprocess.run(argv, check=True, capture_output=True)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        self._run(f"'{self.bin}/pg_ctl' -D '{self.dir}/data' -l '{self.dir}/log' -w -o \"{options}\" start")

    def stop(self) -> None:
        self._run(f"'{self.bin}/pg_ctl' -D '{self.dir}/data' -m immediate -w stop")

    def wait_down(self, seconds: float = 10) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
