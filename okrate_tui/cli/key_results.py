"""``okrate kr …``: key results over their whole life, and their check-ins."""

from __future__ import annotations

import argparse

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.output import emit_json, num, percent, table
from okrate_tui.cli.tasks import _id
from okrate_tui.core.queries.details import KeyResultView
from okrate_tui.core.queries.key_results import CheckInEntry, check_in_history, key_result_info
from okrate_tui.core.services import key_results as service

DEFINING = ("title", "kind", "baseline", "target", "unit", "direction", "weight")


def register(commands: argparse._SubParsersAction) -> None:
    kr = commands.add_parser("kr", help="key results: add, check in, show, edit, archive, history, correct")
    sub = kr.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="add a key result to a goal")
    add.add_argument("goal", type=_id, help="the goal's id")
    add.add_argument("title", help="what is measured, e.g. 'Weekly active teams'")
    add.add_argument("--target", required=True, help="the value to reach (1 for binary)")
    add.add_argument("--baseline", default="0", help="the value at the start (default 0)")
    add.add_argument("--kind", default="numeric", help="numeric, count (whole numbers), percent, currency or binary")
    add.add_argument("--unit", default="", help="e.g. %%, EUR, ms")
    add.add_argument("--direction", help="increase, decrease, stay_above or stay_below (default: from the numbers)")
    add.add_argument("--weight", default="1", help="weight in the goal's progress (default 1)")
    add.set_defaults(func=cmd_add)

    checkin = sub.add_parser("checkin", help="record a new value of a key result")
    checkin.add_argument("kr_id", type=_id)
    checkin.add_argument("value")
    checkin.add_argument("--confidence", help="0.7, 70%% or 7/10")
    checkin.add_argument("--note", default="")
    checkin.set_defaults(func=cmd_checkin)

    show = sub.add_parser("show", help="one key result: definition, current value, progress, last check-in")
    show.add_argument("id", type=_id)
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    edit = sub.add_parser("edit", help="change what a key result measures (its value changes by check-in)")
    edit.add_argument("id", type=_id)
    for name, text in (
        ("title", "a new title"),
        ("kind", "numeric, count (whole numbers), percent, currency or binary"),
        ("baseline", "the value at the start"),
        ("target", "the value to reach"),
        ("unit", "e.g. %%, EUR, ms, or '' for none"),
        ("direction", "increase, decrease, stay_above or stay_below"),
        ("weight", "weight in the goal's progress (greater than 0)"),
    ):
        edit.add_argument(f"--{name}", help=text)
    edit.add_argument("--if-version", type=_id, help="refuse if others changed these fields since")
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(func=cmd_edit)

    for action, text in (
        ("archive", "archive a key result: it leaves the goal's progress, its check-ins are kept"),
        ("restore", "bring an archived key result back into the goal's progress"),
    ):
        one = sub.add_parser(action, help=text)
        one.add_argument("id", type=_id)
        one.add_argument("--if-version", type=_id)
        one.set_defaults(func=cmd_archive, archived=action == "archive")

    history = sub.add_parser("history", help="every check-in of a key result, newest first")
    history.add_argument("id", type=_id)
    history.add_argument("--json", action="store_true")
    history.set_defaults(func=cmd_history)

    correct = sub.add_parser("correct", help="correct a check-in's value, confidence or note")
    correct.add_argument("check_in_id", type=_id, metavar="CHECKIN_ID", help="the check-in's id (see kr history)")
    correct.add_argument("--value")
    correct.add_argument("--confidence", help="0.7, 70%% or 7/10, or '' for none")
    correct.add_argument("--note")
    correct.add_argument("--if-version", type=_id, help="refuse if others changed these fields since")
    correct.add_argument("--json", action="store_true")
    correct.set_defaults(func=cmd_correct)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    result = service.add_key_result(
        ctx.actor(),
        args.goal,
        args.title,
        target=args.target,
        baseline=args.baseline,
        kind=args.kind,
        unit=args.unit,
        direction=args.direction,
        weight=args.weight,
    )
    print(f"added key result {result.id}: {result.title}")
    return 0


