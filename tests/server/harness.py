"""A real team server on this machine, for end-to-end tests and benchmarks.

It installs okrate into a virtual environment every account can run (a Python in
root's home cannot be run by a service account), makes a service account with
``okrate server init``, and starts a throwaway OpenSSH server on 127.0.0.1 with its
own host key and config. Needs root, ``/usr/sbin/sshd``, ``ssh``, ``ssh-keygen`` and
``/usr/bin/python3`` with ``venv``; :func:`missing` says what is absent.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import secrets
import select
import shlex
import shutil
import socket
import struct
import subprocess
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_HOME = Path(os.environ.get("OKRATE_E2E_VENV", "/opt/okrate-e2e"))
SYSTEM_PYTHON = "/usr/bin/python3"
SSHD = "/usr/sbin/sshd"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
EXTRAS = "postgres,calendar"  # what a server installs: PostgreSQL, and calendars for ICS exports
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHMNOPZc])")


def missing() -> str | None:
    """Why an end-to-end server cannot run here (None when it can)."""
    if os.geteuid() != 0:
        return "needs root (to make accounts and start sshd)"
    for tool in (SSHD, shutil.which("ssh"), shutil.which("ssh-keygen"), RUNUSER):
        if not tool or not Path(tool).exists():
            return "needs openssh-server and openssh-client (apt-get install -y openssh-server openssh-client)"
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import venv, ensurepip"], capture_output=True)
    if check.returncode != 0:
        return f"needs {SYSTEM_PYTHON} with venv (apt-get install -y python3-venv)"
    return None


def _stamp() -> str:
    """What the installed copy was built from: the newest change to the package."""
    newest = max(p.stat().st_mtime_ns for p in (ROOT / "okrate_tui").rglob("*") if p.is_file())
    return f"{newest}-{(ROOT / 'pyproject.toml').stat().st_mtime_ns}-{EXTRAS}"


def install() -> Path:
    """okrate in a virtual environment under /opt that every account can run; rebuilt
    only when the package changed. Returns its ``okrate`` command. Test workers that ask
    at the same moment take turns (one builds, the others find it built)."""
    VENV_HOME.mkdir(parents=True, exist_ok=True)
    os.chmod(VENV_HOME, 0o755)
    with open(VENV_HOME.parent / f".{VENV_HOME.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build()


def _build() -> Path:
    venv = VENV_HOME / "venv"
    okrate = venv / "bin" / "okrate"
    stamp = VENV_HOME / "stamp"
    if okrate.exists() and stamp.exists() and stamp.read_text() == _stamp():
        return okrate
    if not (venv / "bin" / "python").exists():
        subprocess.run([SYSTEM_PYTHON, "-m", "venv", str(venv)], check=True)
    source = VENV_HOME / "src"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir()
    shutil.copytree(ROOT / "okrate_tui", source / "okrate_tui", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", f"{source}[{EXTRAS}]"],
        check=True,
        capture_output=True,
    )
    subprocess.run(["chmod", "-R", "a+rX", str(VENV_HOME)], check=True)
    stamp.write_text(_stamp())
    return okrate


@contextlib.contextmanager
def pg_database(base_url: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards; yields its URL."""
    import psycopg2

    name = f"okrate_e2e_{secrets.token_hex(3)}"
    admin = psycopg2.connect(base_url)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        yield base_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A service account with okrate set up, and an sshd that lets people in as it."""

    okrate: Path
    base: Path
    account: str = field(default_factory=lambda: f"okr{secrets.token_hex(3)}")
    port: int = field(default_factory=free_port)
    others: list[str] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.base / "home"

    @property
    def database(self) -> Path:
        return self.home / "data" / "okrate.db"

    def init(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """``okrate server init`` as root, as the README says."""
        return subprocess.run(
            [str(self.okrate), "server", "init", "--account", self.account, "--home", str(self.home), *args],
            capture_output=True,
            text=True,
            input=input,
            timeout=120,
            env={**_clean_env(), "OKRATE_TODAY": "2026-11-26"},
        )

    def as_account(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """A command run on the server by its operator, as the service account."""
        return self.as_user(self.account, str(self.okrate), *args, input=input)

    def as_user(self, user: str, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        home = self.home if user == self.account else self.base / user
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OKRATE_TODAY": "2026-11-26"}
        return subprocess.run(
            [RUNUSER, "-u", user, "--", *args], capture_output=True, text=True, input=input, env=env, timeout=120
        )

    def add_login(self, name: str) -> str:
        """Another Unix login on this machine (not the service account)."""
        login = f"{self.account}{name}"[:32]
        subprocess.run(
            ["useradd", "--no-create-home", "--home-dir", str(self.base / login), "--shell", "/bin/sh", login],
            check=True,
        )
        self.others.append(login)
        return login

    # --- sshd -----------------------------------------------------------------------

    def start_sshd(self) -> None:
        etc = self.base / "sshd"
        etc.mkdir(mode=0o700, exist_ok=True)
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(etc / "hostkey")], check=True)
        (etc / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {etc / 'hostkey'}\nPidFile {etc / 'sshd.pid'}\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
            f"AllowUsers {self.account}\nAcceptEnv LANG LC_* OKRATE_*\nLogLevel VERBOSE\n"
            "MaxStartups 100:30:200\n"  # the benchmark connects twenty people at one instant
        )
        subprocess.run([SSHD, "-f", str(etc / "sshd_config"), "-E", str(etc / "sshd.log")], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"sshd did not start: {(etc / 'sshd.log').read_text()[-500:]}")

    def sshd_log(self) -> str:
        return (self.base / "sshd" / "sshd.log").read_text(errors="replace")

    def keygen(self, name: str) -> Path:
        """A person's key pair on their laptop; returns the private key's path."""
        keys = self.base / "clients"
        keys.mkdir(mode=0o700, exist_ok=True)
        path = keys / name
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f", str(path)])
        return path

    def ssh_args(self, key: Path, *options: str, tty: bool = False) -> list[str]:
        return [
            "ssh",
            "-tt" if tty else "-T",
            "-i",
            str(key),
            "-p",
            str(self.port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            *options,
            f"{self.account}@127.0.0.1",
        ]

    def ssh(
        self, key: Path, *command: str, options: tuple[str, ...] = (), input: str | None = None
    ) -> subprocess.CompletedProcess:
        """``ssh okrate@host COMMAND…`` as a script would run it."""
        remote = [shlex.join(command)] if command else []
        return subprocess.run(
            [*self.ssh_args(key, *options), "--", *remote], capture_output=True, text=True, input=input, timeout=120
        )

    def stop(self) -> None:
        pid_file = self.base / "sshd" / "sshd.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().strip()), 15)
        subprocess.run(["pkill", "-u", self.account], capture_output=True)
        for login in [*self.others, self.account]:
            subprocess.run(["userdel", login], capture_output=True)
        subprocess.run(["groupdel", self.account], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("OKRATE_")}


class Terminal:
    """A program in a pseudo-terminal of a fixed size, read as plain text."""

    def __init__(self, argv: list[str], size: tuple[int, int] = (120, 36)) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**_clean_env(), "TERM": "xterm-256color"}
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.raw = b""

    def read_until(self, text: str, timeout: float = 20) -> float:
        """Read until ``text`` shows on screen; returns the seconds it took."""
        start = time.monotonic()
        while text not in self.text():
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                raise AssertionError(f"{text!r} never showed; last output: {self.text()[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if ready:
                try:
                    self.raw += os.read(self.master, 65536)
                except OSError:
                    raise AssertionError(f"the program ended before {text!r} showed: {self.text()[-600:]!r}") from None
        return time.monotonic() - start

    def text(self) -> str:
        return ANSI.sub("", self.raw.decode("utf-8", errors="replace"))

    def drain(self, seconds: float = 0.2) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.raw += os.read(self.master, 65536)
                except OSError:
                    return

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self, timeout: float = 10) -> int:
        """Wait for the program to end (reading what it still writes); kill it if it will not."""
        end = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < end:
            self.drain(0.1)
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        os.close(self.master)
        return code
