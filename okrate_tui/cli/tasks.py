"""``okrate task …``: add, list, show, edit, move and remove tasks."""

from __future__ import annotations

import argparse

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.help import TASK_STATUS_HELP
from okrate_tui.cli.output import emit_json, fit, table
from okrate_tui.core import clock
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.grammar import DATE_FORMS, DATE_HELP, OWNER_FORMS, PRIORITY_FORMS, parse_date
from okrate_tui.core.queries.details import TaskDetail, task_detail
from okrate_tui.core.queries.next_work import next_work
from okrate_tui.core.queries.task_history import history_lines
from okrate_tui.core.queries.tasks import history, list_tasks
from okrate_tui.core.rules.ranking import ORDER
from okrate_tui.core.services import refs
from okrate_tui.core.services import tasks as service
from okrate_tui.core.services.cycles import current_cycle, find_cycle
from okrate_tui.core.validation import Checker, parse_choice, parse_id
from okrate_tui.core.vocab import TASK_STATUS_LABELS, TASK_STATUSES


def _id(text: str) -> int:
    """An id, a version or a count on the command line: 1 to 2,147,483,647."""
    try:
        return parse_id(text, "a number" if not text.strip().isdigit() else "an id", least=0)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


OWNER_OPTION = f"the owner: {OWNER_FORMS}"
PRIORITY_OPTION = f"the priority: {PRIORITY_FORMS}"
DATE_OPTION = f"a date: {DATE_FORMS}"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("task", help="add, list, show, edit, move and remove tasks")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="add a task under a goal")
    add.add_argument("title")
    add.add_argument("--goal", required=True, type=_id, help="the goal the task serves (id)")
    add.add_argument("--milestone", type=_id, help="a milestone of the goal the task counts towards (id)")
    add.add_argument("--owner", help=OWNER_OPTION)
    add.add_argument("--priority", help=PRIORITY_OPTION)
    add.add_argument("--deadline", help=DATE_OPTION)
    add.add_argument("--status", default="todo", help=TASK_STATUS_HELP)
    add.add_argument("--objective", default="", help="what done looks like")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=cmd_add)

    lst = sub.add_parser("list", help="list tasks in board order")
    lst.add_argument("--owner", help="@handle, handle or me")
    lst.add_argument("--goal", type=_id, help="a goal and its whole subtree")
    lst.add_argument("--status", help=TASK_STATUS_HELP)
    lst.add_argument("--cycle", help="cycle name or id, or all (default: the current cycle)")
    lst.add_argument("--overdue", action="store_true", help="only open tasks past their deadline")
    lst.add_argument("--due-before", metavar="DATE", help=f"only tasks with a deadline before this day: {DATE_FORMS}")
    lst.add_argument("--limit", type=_id)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_list)

    nxt = sub.add_parser("next", help="what to do next: open tasks ranked by what they move, with why")
    nxt.add_argument("--owner", default="me", help="@handle, handle or me (the default)")
    nxt.add_argument("--limit", type=_id, default=20)
    nxt.add_argument("--json", action="store_true")
    nxt.set_defaults(func=cmd_next)

    show = sub.add_parser("show", help="everything about one task")
    show.add_argument("id", type=_id)
    show.add_argument("--history", action="store_true", help="include the change log")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    edit = sub.add_parser("edit", help="change a task's fields")
    edit.add_argument("id", type=_id)
    edit.add_argument("--title")
    edit.add_argument("--objective")
    edit.add_argument("--context")
    edit.add_argument("--owner", help=OWNER_OPTION)
    edit.add_argument("--priority", help=f"{PRIORITY_OPTION}; none or '' for none")
    edit.add_argument("--deadline", help=f"{DATE_OPTION}; none or '' for none")
    edit.add_argument("--status", help=TASK_STATUS_HELP)
    edit.add_argument("--goal", type=_id)
    edit.add_argument("--if-version", type=_id, help="refuse if others changed these fields since")
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(func=cmd_edit)

    move = sub.add_parser("move", help="move a task to another column")
    move.add_argument("id", type=_id)
    move.add_argument("status", help=TASK_STATUS_HELP)
    move.add_argument("--if-version", type=_id)
    move.set_defaults(func=cmd_move)

    rm = sub.add_parser("rm", help="delete a task (the change log keeps a copy)")
    rm.add_argument("id", type=_id)
    rm.add_argument("--if-version", type=_id)
    rm.set_defaults(func=cmd_rm)