def cmd_checkin(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    entry = service.check_in(ctx.actor(), args.kr_id, args.value, confidence=args.confidence, note=args.note)
    print(f"key result {args.kr_id} is now {num(entry.value)} (check-in {entry.id})")
    return 0


def standing(kr: KeyResultView) -> str:
    """'0 → 4 → 10 accounts = 40%', or 'done' / 'not done yet' for a binary result."""
    if kr.kind == "binary":
        return "done" if kr.current >= 1 else "not done yet"
    unit = f" {kr.unit}" if kr.unit else ""
    return f"{num(kr.baseline)} → {num(kr.current)} → {num(kr.target)}{unit} = {percent(kr.progress)}"


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    info = key_result_info(args.id)
    if args.json:
        emit_json(info.as_dict())
        return 0
    kr = info.key_result
    print(f"key result {kr.id}: {kr.title}{'  (archived)' if kr.archived else ''}")
    print(f"  goal {info.goal_id}: {' › '.join(step.title for step in info.goal_path)} ({info.cycle})")
    print(f"  {kr.kind}, {kr.direction.replace('_', ' ')}: {standing(kr)}")
    print(f"  weight {num(kr.weight)} · version {kr.version}")
    last = kr.last_check_in
    if last is None:
        print("  no check-in yet")
        return 0
    sure = f", {percent(last.confidence)} sure" if last.confidence is not None else ""
    by = f" by @{last.by}" if last.by else ""
    note = f": “{last.note}”" if last.note else ""
    print(f"  last check-in: {num(last.value)}{by} on {last.at:%Y-%m-%d}{sure}{note}")
    print(f"  {info.check_ins} check-in{'s' if info.check_ins != 1 else ''} in all (okrate kr history {kr.id})")
    return 0


def cmd_edit(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    changes = {name: getattr(args, name) for name in DEFINING if getattr(args, name) is not None}
    if not changes:
        raise UsageError("kr edit: nothing to change (give --title, --target, …)")
    result = service.update_key_result(ctx.actor(), args.id, args.if_version, **changes)
    if args.json:
        emit_json(key_result_info(result.id).as_dict())
    else:
        print(f"key result {result.id} is at version {result.version}")
    return 0


def cmd_archive(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    result = service.archive_key_result(ctx.actor(), args.id, args.if_version, archived=args.archived)
    print(f"key result {result.id} is {'archived' if result.archived else 'restored'}: {result.title}")
    return 0


def _corrected(entry: CheckInEntry) -> str | None:
    if not entry.corrected:
        return None
    was = f", was {num(entry.original_value)}" if entry.original_value is not None else ""
    by = f" by @{entry.corrected_by}" if entry.corrected_by else ""
    when = f" {entry.corrected_at:%Y-%m-%d}" if entry.corrected_at else ""
    return f"yes{by}{when}{was}"


def cmd_history(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    entries = check_in_history(args.id)
    if args.json:
        emit_json([entry.as_dict() for entry in entries])
        return 0
    if not entries:
        print(f"key result {args.id} has no check-ins yet")
        return 0
    table(
        [
            (
                e.id,
                f"{e.at:%Y-%m-%d %H:%M}",
                f"@{e.by}" if e.by else None,
                num(e.value),
                percent(e.confidence) if e.confidence is not None else None,
                e.note or None,
                _corrected(e),
            )
            for e in entries
        ],
        ("id", "when", "by", "value", "confidence", "note", "corrected"),
        width=48,
    )
    return 0


def cmd_correct(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    changes = {name: getattr(args, name) for name in ("value", "confidence", "note") if getattr(args, name) is not None}
    if not changes:
        raise UsageError("kr correct: nothing to correct (give --value, --confidence or --note)")
    entry = service.correct_check_in(ctx.actor(), args.check_in_id, args.if_version, **changes)
    if args.json:
        found = [e for e in check_in_history(entry.key_result_id) if e.id == entry.id]
        emit_json(found[0].as_dict())
        return 0
    print(f"check-in {entry.id} of key result {entry.key_result_id} is at version {entry.version}")
    return 0
