"""A team server's own settings: where its data lives and how SSH reaches it.

One service account owns the data. Its ``~/.config/okrate/server.toml`` (mode 0600)
names the database and the command that ``authorized_keys`` runs for each key; its
``~/.ssh/authorized_keys`` is written from the keys in the database, one forced command
per key, so the key a person connects with decides who they are.
"""

from __future__ import annotations

import json
import os
import pwd
import shlex
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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
class ServerConfig:
    path: Path
    account: str
    database: str
    command: str  # how sshd starts okrate (an absolute path, shell-quoted)

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
        )
        replace_private(self.path, text)


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
    return ServerConfig(path, data["account"], data["database"], data["command"])


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
