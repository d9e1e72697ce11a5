"""``okrate info``: where things are and how this command would run."""

from __future__ import annotations

import argparse
from typing import Any

from okrate_tui import __version__
from okrate_tui.cli.context import Context
from okrate_tui.cli.output import emit_json
from okrate_tui.core.errors import OkrateError


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "info",
        help="where the database, settings, backups and data are; backend, schema, mode, acting person",
    )
    parser.add_argument("--json", action="store_true", help="the same as one JSON object")
    parser.set_defaults(func=cmd_info)


def gather(ctx: Context) -> dict[str, Any]:
    """The facts ``okrate info`` shows. The database is read, never created or upgraded."""
    from okrate_tui.core.db import data_dir, resolve
    from okrate_tui.core.migrate import stored_version
    from okrate_tui.core.migrations import MIGRATIONS
    from okrate_tui.ui.config import config_path

    target = resolve(ctx.url)
    facts: dict[str, Any] = {
        "version": __version__,
        "database": str(target.path.absolute()) if target.kind == "sqlite" and target.path else target.describe(),
        "backend": target.kind,
        "config_file": str(config_path()),
        "backups": _backups(ctx, target),
        "data_folder": str(data_dir()),
        "schema_version": None,
        "schema_latest": MIGRATIONS[-1].version,
        "mode": "server" if ctx.over_ssh or ctx.is_operator else "local",
        "identity": None,
        "acting": None,
        "problem": None,
    }
    if ctx.over_ssh:  # the server's own paths are not the person's business
        for key in ("database", "config_file", "backups", "data_folder"):
            facts[key] = None
    try:
        database = ctx.db(upgrade=False)
        facts["schema_version"] = stored_version(database)
        identity = ctx.identity()
        facts["identity"] = identity.mode.value
        person = identity.resolve()
        facts["acting"] = person.handle if person else None
    except OkrateError as exc:
        facts["problem"] = str(exc)
    return facts


def _backups(ctx: Context, target: Any) -> str | None:
    """Where backups land: a team server's folder, else beside a SQLite file (migrations
    copy it there first); a local PostgreSQL database has none of its own."""
    if ctx.server is not None and (ctx.over_ssh or ctx.is_operator):
        return str(ctx.server.backups)
    if target.kind == "sqlite":
        return str(target.path.absolute().parent)
    return None


def cmd_info(ctx: Context, args: argparse.Namespace) -> int:
    facts = gather(ctx)
    if args.json:
        emit_json(facts)
        return 0
    schema = facts["schema_version"]
    if schema is None:
        schema_text = f"— (this version writes {facts['schema_latest']})"
    elif schema < facts["schema_latest"]:
        schema_text = f"{schema}, older than this version's {facts['schema_latest']}: okrate migrate upgrades it"
    else:
        schema_text = str(schema)
    acting = f"@{facts['acting']}" if facts["acting"] else "nobody yet"
    if facts["identity"]:
        acting += f" ({facts['identity']} database)"
    rows = [
        ("okrate", facts["version"]),
        ("database", facts["database"]),
        ("backend", facts["backend"]),
        ("schema", schema_text),
        ("mode", facts["mode"]),
        ("acting", acting),
        ("config", facts["config_file"]),
        ("backups", facts["backups"]),
        ("data", facts["data_folder"]),
    ]
    for name, value in rows:
        print(f"{name:<9} {value if value is not None else '—'}")
    if facts["problem"]:
        print(f"note      {facts['problem']}")
    return 0
