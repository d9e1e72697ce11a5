"""``okrate import`` of task lists: Taskwarrior exports, CSV files from other tools,
and Okrate's own task CSV read back (rows with an id update their task)."""

from __future__ import annotations

import argparse
import sys

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.output import counted
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.imports import csv_map, okrate_csv, taskwarrior
from okrate_tui.core.imports.plan import ImportRefused, Outcome, Plan
from okrate_tui.core.imports.values import DATE_ORDERS, People
from okrate_tui.core.models import Person
from okrate_tui.core.services.imports import apply_plan

SOURCES = ("okrate", "taskwarrior", "csv")
TASK_ONLY = ("map", "goal", "project", "create_goals", "parent", "owner", "status", "date_order", "dry_run")


def add_options(imp: argparse.ArgumentParser) -> None:
    """The options of task imports."""
    imp.add_argument(
        "--from",
        dest="source",
        choices=SOURCES,
        help="what the file is (default: guessed: a JSON array is Taskwarrior's, a CSV with "
        "title and goal_id columns Okrate's, any other CSV goes through --map)",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would be added, updated and skipped; write nothing"
    )
    imp.add_argument("--goal", metavar="GOAL", help="goal (id or title) of tasks that name none")
    imp.add_argument(
        "--owner", metavar="WHO", help="owner of tasks that name none (default: you for Taskwarrior, nobody for CSV)"
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN,…",
        help=f"CSV: the column of each field ({', '.join(csv_map.FIELDS)}); "
        "well-known names (Summary, Assignee, Due date, …) are found without it",
    )
    imp.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="NAME=STATUS",
        help="CSV: put a status name in a column (todo, doing, blocked, done) or skip its rows",
    )
    imp.add_argument(
        "--date-order",
        choices=DATE_ORDERS,
        help="CSV: read 03/04/2026 day first (dmy) or month first (mdy); unset, such dates are refused",
    )
    imp.add_argument(
        "--project",
        action="append",
        default=[],
        metavar="NAME=GOAL",
        help="Taskwarrior: the goal (id or title) of a project and its sub-projects",
    )
    imp.add_argument(
        "--create-goals", action="store_true", help="Taskwarrior: make a goal of yours for each unmapped project"
    )
    imp.add_argument("--parent", metavar="GOAL", help="with --create-goals: make them under this goal")


def kind_of(text: str, source: str | None, has_map: bool) -> str:
    """ "json" (a whole export), "taskwarrior", "okrate-csv" or "csv"."""
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if source == "taskwarrior" or (source is None and start == "["):
        return "taskwarrior"
    if source in (None, "okrate") and start == "{":
        return "json"
    if source == "csv" or has_map:
        return "csv"
    return "okrate-csv" if okrate_csv.is_okrate_csv(text) or source == "okrate" else "csv"


def is_task_import(args: argparse.Namespace) -> bool:
    return any(getattr(args, name) not in (None, False, []) for name in TASK_ONLY)


def _projects(specs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for spec in specs:
        name, sep, goal = spec.partition("=")
        if not sep or not name.strip() or not goal.strip():
            raise UsageError(f"--project '{spec}' is not NAME=GOAL")
        out[name.strip()] = goal.strip()
    return out


def _owner(actor: Person, value: str | None, default_me: bool) -> int | None:
    if value is None:
        return actor.id if default_me else None
    if value.strip().lower() == "me":
        return actor.id
    try:
        return People().find(value)
    except ValueError as exc:
        raise ValidationError.single("--owner", str(exc)) from None


def plan_for(kind: str, text: str, args: argparse.Namespace, actor: Person) -> Plan:
    if kind != "taskwarrior" and (args.project or args.create_goals or args.parent):
        raise UsageError("--project, --create-goals and --parent are for Taskwarrior files")
    if kind != "csv" and (args.map or args.status or args.date_order):
        raise UsageError("--map, --status and --date-order are for CSV files from other tools")
    if kind == "taskwarrior":
        if args.parent and not args.create_goals:
            raise UsageError("--parent places the goals --create-goals makes: pass both")
        return taskwarrior.read(
            text,
            projects=_projects(args.project),
            goal=args.goal,
            create_goals=args.create_goals,
            parent=args.parent,
            owner=_owner(actor, args.owner, default_me=True),
        )
    if kind == "okrate-csv":
        if args.owner:
            raise UsageError("--owner is for Taskwarrior and other tools' CSV files; an Okrate CSV has owners")
        return okrate_csv.read(text, goal=args.goal)
    return csv_map.read(
        text,
        csv_map.parse_mapping(args.map),
        goal=args.goal,
        statuses=csv_map.parse_statuses(args.status),
        date_order=args.date_order,
        owner=_owner(actor, args.owner, default_me=False),
    )


def import_tasks(ctx: Context, kind: str, text: str, args: argparse.Namespace) -> int:
    ctx.db()
    actor = ctx.actor()
    plan = plan_for(kind, text, args, actor)
    try:
        outcome = apply_plan(actor, plan, dry_run=args.dry_run)
    except ImportRefused as exc:
        print(f"okrate: {exc}:", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    report(plan, outcome)
    return 0


def _summary(outcome: Outcome) -> str:
    dry = outcome.dry_run
    parts = [
        f"{outcome.count('add')} to add" if dry else f"{counted(outcome.count('add'), 'task')} added",
        f"{outcome.count('update')} to update" if dry else f"{outcome.count('update')} updated",
    ]
    if outcome.count("unchanged"):
        parts.append(f"{outcome.count('unchanged')} unchanged")
    parts.append(f"{outcome.count('skip')} skipped")
    goals = outcome.count("goal")
    if goals:
        parts.append(f"{counted(goals, 'goal')} to create" if dry else f"{counted(goals, 'goal')} created")
    return ", ".join(parts)


def report(plan: Plan, outcome: Outcome) -> None:
    """A dry run lists every row that would change or be skipped; an import says what
    it did, the goals it made and the rows it skipped."""
    head = f"dry run of an import from {plan.source} (nothing written)" if outcome.dry_run else "imported"
    if not outcome.dry_run:
        head += f" from {plan.source}"
    print(f"{head}: {_summary(outcome)}")
    for note in plan.notes:
        print(f"  {note}")
    for step in sorted(outcome.steps, key=lambda s: (s.row, s.action != "goal")):
        if step.action == "unchanged" or (not outcome.dry_run and step.action in ("add", "update")):
            continue
        detail = step.detail
        if step.action == "add":
            detail = f"new task {detail}" if outcome.dry_run else f"task {step.ident} {detail}"
        elif step.action == "goal":
            detail = f"new goal {detail}" if outcome.dry_run else f"goal {step.ident} {detail}"
        print(f"  row {step.row:<4} {step.action:<9} {detail}")
