"""``okrate goal …``: the goal tree (key results are ``okrate kr …``, milestones
``okrate milestone …``)."""

from __future__ import annotations

import argparse

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.help import GOAL_STATUS_HELP
from okrate_tui.cli.output import emit_json, num, percent, table
from okrate_tui.cli.tasks import DATE_OPTION, OWNER_OPTION, _id
from okrate_tui.core.cells import fit, pad
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.explain import basis_sentences
from okrate_tui.core.queries.details import goal_detail, goal_list
from okrate_tui.core.services import goals as service
from okrate_tui.core.services.cycles import current_cycle, find_cycle
from okrate_tui.core.text import one_line
from okrate_tui.core.vocab import GOAL_STATUS_LABELS
from okrate_tui.core.wording import points


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("goal", help="list, show, add, edit, move and archive goals")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    lst = sub.add_parser("list", help="the goal tree of a cycle with progress")
    lst.add_argument("--cycle", help="cycle name or id (default: the current cycle)")
    lst.add_argument("--archived", action="store_true", help="include archived goals")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_list)

    show = sub.add_parser("show", help="one goal: progress and why, key results, tasks")
    show.add_argument("id", type=_id)
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    add = sub.add_parser("add", help="add a goal")
    add.add_argument("title")
    add.add_argument("--parent", type=_id, help="parent goal id (default: a top-level goal)")
    add.add_argument("--owner", help=OWNER_OPTION)
    add.add_argument("--team", help="team name")
    add.add_argument("--cycle", help="cycle name or id (default: the parent's, or the current)")
    add.add_argument("--level", help="company, team or individual")
    add.add_argument("--weight", default="1")
    add.add_argument("--description", default="")
    add.add_argument(
        "--starts", help=f"{DATE_OPTION}: when its pace starts (default: today, once its cycle has started)"
    )
    add.add_argument("--due", help=f"{DATE_OPTION} (default: the cycle's end)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=cmd_add)

    edit = sub.add_parser("edit", help="change a goal's fields")
    edit.add_argument("id", type=_id)
    for name, text in (
        ("title", "a new title"),
        ("description", "a new description"),
        ("owner", OWNER_OPTION),
        ("team", "team name, or '' for none"),
        ("level", "company, team or individual"),
        ("weight", "weight in the parent's progress (greater than 0)"),
        ("starts", f"{DATE_OPTION}; none or '' for the cycle's"),
        ("due", f"{DATE_OPTION}; none or '' for the cycle's"),
    ):
        edit.add_argument(f"--{name}", help=text)
    edit.add_argument("--status", help=GOAL_STATUS_HELP)
    edit.add_argument("--if-version", type=_id, help="refuse if others changed these fields since")
    edit.set_defaults(func=cmd_edit)

    move = sub.add_parser("move", help="hang a goal under another parent")
    move.add_argument("id", type=_id)
    move.add_argument("parent", help="new parent goal id, or 'top'")
    move.add_argument("--if-version", type=_id)
    move.set_defaults(func=cmd_move)

    archive = sub.add_parser("archive", help="archive a goal (or --restore it)")
    archive.add_argument("id", type=_id)
    archive.add_argument("--restore", action="store_true")
    archive.add_argument("--if-version", type=_id)
    archive.set_defaults(func=cmd_archive)


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    cycle = find_cycle(args.cycle) if args.cycle else current_cycle()
    if cycle is None:
        raise ValidationError.single("cycle", "there is no cycle yet")
    goals = goal_list(cycle.id, archived=args.archived)
    if args.json:
        emit_json({"cycle": {"id": cycle.id, "name": cycle.name}, "goals": goals})
        return 0
    print(f"{cycle.name} ({cycle.state}, {cycle.starts} → {cycle.ends})")
    table(
        [
            (
                g["id"],
                "  " * g["depth"] + g["title"],
                f"@{g['owner']}" if g["owner"] else None,
                percent(g["progress"]),
                GOAL_STATUS_LABELS[g["status"]] + (" ⚑" if g["behind"] else ""),
                g["tasks_open"],
                g["tasks_overdue"],
                g["late_milestones"],
            )
            for g in goals
        ],
        ("id", "goal", "owner", "progress", "status", "open", "overdue", "late milestones"),
        width=56,
    )
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    detail = goal_detail(args.id)
    if args.json:
        emit_json(detail.as_dict())
        return 0
    print(f"goal {detail.id}: {detail.title}")
    print(f"  {' › '.join(step.title for step in detail.path)}")
    status = GOAL_STATUS_LABELS[detail.status]
    if detail.manual_status:
        status += f" ({detail.status_reason or 'set by hand'})"
    pace = ""
    if detail.behind:
        pace = (
            f", late ({detail.late_items} of {detail.due_items} due not done)"
            if detail.basis == "execution"
            else f", behind pace (expected {percent(detail.expected)})"
        )
    print(f"  {percent(detail.progress)} · {status}{pace} · @{detail.owner} · {detail.cycle}")
    if detail.description:
        print(f"  {detail.description}")
    print(f"why {percent(detail.progress)}? {' '.join(basis_sentences(detail))}")
    if detail.breakdown:
        total = sum(part.weight for part in detail.breakdown)
        print("  each part adds its progress × its share of the weight:")
        for part in detail.breakdown:
            kind = part.kind.replace("_", " ")
            share = f"{num(part.weight)}/{num(total)}"
            title = pad(fit(one_line(part.title), 48), 48)
            print(f"  {points(part.contribution)}  {kind:<10} {title} {percent(part.progress)} × {share}")
    for kr in detail.key_results:
        last = kr.last_check_in
        note = f" (last: {num(last.value)} by @{last.by} {last.at:%Y-%m-%d})" if last else ""
        print(
            f"  kr {kr.id}: {kr.title}: {num(kr.baseline)} → {num(kr.current)} → "
            f"{num(kr.target)} {kr.unit} = {percent(kr.progress)}{note}"
        )
    for stone in detail.milestones:
        due = f", due {stone.due.isoformat()}" if stone.due else ""
        state = "done" if stone.done else f"{percent(stone.progress)} ({stone.tasks_done}/{stone.tasks} tasks)"
        late = ", late" if stone.late else ""
        print(f"  milestone {stone.id}: {stone.title}{due}: {state}{late}")
    work = detail.execution
    print(
        f"tasks: {work.done}/{work.total} done, {work.overdue} overdue, "
        f"{work.unowned} without owner, {work.blocked} blocked"
    )
    if detail.health:
        print(f"health: {', '.join(detail.health)}")
    return 0


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    goal = service.create_goal(
        ctx.actor(),
        args.title,
        parent=args.parent,
        cycle=args.cycle,
        owner=args.owner,
        team=args.team,
        level=args.level,
        weight=args.weight,
        description=args.description,
        starts=args.starts,
        due=args.due,
    )
    if args.json:
        emit_json(goal_detail(goal.id).as_dict())
    else:
        print(f"added goal {goal.id}: {goal.title}")
    return 0


def cmd_edit(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    names = ("title", "description", "owner", "team", "level", "weight", "starts", "due", "status")
    changes = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    if not changes:
        raise UsageError("goal edit: nothing to change (give --title, --owner, …)")
    goal = service.edit_goal(ctx.actor(), args.id, args.if_version, **changes)
    print(f"goal {goal.id} is at version {goal.version}")
    return 0


def cmd_move(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    parent = None if args.parent.lower() in ("top", "none", "root") else args.parent
    goal = service.move_goal(ctx.actor(), args.id, args.if_version, parent)
    where = f"under goal {goal.parent_id}" if goal.parent_id else "at the top"
    print(f"goal {goal.id} is now {where}")
    return 0


def cmd_archive(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    goal = service.archive_goal(ctx.actor(), args.id, args.if_version, archived=not args.restore)
    print(f"goal {goal.id} is {'archived' if goal.archived else 'restored'}")
    return 0
