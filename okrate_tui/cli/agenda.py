"""``okrate agenda``: what is waiting on you, for a morning look or a cron mail."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from okrate_tui.cli.context import Context
from okrate_tui.cli.output import emit_json
from okrate_tui.core import clock
from okrate_tui.core.grammar import SPAN_FORMS, parse_until
from okrate_tui.core.queries.agenda import Agenda, agenda
from okrate_tui.core.validation import Checker
from okrate_tui.core.wording import day_month, plural

DEFAULT_WITHIN = "3d"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "agenda",
        help="your overdue and soon-due tasks, quiet key results, reviews to write and one-on-ones",
        description="What is waiting on you. Key results count as quiet after stale_check_in_days "
        "(config file, default 14) without a check-in.",
    )
    parser.add_argument(
        "--within",
        default=DEFAULT_WITHIN,
        metavar="SPAN",
        help=f"list tasks due up to this far ahead (default {DEFAULT_WITHIN}): {SPAN_FORMS}",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object (fields in the README)")
    parser.set_defaults(func=cmd_agenda)


def cmd_agenda(ctx: Context, args: argparse.Namespace) -> int:
    from okrate_tui.ui.config import stale_check_in_days

    today = clock.today()
    check = Checker()
    until = check("within", parse_until, args.within, today)
    check.done()
    stale, problems = stale_check_in_days()
    for problem in problems:
        print(f"okrate: {problem}", file=sys.stderr)
    ctx.db()
    found = agenda(ctx.actor(), today, until, stale)
    if args.json:
        emit_json(found.as_dict())
    else:
        print_agenda(found)
    return 0


def _table(lines: Sequence[tuple[str, ...]]) -> None:
    """Indented lines, each column padded to the widest (the last one as it is)."""
    if not lines:
        return
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]) - 1)]
    for line in lines:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)] + [line[-1]]
        print("  " + "  ".join(cells).rstrip())


def print_agenda(found: Agenda) -> None:
    today = found.today
    window = "today" if found.until == today else f"up to {found.until:%a} {day_month(found.until, today)}"
    print(f"Agenda for @{found.person} · {today:%A} {day_month(today, today)} {today.year} · due {window}")
    if found.empty:
        print("\nNothing is waiting on you.")
        return
    sections: list[tuple[str, Sequence[tuple[str, ...]]]] = [
        ("Overdue", [(f"#{t.id}", t.when, t.title, f"({t.goal})") for t in found.overdue]),
        ("Due soon", [(f"#{t.id}", t.when, t.title, f"({t.goal})") for t in found.due]),
        (
            f"Key results without a check-in for {plural(found.stale_days, 'day')}",
            [(f"#{k.id}", k.when, k.title, f"({k.goal})") for k in found.key_results],
        ),
        (
            "Reviews to write",
            [
                (r.cycle, "your self review" if r.kind == "self" else f"manager review of @{r.reviewee}", r.state)
                for r in found.reviews
            ],
        ),
        (
            "One-on-ones",
            [
                (f"{m.date:%a} {day_month(m.date, today)}", m.when, f"with @{m.handle}")
                for m in found.one_on_ones
                if m.date
            ]
            + [(f"@{m.handle}", m.when, "none planned") for m in found.reports_to_meet],
        ),
    ]
    for title, lines in sections:
        if lines:
            print(f"\n{title}")
            _table(lines)
