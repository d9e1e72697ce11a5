"""``okrate report …`` and ``okrate cycle close``: review packets, one-on-one notes and
closing a cycle with carry-over."""

from __future__ import annotations

import argparse
import sys

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.output import ask, interactive, json_text
from okrate_tui.cli.tasks import DATE_OPTION
from okrate_tui.core import clock
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.permissions import authorize
from okrate_tui.core.queries.reviews import latest_meeting
from okrate_tui.core.reports import cycle_packet, one_on_one_markdown, packet_markdown
from okrate_tui.core.services.carry_over import close_cycle, close_preview
from okrate_tui.core.services.cycles import find_cycle, reopen_cycle
from okrate_tui.core.services.people import find_person
from okrate_tui.core.validation import parse_date
from okrate_tui.core.vocab import CYCLE_STATE_PHRASES


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="review packets and one-on-one notes")
    sub = report.add_subparsers(dest="action", metavar="ACTION", required=True)
    packet = sub.add_parser("cycle", help="a cycle's review packet: goals, key results, tasks done, reviews")
    packet.add_argument("cycle", help="cycle name or id")
    packet.add_argument("--person", help="one person's packet (handle)")
    packet.add_argument("--format", choices=("md", "json"), default="md")
    packet.add_argument("--out", help="file to write (default: standard output)")
    packet.set_defaults(func=cmd_packet)
    meeting = sub.add_parser("one-on-one", help="a one-on-one as Markdown notes")
    meeting.add_argument("--with", dest="other", required=True, help="the other person's handle")
    meeting.add_argument("--date", help=f"{DATE_OPTION} (default: the latest)")
    meeting.add_argument("--out", help="file to write (default: standard output)")
    meeting.set_defaults(func=cmd_one_on_one)


def register_close(cycle_commands: argparse._SubParsersAction) -> None:
    close = cycle_commands.add_parser("close", help="close a cycle in review, carrying unfinished work over")
    close.add_argument("cycle", help="name or id")
    close.add_argument(
        "--carry",
        choices=("copy", "move", "none"),
        default="copy",
        help="open tasks are copied into the next cycle (default: the closed cycle keeps its record), "
        "moved there, or nothing is carried",
    )
    deadlines = close.add_mutually_exclusive_group()
    deadlines.add_argument(
        "--move-deadlines",
        dest="move_deadlines",
        action="store_true",
        default=None,
        help="carried deadlines that would start the next cycle overdue move to the end of its first week "
        "(asked on a terminal when neither option is given; kept otherwise)",
    )
    deadlines.add_argument(
        "--keep-deadlines", dest="move_deadlines", action="store_false", help="carried tasks keep their deadlines"
    )
    close.add_argument("--yes", action="store_true", help="close it even before its end date, without asking")
    resets = close.add_mutually_exclusive_group()
    resets.add_argument(
        "--reset-progress",
        action="store_true",
        help="carried goals start the next cycle from 0 (their key results from their current values); "
        "by default they start where they stood",
    )
    resets.add_argument(
        "--reset",
        metavar="GOAL",
        type=int,
        action="append",
        default=[],
        help="reset this carried goal's progress only (its id; repeat for more)",
    )
    close.add_argument(
        "--dry-run",
        action="store_true",
        help="say what the close would do, and which goals' progress would change and by how much; change nothing",
    )
    close.set_defaults(func=cmd_close)
    reopen = cycle_commands.add_parser("reopen", help="take a cycle one step back (closed → review → active)")
    reopen.add_argument("cycle", help="name or id")
    reopen.set_defaults(func=cmd_reopen)


def cmd_packet(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    actor = ctx.actor()
    cycle = find_cycle(args.cycle)
    person = find_person(args.person) if args.person else None
    packet = cycle_packet(actor, cycle, clock.today(), person)
    text = json_text(packet) + "\n" if args.format == "json" else (packet_markdown(packet))
    ctx.write_out(text, args.out)
    return 0


def cmd_one_on_one(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    actor = ctx.actor()
    other = find_person(args.other)
    if other.id == actor.id:
        raise UsageError("--with names the other person: your manager or one of your reports")
    try:
        day = parse_date(args.date) if args.date else None
    except ValueError as exc:
        raise ValidationError.single("date", str(exc)) from None
    meeting = latest_meeting(actor, other.id, day)
    if meeting is None:
        raise UsageError(f"no one-on-one between @{actor.handle} and @{other.handle}" + (f" on {day}" if day else ""))
    ctx.write_out(one_on_one_markdown(actor, meeting, clock.today()), args.out)
    return 0


def cmd_reopen(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    cycle = reopen_cycle(ctx.actor(), find_cycle(args.cycle).id, None)
    print(f"{cycle.name} is now {CYCLE_STATE_PHRASES[cycle.state]}")
    return 0


def cmd_close(ctx: Context, args: argparse.Namespace) -> int:
    """Close a cycle; on a terminal, ask what the options left open (deadlines, an early
    close); a script says them (--move-deadlines/--keep-deadlines, --yes). A dry run asks
    nothing and changes nothing."""
    ctx.db()
    actor = ctx.actor()
    cycle = find_cycle(args.cycle)
    authorize(actor, "cycle.edit")
    early, move = args.yes, args.move_deadlines
    reset: bool | set[int] = True if args.reset_progress else set(args.reset)
    if args.dry_run:
        summary = close_cycle(
            actor, cycle.id, None, carry=args.carry, move_deadlines=bool(move), early=True, reset=reset, dry_run=True
        )
        print(summary.describe())
        early_note = close_preview(cycle.id, clock.today()).early if cycle.state == "review" else None
        if early_note:
            print(f"Before its end date the close needs --yes: {early_note}")
        return 0
    if cycle.state == "review":  # otherwise the close itself says why it cannot
        preview = close_preview(cycle.id, clock.today())
        if preview.early and not early:
            if not interactive():
                raise UsageError(f"{preview.early} Pass --yes to close it before its end date")
            if not ask(preview.early):
                print(f"{cycle.name} stays open: nothing was changed", file=sys.stderr)
                return 1
            early = True
        if move is None and args.carry != "none" and preview.stale_deadlines:
            move = ask(preview.deadline_question()) if interactive() else False
    summary = close_cycle(actor, cycle.id, None, carry=args.carry, move_deadlines=bool(move), early=early, reset=reset)
    print(summary.describe())
    return 0
