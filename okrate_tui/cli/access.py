"""``okrate keys``, ``okrate audit`` and ``okrate whoami``: who may come in, who did,
and who this command acts as."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.output import emit_json, table
from okrate_tui.cli.tasks import _id
from okrate_tui.core import server
from okrate_tui.core.errors import StorageError
from okrate_tui.core.services import access_log
from okrate_tui.core.services import keys as service
from okrate_tui.core.services.people import find_person


def register(commands: argparse._SubParsersAction) -> None:
    keys = commands.add_parser("keys", help="SSH keys of a team server: add, list, revoke (admins)")
    sub = keys.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add",
        help="register a person's public key",
        description="Register a person's public key. Example: ssh okrate@host keys add kim - < kim.pub",
    )
    add.add_argument("handle")
    add.add_argument("keyfile", nargs="?", default="-", help="a .pub file, or - for standard input (the default)")
    add.set_defaults(func=cmd_add)
    lst = sub.add_parser("list", help="registered keys (admins see all, others their own)")
    lst.add_argument("--revoked", action="store_true", help="include revoked keys")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_list)
    revoke = sub.add_parser("revoke", help="stop a key from opening the server")
    revoke.add_argument("id", type=_id)
    revoke.set_defaults(func=cmd_revoke)

    audit = commands.add_parser("audit", help="the server's access log: who connected, when, from where (admins)")
    audit.add_argument("--person", help="one person's connections (handle)")
    audit.add_argument("--limit", type=_id, default=50)
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(func=cmd_audit)

    who = commands.add_parser("whoami", help="who this command acts as, on which database, and why")
    who.add_argument("--json", action="store_true")
    who.set_defaults(func=cmd_whoami)


def _read_key(source: str, ctx: Context | None = None) -> str:
    if source != "-" and ctx is not None:
        ctx.local_file("a key file")
    if source == "-":
        if sys.stdin.isatty():
            raise UsageError("paste nothing here: give a .pub file, or pipe the key in (keys add kim - < kim.pub)")
        return sys.stdin.read(64 * 1024)
    path = Path(source).expanduser()
    try:
        return path.read_text(encoding="utf-8", errors="replace")[: 64 * 1024]
    except FileNotFoundError:
        raise StorageError(f"there is no file {path}") from None
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from None


def _server(ctx: Context) -> server.ServerConfig:
    if ctx.server is None:
        raise UsageError("keys belong to a team server; set one up first (okrate server init)")
    return ctx.server


def sync_keys(config: server.ServerConfig) -> bool:
    """Write ``authorized_keys`` from the keys that may open the server now."""
    return server.write_authorized_keys(config, server.authorized_keys_text(config, service.active_keys()))


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    config = _server(ctx)
    ctx.db()
    key = service.add_key(ctx.actor(), args.handle, _read_key(args.keyfile, ctx))
    sync_keys(config)
    print(f"added key {key.id} for @{find_person(args.handle).handle}: {key.algorithm} {key.fingerprint}")
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    rows = service.list_keys(ctx.actor(), revoked=args.revoked)
    if args.json:
        emit_json([r.as_dict() for r in rows])
        return 0
    table(
        [
            (
                r.id,
                f"@{r.handle}",
                r.algorithm,
                r.fingerprint,
                r.comment,
                f"{r.created_at:%Y-%m-%d}",
                "yes" if r.active else (f"revoked {r.revoked_at:%Y-%m-%d}" if r.revoked_at else "person inactive"),
            )
            for r in rows
        ],
        ("id", "person", "type", "fingerprint", "comment", "added", "usable"),
    )
    return 0


def cmd_revoke(ctx: Context, args: argparse.Namespace) -> int:
    config = _server(ctx)
    ctx.db()
    key = service.revoke_key(ctx.actor(), args.id)
    sync_keys(config)
    print(
        f"revoked key {key.id} ({key.fingerprint}): it opens nothing from now on, "
        "and the sessions it opened end within seconds"
    )
    return 0


def cmd_audit(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    person = find_person(args.person) if args.person else None
    rows = access_log.entries(ctx.actor(), limit=args.limit, person=person)
    if args.json:
        emit_json([r.as_dict() for r in rows])
        return 0
    table(
        [
            (
                f"{r.at:%Y-%m-%d %H:%M:%S}",
                f"@{r.handle}" if r.handle else None,
                r.key_id,
                r.remote,
                r.what,
                r.outcome or ("ok" if r.seconds is not None else "open"),
                f"{r.seconds:.0f} s" if r.seconds is not None else None,
            )
            for r in rows
        ],
        ("at", "person", "key", "from", "what", "outcome", "lasted"),
    )
    return 0


def cmd_whoami(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    identity = ctx.identity()
    person = identity.resolve()
    how = {
        "server": "proven by your SSH key",
        "shared": "your login name, on a shared database",
        "personal": "named with --as/OKRATE_AS" if ctx.as_handle else "your login name, on your own database",
    }[identity.mode.value]
    from okrate_tui.core.db import resolve

    info = {
        "handle": person.handle if person else None,
        "name": person.name if person else None,
        "role": person.role if person else None,
        "mode": identity.mode.value,
        "how": how,
        # over SSH the server's files are not the person's to know (as in okrate info)
        "database": None if ctx.over_ssh else resolve(ctx.url).describe(),
    }
    if args.json:
        emit_json(info)
    else:
        where = "on this team server" if ctx.over_ssh else f"database {info['database']}"
        if person is None:
            print(f"nobody yet ({how}); {where}")
        else:
            print(f"@{person.handle} ({person.name}, {person.role}): {how}; {where}")
    return 0