def _print_task(detail: TaskDetail) -> None:
    path = " › ".join(step.title for step in detail.goal_path)
    rows = [
        ("title", detail.title),
        ("status", detail.status),
        ("priority", detail.priority),
        ("owner", f"@{detail.owner}" if detail.owner else None),
        ("deadline", detail.deadline.isoformat() if detail.deadline else None),
        ("goal", f"{detail.goal_id}  {path}"),
        ("milestone", detail.milestone.title if detail.milestone else None),
        ("objective", detail.objective or None),
        ("context", detail.context or None),
        ("health", ", ".join(detail.health) or "ok"),
        ("version", detail.version),
    ]
    print(f"task {detail.id}")
    for name, value in rows:
        print(f"  {name:<10} {value if value is not None else '—'}")


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    task = service.create_task(
        ctx.actor(),
        args.title,
        goal=args.goal,
        milestone=args.milestone,
        owner=args.owner,
        priority=args.priority,
        deadline=args.deadline,
        status=args.status,
        objective=args.objective,
    )
    if args.json:
        emit_json(task_detail(task.id).as_dict())
    else:
        print(f"added task {task.id}: {task.title}")
    return 0


def cmd_next(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    check = Checker()
    me = ctx.actor() if args.owner.strip().lstrip("@").lower() == "me" else None
    owner = refs.person(check, "owner", args.owner, me=me, nobody=False)
    check.done()
    assert owner is not None
    cycle = current_cycle()
    if cycle is None:
        raise ValidationError.single("cycle", "there is no cycle yet")
    found = next_work(owner.id, cycle.id, clock.today(), args.limit)
    if args.json:
        emit_json([item.as_dict() for item in found])
        return 0
    if not found:
        print(f"@{owner.handle} has no open task in this cycle.")
        return 0
    print(f"Next for @{owner.handle}: {ORDER}.")
    table(
        [(item.rank, item.card.id, fit(item.card.title, 36), fit(item.goal, 30), item.reason) for item in found],
        ("#", "id", "task", "goal", "why here"),
        width=90,
    )
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    check = Checker()
    me = ctx.actor() if args.owner and args.owner.strip().lstrip("@").lower() == "me" else None
    owner = refs.person(check, "owner", args.owner, me=me, nobody=False) if args.owner else None
    status = check("status", parse_choice, args.status, TASK_STATUSES) if args.status else None
    goal = refs.goal(check, "goal", args.goal) if args.goal is not None else None
    due_before = check("due-before", parse_date, args.due_before) if args.due_before is not None else None
    if args.due_before is not None and due_before is None and "due-before" not in check.errors:
        check.fail("due-before", f"needs a date: {DATE_HELP}")
    check.done()
    if args.cycle and args.cycle.strip().lower() == "all":
        cycle = None
    elif args.cycle:
        cycle = find_cycle(args.cycle)
    else:  # a goal names its own cycle; otherwise the current one, like goal list
        cycle = current_cycle() if goal is None else None
    found = list_tasks(
        owner_id=owner.id if owner else None,
        goal_id=goal.id if goal else None,
        status=status,
        cycle_id=cycle.id if cycle else None,
        overdue_on=clock.today() if args.overdue else None,
        due_before=due_before,
        limit=args.limit,
    )
    if args.json:
        emit_json([row.as_dict() for row in found])
        return 0
    table(
        [
            (
                t.id,
                t.status,
                t.priority,
                t.deadline,
                f"@{t.owner}" if t.owner else None,
                t.title,
                t.goal,
            )
            for t in found
        ],
        ("id", "status", "priority", "deadline", "owner", "title", "goal"),
        width=48,
    )
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    detail = task_detail(args.id)
    changes = (
        [
            {
                "at": h["at"],
                "by": h["handle"],
                "op": h["op"],  # the field changes of one operation share it
                "field": h["field"],
                "old": h["old"],
                "new": h["new"],
                "old_label": h["old_label"],
                "new_label": h["new_label"],
            }
            for h in history(args.id)
        ]
        if args.history
        else None
    )
    if args.json:
        shown = detail.as_dict()
        if changes is not None:
            shown["history"] = changes
        emit_json(shown)
        return 0
    _print_task(detail)
    if args.history:
        print("history")
        for line in history_lines(args.id):  # one line for each thing someone did
            who = f"@{line.by}" if line.by else "system"
            print(f"  {str(line.at)[:16]}  {who:<10} {line.what}")
    return 0


def cmd_edit(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    changes = {
        name: getattr(args, name)
        for name in (
            "title",
            "objective",
            "context",
            "owner",
            "priority",
            "deadline",
            "status",
            "goal",
        )
        if getattr(args, name) is not None
    }
    if not changes:
        raise UsageError("task edit: nothing to change (give --title, --owner, …)")
    task = service.edit_task(ctx.actor(), args.id, args.if_version, **changes)
    if args.json:
        emit_json(task_detail(task.id).as_dict())
    else:
        print(f"task {task.id} is at version {task.version}")
    return 0


def cmd_move(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    task = service.move_task(ctx.actor(), args.id, args.if_version, args.status)
    print(f"task {task.id} is in {TASK_STATUS_LABELS[task.status]}")
    return 0


def cmd_rm(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    copy = service.delete_task(ctx.actor(), args.id, args.if_version)
    print(f"deleted task {copy['id']}: {copy['title']}")
    return 0
