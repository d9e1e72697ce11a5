"""A team server's own settings: where its data lives, how SSH reaches it, and its limits.

One service account owns the data. Its ``~/.config/okrate/server.toml`` (mode 0600)
names the database and the command that ``authorized_keys`` runs for each key; its
``~/.ssh/authorized_keys`` is written from the keys in the database, one forced command
per key, so the key a person connects with decides who they are. Its ``[limits]`` keep
one person (or a crowd) from starving the machine: sessions per person and per server,
and the largest terminal the app draws.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shlex
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import ClassVar

from okrate_tui.core.db import Target, resolve
from okrate_tui.core.errors import StorageError
from okrate_tui.core.files import replace_private

CONFIG_NAME = "server.toml"
KEYS_HEADER = (
    "# Written by okrate from its list of keys; changes made here are overwritten.\n"
    "# Manage keys with: okrate keys add|list|revoke\n"
)
# What a client may ask the server for that only its operator (the service account,
# on the server itself) may do.
OPERATOR_COMMANDS = frozenset({"backup", "migrate", "import", "demo", "server", "ssh-entry"})


def home_of(account: str | None = None) -> Path:
    """The home folder from the password database (never from ``$HOME``)."""
    entry = pwd.getpwnam(account) if account else pwd.getpwuid(os.geteuid())
    return Path(entry.pw_dir)


def config_file(home: Path | None = None) -> Path:
    return (home or home_of()) / ".config" / "okrate" / CONFIG_NAME


@dataclass(frozen=True)
class Limits:
    """What one server allows: open sessions per person (on every server sharing the
    database) and on this machine, and the largest terminal the app draws."""

    sessions_per_person: int = 5
    sessions_per_server: int = 100
    columns: int = 500
    rows: int = 200

    # the settings' names in server.toml, with the range each may take
    RANGES: ClassVar[dict[str, tuple[int, int]]] = {
        "sessions_per_person": (1, 1_000),
        "sessions_per_server": (1, 100_000),
        "columns": (40, 1_000),
        "rows": (10, 500),
    }

    def with_values(self, **values: int | None) -> Limits:
        """These limits with some replaced; a value outside its range is a ValueError
        that names it."""
        wanted = {k: v for k, v in values.items() if v is not None}
        for name, value in wanted.items():
            low, high = self.RANGES[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"{name} must be a whole number from {low} to {high:,} (it is {value!r})")
        return replace(self, **wanted)

    def lines(self) -> list[str]:
        return [f"{f.name} = {getattr(self, f.name)}" for f in fields(self)]


@dataclass(frozen=True)
class ServerConfig:
    path: Path
    account: str
    database: str
    command: str  # how sshd starts okrate (an absolute path, shell-quoted)
    limits: Limits = field(default_factory=Limits)

    @property
    def home(self) -> Path:
        return self.path.parents[2]

    @property
    def authorized_keys(self) -> Path:
        return self.home / ".ssh" / "authorized_keys"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    def write(self) -> None:
        text = (
            "# The Okrate team server of this account (okrate server init). Keep it 0600:\n"
            "# a PostgreSQL password may stand in the database URL.\n"
            f"account = {json.dumps(self.account)}\n"
            f"database = {json.dumps(self.database)}\n"
            f"command = {json.dumps(self.command)}\n"
            "\n# What one person, and the server as a whole, may hold open; the largest terminal\n"
            "# the app draws (a larger one is drawn at this size). Change: okrate server limits\n"
            "[limits]\n" + "".join(f"{line}\n" for line in self.limits.lines())
        )
        replace_private(self.path, text)

    def scrub(self, text: str) -> str:
        """``text`` without this server's paths or database address, for a person
        connected over SSH: the server's files are not theirs to know."""
        target = _target(self.database)
        places: list[tuple[str, str]] = []
        if target is not None and target.kind == "sqlite" and target.path is not None:
            for path in {str(target.path), str(target.path.resolve())}:
                places.append((path, "the server's database"))
        elif target is not None:
            places.append((target.describe(), "the server's database"))
        places.append((self.database, "the server's database"))
        roots = {str(self.home), str(self.home.resolve())}
        if target is not None and target.path is not None:
            roots |= {str(target.path.parent), str(target.path.resolve().parent)}
        for found, said in sorted(places, key=lambda p: -len(p[0])):
            if found:
                text = text.replace(found, said)
        for root in sorted(roots, key=len, reverse=True):
            if root and root != "/":
                text = re.sub(re.escape(root) + r"(?:/[^\s'\",;:)]*)?", "a file of the server", text)
        return text


def load(path: Path | None = None) -> ServerConfig | None:
    """This account's server settings, or None when it runs no team server."""
    path = path or config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"cannot read the server settings {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StorageError(f"the server settings {path} cannot be read: {exc}") from None
    missing = [k for k in ("account", "database", "command") if not isinstance(data.get(k), str) or not data[k]]
    if missing:
        raise StorageError(f"the server settings {path} lack {', '.join(missing)}")
    given = data.get("limits", {})
    if not isinstance(given, dict):
        raise StorageError(f"the server settings {path}: [limits] must be a table of settings")
    unknown = sorted(set(given) - set(Limits.RANGES))
    if unknown:
        known = ", ".join(Limits.RANGES)
        raise StorageError(f"the server settings {path}: [limits] has no setting {unknown[0]} (known: {known})")
    try:
        limits = Limits().with_values(**given)
    except ValueError as exc:
        raise StorageError(f"the server settings {path}: {exc}") from None
    return ServerConfig(path, data["account"], data["database"], data["command"], limits)


def _target(url: str) -> Target | None:
    try:
        return resolve(url)
    except StorageError:
        return None


def forced_command(config: ServerConfig, key_id: int) -> str:
    return f"{config.command} ssh-entry {int(key_id)}"


def authorized_keys_text(config: ServerConfig, keys: Iterable[tuple[int, str, str, str]]) -> str:
    """The whole ``authorized_keys`` for ``(id, algorithm, blob, handle)`` rows."""
    lines = [KEYS_HEADER]
    for key_id, algorithm, blob, handle in keys:
        command = forced_command(config, key_id).replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'command="{command}",restrict,pty {algorithm} {blob} okrate-key-{key_id}-@{handle}\n')
    return "".join(lines)


def write_authorized_keys(config: ServerConfig, text: str) -> bool:
    """Replace ``authorized_keys`` when it differs; True when it was written."""
    target = config.authorized_keys
    try:
        if target.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StorageError(f"cannot read {target}: {exc.strerror}") from None
    if not target.parent.is_dir():
        target.parent.mkdir(mode=0o700, parents=True)
    replace_private(target, text)
    return True


def okrate_command(executable: str) -> str:
    """The command sshd should run: the ``okrate`` script beside this interpreter when
    there is one, else ``python -m okrate_tui``."""
    script = Path(executable).parent / "okrate"
    if script.is_file() and os.access(script, os.X_OK):
        return shlex.quote(str(script))
    return f"{shlex.quote(executable)} -m okrate_tui"
