"""A damaged SQLite file: found, remembered and reported.

When a command or a session meets damage ("database disk image is malformed"), or
``okrate check`` finds some, a note is left beside the file (``NAME.damaged``). From then
on nothing is written into the file: writes are refused with a pointer to ``okrate
check``, which says what is damaged and what to do, and removes the note once the file
is whole again (after a restore). The note names the file by its inode, so a file put in
its place is never blamed for the old one's damage.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from okrate_tui.core import clock
from okrate_tui.core.errors import StorageError
from okrate_tui.core.files import mode_of, replace_private

SUFFIX = ".damaged"
SHOWN = 8  # problems listed in a report; SQLite's check stops at 100


@dataclass(frozen=True)
class Damage:
    """What a note beside a damaged file says."""

    found: str  # when, as local time
    what: str

    def sentence(self, path: Path) -> str:
        when = f" (found {self.found})" if self.found else ""
        return (
            f"{path} is damaged{when}: {self.what}. Nothing is written into it; "
            "`okrate check` says what is damaged and what to do"
        )


def note_of(path: Path) -> Path:
    return path.with_name(f"{path.name}{SUFFIX}")


def known(path: Path) -> Damage | None:
    """The damage noted for this very file, if any (a note left by a file since replaced is removed)."""
    note = note_of(path)
    try:
        data = json.loads(note.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return Damage("", "a note of earlier damage lies beside it")
    try:
        inode = path.stat().st_ino
    except OSError:
        return None
    if data.get("inode") != inode:
        with contextlib.suppress(OSError):
            note.unlink()
        return None
    return Damage(str(data.get("found", "")), str(data.get("what", "")) or "damage was found")


def remember(path: Path, what: str) -> None:
    """Leave a note that ``path`` is damaged (best effort: a folder that cannot be written
    keeps no note, and the damage is met again instead)."""
    try:
        inode = path.stat().st_ino
        text = json.dumps({"inode": inode, "found": f"{clock.local_now():%Y-%m-%d %H:%M}", "what": what[:300]})
        replace_private(note_of(path), text + "\n", mode_of(path) & 0o666)
    except (OSError, StorageError):
        pass


def forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        note_of(path).unlink()


@dataclass
class Report:
    """What ``okrate check`` found in a SQLite file."""

    path: Path
    problems: list[str] = field(default_factory=list)
    schema_version: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        first = self.problems[0] if self.problems else ""
        more = f" and {len(self.problems) - 1} more" if len(self.problems) > 1 else ""
        return f"{first}{more}"

    def backups(self) -> list[Path]:
        """Copies beside the file that a restore could start from, newest first."""
        found = [
            *self.path.parent.glob(f"{self.path.name}.v*.bak"),
            *self.path.parent.glob(f"{self.path.name}.recovered-*"),
        ]
        return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)

    def lines(self, *, remote: bool = False) -> list[str]:
        """The report, as printed by ``okrate check``."""
        if self.ok:
            return [f"integrity: ok · schema version {self.schema_version}"]
        count = len(self.problems)
        shown = [f"  {p}" for p in self.problems[:SHOWN]]
        if count > SHOWN:
            shown.append(f"  … and {count - SHOWN} more")
        head = f"integrity: DAMAGED · {count} problem{'s' if count != 1 else ''} in {self.path}:"
        if remote:
            return [
                f"integrity: DAMAGED · the server's database has {count} problem{'s' if count != 1 else ''}:",
                *shown,
                "Nothing is written into it until it is repaired: tell the server's operator, who runs "
                "`okrate check` on the server for what to do.",
            ]
        name = self.path.name
        salvage = self.path.with_name(f"{self.path.stem}-salvaged{self.path.suffix or '.db'}")
        backups = self.backups()
        have = f" (beside it: {', '.join(p.name for p in backups[:3])})" if backups else ""
        return [
            head,
            *shown,
            "What to do:",
            "  1. Okrate writes nothing into it from now on; close the sessions that have it open.",
            f"  2. Restore your newest backup over it{have}: cp BACKUP {self.path}",
            f"     then remove {name}-wal and {name}-shm if they are there, and run `okrate check` again.",
            f"  3. Or save what is still readable into a new file: sqlite3 {self.path} .recover | sqlite3 {salvage}",
            f"     then `okrate --db {salvage} check`; use it in place of {name} once it checks ok.",
        ]


def examine(path: Path) -> Report:
    """Run SQLite's integrity check on the file as every session sees it (its write-ahead
    log included), and note the verdict beside it."""
    report = Report(path)
    connection = None
    try:
        connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=rw", uri=True, timeout=10)
        try:
            rows = connection.execute("PRAGMA integrity_check(100)").fetchall()
            report.problems = [str(row[0]) for row in rows if row and row[0] != "ok"]
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise
            report.problems = [f"SQLite cannot read it whole: {_line(exc)}", *_tables_hit(connection)]
        with contextlib.suppress(sqlite3.Error):
            found = connection.execute("SELECT value FROM okrate_meta WHERE key = 'schema_version'").fetchone()
            report.schema_version = int(found[0]) if found else None
    except sqlite3.DatabaseError as exc:
        text = _line(exc)
        lowered = text.lower()
        if "not a database" in lowered:
            report.problems = [f"SQLite cannot read it: {text} (it is no SQLite file, or its first page is damaged)"]
        elif "malformed" in lowered or "corrupt" in lowered:
            report.problems = [f"SQLite cannot read it: {text}"]
        else:
            from okrate_tui.core.faults import explain

            raise StorageError(explain(exc, str(path), path)) from None
    finally:
        if connection is not None:
            connection.close()
    if report.ok:
        forget(path)
    else:
        remember(path, report.summary())
    return report


def _line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _tables_hit(connection: sqlite3.Connection) -> list[str]:
    """Which tables the damage is in, when SQLite's whole check stops at the first."""
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    except sqlite3.DatabaseError:
        return ["its list of tables cannot be read either"]
    hit = []
    for name in names:
        try:
            rows = connection.execute(f'PRAGMA integrity_check("{name}")').fetchall()
        except sqlite3.DatabaseError as exc:
            hit.append(f"table {name}: {_line(exc)}")
            continue
        hit += [f"table {name}: {row[0]}" for row in rows[:3] if row and row[0] != "ok"]
    return hit
