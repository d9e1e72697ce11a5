"""``okrate sessions``: who is connected to a team server, since when and from where, and
``okrate sessions end`` to end a session (admins, or the server's operator)."""

from __future__ import annotations

import argparse

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.output import counted, emit_json, table
from okrate_tui.cli.tasks import _id
from okrate_tui.core.models import Person
from okrate_tui.core.services import sessions as service
from okrate_tui.core.services.people import find_person

ENDS_WITHIN = "it tells its person why and closes within a few seconds"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sessions",
        help="open sessions of a team server: who, since when, from where; end one (admins)",
        description="The sessions open on a team server (the app, and commands still running), oldest first.\n"
        "Ending one tells its person why and closes it within seconds, on whichever server it runs;\n"
        "revoking a key or making a person inactive ends their sessions too. Admins only.\n\n"
        "examples:\n"
        "  ssh okrate@server sessions                   who is connected, since when, from where\n"
        "  ssh okrate@server sessions end 12            end session 12\n"
        "  ssh okrate@server sessions end --person kim  end all of kim's sessions",
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=cmd_list)
    sub = parser.add_subparsers(dest="action", metavar="[ACTION]")
    listing = sub.add_parser("list", help="the open sessions (the default)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)
    end = sub.add_parser(
        "end",
        help="end sessions by id, or every session of one person",
        description="End sessions: okrate sessions end 12 (ids from okrate sessions), or all of one "
        "person's: okrate sessions end --person kim",
    )
    end.add_argument("ids", nargs="*", type=_id, metavar="ID")
    end.add_argument("--person", metavar="HANDLE", help="every session of this person")
    end.set_defaults(func=cmd_end)


def _actor(ctx: Context) -> Person | None:
    """An admin over SSH (or locally), or None for the server's operator on its own machine."""
    ctx.db()
    return None if ctx.is_operator else ctx.actor()


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    rows = service.list_sessions(_actor(ctx))
    if args.json:
        emit_json([r.as_dict() for r in rows])
        return 0
    table(
        [
            (
                r.id,
                f"@{r.handle}",
                f"{r.started_at:%Y-%m-%d %H:%M:%S}",
                r.remote or "—",
                r.what,
                r.server,
                f"ending: {r.ending}" if r.ending else ("open (this one)" if r.this else "open"),
            )
            for r in rows
        ],
        ("id", "person", "since", "from", "what", "server", "state"),
    )
    return 0


def cmd_end(ctx: Context, args: argparse.Namespace) -> int:
    if not args.ids and not args.person:
        raise UsageError("name the sessions to end: their ids (okrate sessions lists them) or --person HANDLE")
    actor = _actor(ctx)
    for ident in args.ids:
        row = service.end_session(actor, ident)
        where = row.remote or "this machine"
        print(f"ended session {row.id} of @{row.handle} ({row.what} from {where}); {ENDS_WITHIN}")
    if args.person:
        person = find_person(args.person)
        count = service.end_sessions_of(actor, person.id)
        print(f"ended {counted(count, 'session')} of @{person.handle}" + (f"; {ENDS_WITHIN}" if count else ""))
    return 0
