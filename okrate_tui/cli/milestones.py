"""``okrate milestone …``: the dated steps of a goal, in their order."""

from __future__ import annotations

import argparse

from okrate_tui.cli.confirm import confirm
from okrate_tui.cli.context import Context, UsageError
from okrate_tui.cli.output import emit_json, percent, table
from okrate_tui.cli.tasks import _id
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.queries.milestones import MilestoneView, milestone_list, milestone_view
from okrate_tui.core.services import milestones as service
from okrate_tui.core.services import refs
from okrate_tui.core.services.cycles import current_cycle, find_cycle
from okrate_tui.core.validation import Checker


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("milestone", help="add, list, edit, reorder and remove a goal's milestones")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    lst = sub.add_parser("list", help="milestones in their order, with progress and tasks")
    lst.add_argument("--goal", type=_id, help="one goal's milestones")
    lst.add_argument("--cycle", help="cycle name or id (default: the current cycle, unless --goal is given)")
    lst.add_argument("--archived", action="store_true", help="include milestones of archived goals")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_list)

    add = sub.add_parser("add", help="add a milestone after a goal's last one")
    add.add_argument("goal", type=_id, help="the goal's id")
    add.add_argument("title")
    add.add_argument("--due", help="YYYY-MM-DD (may lie outside the goal's cycle)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=cmd_add)

    edit = sub.add_parser("edit", help="change a milestone's title or due date")
    edit.add_argument("id", type=_id)
    edit.add_argument("--title")
    edit.add_argument("--due", help="YYYY-MM-DD, or '' for none")
    edit.add_argument("--if-version", type=_id, help="refuse if others changed these fields since")
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(func=cmd_edit)

    done = sub.add_parser("done", help="mark a milestone reached (or --undo)")
    done.add_argument("id", type=_id)
    done.add_argument("--undo", action="store_true", help="mark it not reached again")
    done.add_argument("--if-version", type=_id)
    done.set_defaults(func=cmd_done)

    move = sub.add_parser("move", help="move a milestone up or down its goal's list")
    move.add_argument("id", type=_id)
    where = move.add_mutually_exclusive_group(required=True)
    where.add_argument("--up", action="store_const", dest="offset", const=-1, help="one place up")
    where.add_argument("--down", action="store_const", dest="offset", const=1, help="one place down")
    where.add_argument("--to", type=_id, metavar="N", help="to place N (1 = first)")
    move.add_argument("--if-version", type=_id, help="refuse if someone else moved it since")
    move.set_defaults(func=cmd_move)

    rm = sub.add_parser("rm", help="delete a milestone (its tasks stay with the goal)")
    rm.add_argument("id", type=_id)
    rm.add_argument("--yes", action="store_true", help="do not ask (needed without a terminal)")
    rm.add_argument("--if-version", type=_id)
    rm.set_defaults(func=cmd_rm)


def _due(view: MilestoneView) -> str | None:
    if view.due is None:
        return None
    return f"{view.due.isoformat()} ⚑ late" if view.late else view.due.isoformat()


def _print_list(found: list[MilestoneView]) -> None:
    table(
        [
            (
                m.id,
                f"{m.goal_id} {m.goal}",
                m.title,
                _due(m),
                m.done,
                percent(m.progress),
                f"{m.tasks_done}/{m.tasks}",
            )
            for m in found
        ],
        ("id", "goal", "title", "due", "done", "progress", "tasks"),
        width=40,
    )


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    check = Checker()
    goal = refs.goal(check, "goal", args.goal) if args.goal is not None else None
    check.done()
    cycle = find_cycle(args.cycle) if args.cycle else None
    if goal is None and cycle is None:
        cycle = current_cycle()
        if cycle is None:
            raise ValidationError.single("cycle", "there is no cycle yet")
    found = milestone_list(
        goal_id=goal.id if goal else None, cycle_id=cycle.id if cycle else None, archived=args.archived
    )
    if args.json:
        emit_json([m.as_dict() for m in found])
        return 0
    if not found:
        where = f"goal {goal.id}" if goal else cycle.name if cycle else "here"
        print(f"no milestones in {where}")
        return 0
    _print_list(found)
    return 0


def _show(view: MilestoneView, as_json: bool, text: str) -> None:
    if as_json:
        emit_json(view.as_dict())
    else:
        print(text)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    made = service.add_milestone(ctx.actor(), args.goal, args.title, args.due)
    view = milestone_view(made.id)
    due = f" (due {view.due.isoformat()})" if view.due else ""
    _show(view, args.json, f"added milestone {view.id} to goal {view.goal_id}: {view.title}{due}")
    return 0


def cmd_edit(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    changes = {name: getattr(args, name) for name in ("title", "due") if getattr(args, name) is not None}
    if not changes:
        raise UsageError("milestone edit: nothing to change (give --title or --due)")
    made = service.edit_milestone(ctx.actor(), args.id, args.if_version, **changes)
    _show(milestone_view(made.id), args.json, f"milestone {made.id} is at version {made.version}")
    return 0


def cmd_done(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    made = service.set_milestone_done(ctx.actor(), args.id, args.if_version, done=not args.undo)
    print(f"milestone {made.id} is {'done' if made.done else 'not done'}: {made.title}")
    return 0


def cmd_move(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    if args.to is not None:
        if args.to < 1:
            raise UsageError("milestone move: --to counts from 1 (the first place)")
        made = service.move_milestone(ctx.actor(), args.id, args.if_version, to=args.to - 1)
    else:
        made = service.move_milestone(ctx.actor(), args.id, args.if_version, args.offset)
    view = milestone_view(made.id)
    total = len(milestone_list(goal_id=view.goal_id))
    print(f"milestone {view.id} is number {view.order} of {total} on goal {view.goal_id}: {view.title}")
    return 0


def cmd_rm(ctx: Context, args: argparse.Namespace) -> int:
    ctx.db()
    view = milestone_view(args.id)
    if view.tasks:
        stays = "its task stays with the goal" if view.tasks == 1 else f"its {view.tasks} tasks stay with the goal"
    else:
        stays = "it has no tasks"
    question = f"Delete milestone {view.id} “{view.title}” of goal {view.goal_id} ({stays})?"
    if not confirm(question, yes=args.yes, command="milestone rm"):
        print("nothing was deleted")
        return 0
    service.delete_milestone(ctx.actor(), view.id, args.if_version)
    print(f"deleted milestone {view.id}: {view.title}; {stays}")
    return 0
