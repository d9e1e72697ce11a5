"""Saving what an open connection still holds after its SQLite file was deleted or
replaced underneath it.

A connection keeps its file open: when the path is deleted, the data (write-ahead log
included) lives on until the connection closes. SQLite's online backup reads through
that connection, so everything the session last saw and wrote can be copied to a new
file before the session ends.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peewee import Database

from okrate_tui.core import clock
from okrate_tui.core.errors import StorageError
from okrate_tui.core.files import create_new


def recovery_path(original: Path) -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return original.with_name(f"{original.name}.recovered-{stamp}")


def save_recovery(database: Database, dest: Path) -> Path:
    """Copy the database as this connection sees it to ``dest`` (a new file, 0600)."""
    connection = database.connection()
    if not isinstance(connection, sqlite3.Connection):
        raise StorageError("only a SQLite session keeps its data in an open file")
    if not dest.parent.is_dir():
        raise StorageError(f"the folder {dest.parent} is gone too; choose another place")
    create_new(dest)
    target = sqlite3.connect(dest)
    try:
        with target:
            connection.backup(target)
    except sqlite3.Error as exc:
        target.close()
        dest.unlink(missing_ok=True)
        raise StorageError(f"could not save the recovery copy: {exc}") from None
    target.close()
    return dest
