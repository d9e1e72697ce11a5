"""Organisation and database commands: demo, people, teams, cycles, export, import,
backup, migrate and check."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from okrate_tui import demo
from okrate_tui.cli import imports
from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.output import counted, emit_json, json_text, table
from okrate_tui.cli.reports import register_close
from okrate_tui.cli.tasks import DATE_OPTION, _id
from okrate_tui.core import clock, exchange, integrity, migrate
from okrate_tui.core.db import demo_path, resolve
from okrate_tui.core.errors import DamagedDatabase, StorageError
from okrate_tui.core.files import mode_of, private_dir
from okrate_tui.core.imports.reading import json_document
from okrate_tui.core.migrations import SCHEMA_VERSION
from okrate_tui.core.models import Cycle, Person, Team
from okrate_tui.core.services import cycles, people
from okrate_tui.core.vocab import CYCLE_STATE_PHRASES


def register(commands: argparse._SubParsersAction) -> None:
    d = commands.add_parser("demo", help="fill an empty database with the demo organisation")
    d.add_argument("--tasks", type=_id, help="scale to about N tasks (N/10 goals, N/500 people)")
    d.add_argument("--reset", action="store_true", help="start the demo file afresh")
    d.set_defaults(func=cmd_demo)

    person = commands.add_parser("person", help="add and list people")
    ps = person.add_subparsers(dest="action", metavar="ACTION", required=True)
    padd = ps.add_parser("add", help="add a person (the first one becomes an admin)")
    padd.add_argument("handle")
    padd.add_argument("name")
    padd.add_argument("--role", default="member", help="member, manager or admin")
    padd.add_argument("--manager", help="handle of their manager")
    padd.add_argument("--team", help="team name")
    padd.set_defaults(func=cmd_person_add)
    pedit = ps.add_parser("edit", help="change a person's name, role, team or manager, or deactivate them")
    pedit.add_argument("handle")
    pedit.add_argument("--name")
    pedit.add_argument("--role", help="member, manager or admin (only an admin grants admin)")
    pedit.add_argument("--manager", help="handle of their manager, or '' for none")
    pedit.add_argument("--team", help="team name, or '' for none")
    pedit.add_argument(
        "--active",
        choices=("yes", "no"),
        help="no: they left; they can no longer act, and their keys open nothing",
    )
    pedit.set_defaults(func=cmd_person_edit)
    plist = ps.add_parser("list", help="everyone, with role, team and manager")
    plist.add_argument("--json", action="store_true")
    plist.set_defaults(func=cmd_person_list)

    team = commands.add_parser("team", help="add, rename and list teams")
    ts = team.add_subparsers(dest="action", metavar="ACTION", required=True)
    tadd = ts.add_parser("add", help="add a team")
    tadd.add_argument("name")
    tadd.set_defaults(func=cmd_team_add)
    tren = ts.add_parser("rename", help="give a team a new name")
    tren.add_argument("team", help="its name or id")
    tren.add_argument("name", help="the new name")
    tren.set_defaults(func=cmd_team_rename)
    tlist = ts.add_parser("list", help="every team")
    tlist.add_argument("--json", action="store_true")
    tlist.set_defaults(func=cmd_team_list)

    cycle = commands.add_parser("cycle", help="add, list and advance cycles")
    cs = cycle.add_subparsers(dest="action", metavar="ACTION", required=True)
    cadd = cs.add_parser("add", help="add a cycle")
    cadd.add_argument("name")
    cadd.add_argument("starts", help=DATE_OPTION)
    cadd.add_argument("ends", help=DATE_OPTION)
    cadd.add_argument("--state", default="planning")
    cadd.set_defaults(func=cmd_cycle_add)
    clist = cs.add_parser("list", help="every cycle")
    clist.add_argument("--json", action="store_true")
    clist.set_defaults(func=cmd_cycle_list)
    cadv = cs.add_parser("advance", help="planning → active → review (then close it)")
    cadv.add_argument("cycle", help="name or id")
    cadv.set_defaults(func=cmd_cycle_advance)
    register_close(cs)

    exp = commands.add_parser(
        "export", help="write the organisation as JSON, tasks as CSV, or your own deadlines as a calendar (ICS)"
    )
    exp.add_argument(
        "--format",
        choices=("json", "csv", "ics"),
        default="json",
        help="json or csv: an admin's whole-organisation copy; ics: your own calendar (anyone)",
    )
    exp.add_argument("--out", help="file to write (default: standard output)")
    exp.set_defaults(func=cmd_export)

    imp = commands.add_parser(
        "import",
        help="load a JSON export (empty database), or tasks from a CSV or Taskwarrior",
        description="A whole-organisation JSON export loads into an empty database. Task lists (Okrate's CSV, "
        "Taskwarrior's `task export`, CSV from other tools) load into this one: every row or none.",
    )
    imp.add_argument("file", help="the file to read")
    imports.add_options(imp)
    imp.set_defaults(func=cmd_import)

    backup = commands.add_parser("backup", help="copy the database to a new file (an admin's, or a server operator's)")
    backup.add_argument("dest", nargs="?", help="a new file (on a team server: default a dated file in ~/backups)")
    backup.set_defaults(func=cmd_backup)

    mig = commands.add_parser("migrate", help="upgrade the database schema (with a backup)")
    mig.set_defaults(func=cmd_migrate)

    chk = commands.add_parser("check", help="check the database's integrity")
    chk.set_defaults(func=cmd_check)


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    if ctx.url is None:
        ctx.url = str(demo_path())
        private_dir(demo_path().parent)
        if args.reset:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{ctx.url}{suffix}").unlink(missing_ok=True)
    elif args.reset:
        raise UsageError("demo --reset only starts the demo file afresh; drop --db to use it")
    ctx.db(create=True)
    summary = demo.generate(args.tasks)
    counts = summary.counts
    print(
        f"demo organisation in {resolve(ctx.url).describe()}: {counts['person']} people, "
        f"{counts['team']} teams, {counts['goal']} goals, {counts['key_result']} key results, "
        f"{counts['task']} tasks ({summary.seconds:.1f} s)"
    )
    return 0


def cmd_person_add(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    first = not Person.select().exists()
    actor = None if first else ctx.actor()
    person = people.create_person(actor, args.handle, args.name, role=args.role, manager=args.manager, team=args.team)
    print(f"added @{person.handle} ({person.role})")
    return 0


def cmd_person_edit(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    person = people.find_person(args.handle)
    changes: dict = {name: getattr(args, name) for name in ("name", "role") if getattr(args, name) is not None}
    for name in ("manager", "team"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value.strip() or None
    if not changes and args.active is None:
        raise UsageError("nothing to change: give --name, --role, --manager, --team or --active")
    released = 0
    if args.active is not None:
        person, released = people.set_active(ctx.actor(), person.id, None, args.active == "yes", **changes)
    else:
        person = people.edit_person(ctx.actor(), person.id, None, **changes)
    state = "" if person.active else ", inactive"
    print(f"@{person.handle}: {person.name} ({person.role}{state})")
    if released:
        print(f"{released} open task{'s' if released != 1 else ''} released: they have no owner now")
    if ctx.server is not None:
        from okrate_tui.cli.access import sync_keys

        sync_keys(ctx.server)
    return 0


def cmd_person_list(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    rows = []
    for p in Person.select().order_by(Person.handle):
        manager = Person.get_or_none(Person.id == p.manager_id) if p.manager_id else None
        team = Team.get_or_none(Team.id == p.team_id) if p.team_id else None
        rows.append(
            {
                "id": p.id,
                "handle": p.handle,
                "name": p.name,
                "role": p.role,
                "team": team.name if team else None,
                "manager": manager.handle if manager else None,
                "active": p.active,
            }
        )
    if args.json:
        emit_json(rows)
    else:
        table([list(r.values()) for r in rows], list(rows[0]) if rows else ["handle"])
    return 0


def cmd_team_add(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    team = people.create_team(ctx.actor(), args.name)
    print(f"added team {team.id}: {team.name}")
    return 0


def cmd_team_rename(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    team = people.find_team(args.team)
    old = team.name
    team = people.rename_team(ctx.actor(), team.id, None, args.name)
    print(f"renamed team {team.id}: {old} → {team.name}")
    return 0


def cmd_team_list(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    rows = [{"id": t.id, "name": t.name} for t in Team.select().order_by(Team.name)]
    if args.json:
        emit_json(rows)
    else:
        table([list(r.values()) for r in rows], ("id", "name"))
    return 0


def cmd_cycle_add(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    cycle = cycles.create_cycle(ctx.actor(), args.name, args.starts, args.ends, state=args.state)
    print(f"added cycle {cycle.id}: {cycle.name} ({cycle.state})")
    return 0


def cmd_cycle_list(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    rows = [
        {
            "id": c.id,
            "name": c.name,
            "state": c.state,
            "starts": c.starts.isoformat(),
            "ends": c.ends.isoformat(),
        }
        for c in Cycle.select().order_by(Cycle.starts)
    ]
    if args.json:
        emit_json(rows)
    else:
        table([list(r.values()) for r in rows], ("id", "name", "state", "starts", "ends"))
    return 0


def cmd_cycle_advance(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    cycle = cycles.find_cycle(args.cycle)
    cycle = cycles.advance_cycle(ctx.actor(), cycle.id, None)
    print(f"{cycle.name} is now {CYCLE_STATE_PHRASES[cycle.state]}")
    return 0


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    actor = ctx.actor()
    if args.format == "ics":
        from okrate_tui.cli.ics import render
        from okrate_tui.core.queries.calendar import calendar_entries

        text = render(calendar_entries(actor, clock.today()), actor.handle)
    elif args.format == "csv":
        text = exchange.tasks_csv(actor)
    else:
        text = json_text(exchange.export_data(actor), indent=1) + "\n"
    ctx.write_out(text, args.out)
    if args.out:
        print(f"wrote {args.out} (readable by you only)", file=sys.stderr)
    return 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StorageError(f"there is no file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"cannot read {path}: {exc}") from None
    kind = imports.kind_of(text, args.source, bool(args.map))
    if kind != "json":
        return imports.import_tasks(ctx, kind, text, args)
    if imports.is_task_import(args):
        raise UsageError("a whole-organisation export takes no task import options")
    rows = exchange.prepare_import(json_document(text))  # checked before a database is made for it
    ctx.db(create=True)  # a JSON export may start a new database
    counts = exchange.write_import(rows)
    print("imported " + ", ".join(counted(n, name) for name, n in counts.items() if n))
    return 0


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    database = ctx.db()
    operator = ctx.is_operator
    if args.dest is None:
        if not operator or ctx.server is None:
            raise UsageError("name the new file: okrate backup DEST")
        suffix = ".db" if getattr(database, "sqlite_path", None) else ".json"
        dest = ctx.server.backups / f"okrate-{clock.now():%Y%m%d-%H%M%S}{suffix}"
    else:
        dest = Path(args.dest).expanduser()
    exchange.backup(None if operator else ctx.actor(), database, dest)
    print(f"backed up to {dest} ({mode_of(dest):04o})")
    return 0


def cmd_migrate(ctx: Context, args: argparse.Namespace) -> int:
    database = ctx.db(upgrade=False)
    result = migrate.upgrade(database, getattr(database, "sqlite_path", None))
    if result.old == result.new:
        print(f"schema is up to date (version {SCHEMA_VERSION})")
    else:
        saved = f"; backup in {result.backup}" if result.backup else ""
        print(f"schema upgraded from version {result.old} to {result.new}{saved}")
    return 0


DAMAGED = 3  # `okrate check` found damage (documented in the README)


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    target = resolve(ctx.url)
    if target.kind != "sqlite" or target.path is None:
        database = ctx.db(upgrade=False)
        print(f"connected · schema version {migrate.stored_version(database)}")
        return 0
    with contextlib.suppress(DamagedDatabase):  # what is wrong is examined below
        ctx.db(upgrade=False)  # missing, empty or refused: said as for every command
    report = integrity.examine(target.path)
    for line in report.lines(remote=ctx.over_ssh):
        print(line)
    return 0 if report.ok else DAMAGED
