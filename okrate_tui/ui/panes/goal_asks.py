"""The goal tree's questions: each opens a typed modal (a form, a picker, a yes/no),
waits for its result in a worker of the pane, saves through the :class:`TreeEditor` and
answers with an :class:`Outcome` (or None when the person left). A goal is re-read
before it is edited: it may have changed since the tree was drawn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.parsing import parse_deadline
from okrate_tui.core.queries import details
from okrate_tui.core.services import goals as goal_service
from okrate_tui.core.services import key_results as kr_service
from okrate_tui.core.services import milestones as milestone_service
from okrate_tui.core.services import tasks as task_service
from okrate_tui.core.validation import clean_title, parse_confidence, parse_date, parse_number, parse_weight
from okrate_tui.core.vocab import GOAL_STATUS_LABELS, GOAL_STATUSES
from okrate_tui.ui.controllers.outcome import Notice, Outcome
from okrate_tui.ui.controllers.tree_editor import TreeEditor
from okrate_tui.ui.format import number
from okrate_tui.ui.forms.fields import deadline_field, owner_field, priority_field
from okrate_tui.ui.forms.form import Field, FormScreen, Watch
from okrate_tui.ui.host import Host
from okrate_tui.ui.panes.part_asks import key_result_fields, milestone_fields
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen


@dataclass(frozen=True)
class Asked:
    """What a question needs from the pane: the selected goal, the detail on show, and
    why the actor may not do something to that goal (or None)."""

    host: Host
    editor: TreeEditor
    goal: int | None
    detail: details.GoalDetail | None
    chosen_key_result: int | None
    show_archived: bool
    refusal_for: Callable[[str], str | None]


Answer = Outcome | None


def changed_only(values: dict[str, str], initial: dict[str, str]) -> dict[str, str]:
    """The fields a person actually changed in a form."""
    return {k: v for k, v in values.items() if v != initial.get(k, "")}


def goal_values(detail: details.GoalDetail) -> dict[str, str]:
    """A goal as the edit form shows it."""
    return {
        "title": detail.title,
        "description": detail.description,
        "owner": detail.owner or "",
        "team": detail.team or "",
        "weight": f"{detail.weight:g}",
        "starts": detail.starts.isoformat() if detail.starts else "",
        "due": detail.due.isoformat() if detail.due else "",
    }


def goal_fields(asked: Asked, values: dict[str, str], *, own_only: bool = False) -> list[Field]:
    session = asked.editor.session
    owners = [session.actor] if own_only and session.actor is not None else session.active_people()
    teams = [(name, name) for name in sorted(session.teams.values())]
    return [
        Field("title", "Title", values.get("title", ""), required=True, check=clean_title),
        Field("description", "Description", values.get("description", ""), kind="area"),
        owner_field(values.get("owner", ""), owners),
        Field("team", "Team", values.get("team", ""), kind="select", options=teams, placeholder="no team"),
        Field("weight", "Weight in the parent's progress", values.get("weight", "1"), check=parse_weight),
        Field(
            "starts",
            "Starts",
            values.get("starts", ""),
            placeholder="YYYY-MM-DD (default: today, or the cycle's start)",
            check=parse_date,
        ),
        Field(
            "due", "Due", values.get("due", ""), placeholder="YYYY-MM-DD (default: the cycle's end)", check=parse_date
        ),
    ]


async def form(
    asked: Asked,
    title: str,
    fields: list[Field],
    submit: Callable[[dict[str, str]], Awaitable[Any]],
    what: Callable[[Any], str],
    focus: Callable[[Any], int | None],
    watch: Watch | None = None,
) -> Answer:
    """A form whose save calls a service; the result lands in undo and on screen."""
    result = await asked.host.push_screen_wait(FormScreen(title, fields, submit, watch=watch))
    return await asked.editor.form_saved(result, what, focus)


async def new_goal(asked: Asked, top: bool = False) -> Answer:
    editor, parent = asked.editor, None if top else asked.goal
    session = editor.session
    cycle = session.cycle.id if session.cycle else None

    async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
        return await editor.save(
            goal_service.create_goal,
            values["title"],
            parent=parent,
            cycle=cycle,
            owner=values["owner"] or None,
            team=values["team"] or None,
            weight=values["weight"],
            description=values["description"],
            starts=values["starts"] or None,
            due=values["due"] or None,
        )

    where = "New top-level goal" if parent is None else f"New sub-goal of “{editor.title(parent)}”"
    # Under a goal the actor may not manage, only a goal of their own may be added.
    own_only = parent is not None and asked.refusal_for("add goals under") is not None
    fields = goal_fields(asked, {"owner": session.actor.handle if session.actor else ""}, own_only=own_only)
    return await form(asked, where, fields, submit, lambda g: f"add “{g.title}”", lambda g: g.id)


async def new_top_goal(asked: Asked) -> Answer:
    return await new_goal(asked, top=True)


async def edit_goal(asked: Asked) -> Answer:
    editor, goal = asked.editor, asked.goal
    if goal is None:
        return None
    detail = await editor.fresh(goal)
    if isinstance(detail, Notice):
        return Outcome(None, detail)
    initial = goal_values(detail)

    async def reread() -> tuple[dict[str, str], int | None]:
        fresh = await editor.db.read(details.goal_detail, goal, clock.today())
        return goal_values(fresh), fresh.version

    watch = Watch("goal", goal, detail.version, reread, noun="goal")

    async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
        changes = {
            k: (v or None) if k in ("owner", "team", "starts", "due") else v
            for k, v in changed_only(values, initial).items()
        }
        return await editor.save(goal_service.edit_goal, goal, watch.version, **changes)

    what, focus = (lambda g: f"edit “{g.title}”"), (lambda g: goal)
    return await form(asked, f"Edit “{detail.title}”", goal_fields(asked, initial), submit, what, focus, watch)


async def move_goal(asked: Asked) -> Answer:
    editor, goal, tree = asked.editor, asked.goal, asked.editor.session.tree
    if goal is None or tree is None or goal not in tree:
        return None
    below = {goal}
    choices = [Choice("top", "(top level)", "top level root")]
    for line, depth in tree.ordered():  # parents come before their children
        if line.parent_id in below:
            below.add(line.id)
        elif line.id not in below:
            choices.append(Choice(line.id, "  " * depth + line.title, f"{line.title} @{line.owner or ''}"))
    title = tree.line(goal).title
    picker = PickerScreen(f"Move “{title}” under…", choices, hint="enter picks · esc cancels")
    value = await asked.host.push_screen_wait(picker)
    if value is None:
        return None
    parent = None if value == "top" else value
    return await editor.run(f"move “{title}”", goal, goal_service.move_goal, goal, None, parent)


async def archive_goal(asked: Asked) -> Answer:
    editor, goal, tree = asked.editor, asked.goal, asked.editor.session.tree
    if goal is None or tree is None or goal not in tree:
        return None
    line = tree.line(goal)
    restoring = line.archived
    verb = "Restore" if restoring else "Archive"
    if restoring:
        detail = ""
    elif line.parent_id is None:
        detail = "It is kept but hidden, with its sub-goals; A shows archived goals."
    else:
        detail = "It leaves its parent's progress but is kept; A shows archived goals."
    if not await asked.host.push_screen_wait(ConfirmScreen(f"{verb} “{line.title}”?", detail, watch=("goal", goal))):
        return None
    focus = goal if restoring or asked.show_archived else line.parent_id
    what = f"{verb.lower()} “{line.title}”"
    return await editor.run(what, focus, goal_service.archive_goal, goal, None, not restoring, changed=goal)


async def add_key_result(asked: Asked) -> Answer:
    editor, goal = asked.editor, asked.goal
    if goal is None:
        return None

    async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
        return await editor.save(
            kr_service.add_key_result,
            goal,
            values["title"],
            target=values["target"],
            baseline=values["baseline"] or 0,
            kind=values["kind"],
            unit=values["unit"],
            direction=values["direction"] or None,
            weight=values["weight"] or 1,
        )

    title = f"New key result for “{editor.title(goal)}”"
    what = lambda kr: f"add the key result “{kr.title}”"  # noqa: E731
    return await form(asked, title, key_result_fields({}), submit, what, lambda kr: goal)


async def add_milestone(asked: Asked) -> Answer:
    editor, goal, today = asked.editor, asked.goal, clock.today()
    if goal is None:
        return None

    async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
        return await editor.save(
            milestone_service.add_milestone, goal, values["title"], parse_deadline(values["due"], today)
        )

    title = f"New milestone for “{editor.title(goal)}”"
    what = lambda m: f"add the milestone “{m.title}”"  # noqa: E731
    return await form(asked, title, milestone_fields({}, today), submit, what, lambda m: goal)


async def check_in(asked: Asked) -> Answer:
    editor, goal, detail = asked.editor, asked.goal, asked.detail
    if goal is None or detail is None or detail.id != goal:
        return None
    results = [kr for kr in detail.key_results if not kr.archived]
    if not results:
        return Outcome(set(), Notice("This goal has no key results yet: press r to add one.", severity="warning"))
    options = [(kr.title, str(kr.id)) for kr in results]
    current = next((kr for kr in results if kr.id == asked.chosen_key_result), results[0])
    fields = [
        Field(
            "value",
            "New value",
            "",
            required=True,
            check=parse_number,
            placeholder=f"now {number(current.current)}, target {number(current.target)}",
            help=f"for “{current.title}” unless you pick another key result below",
        ),
        Field("kr", "Key result", str(current.id), kind="select", options=options, required=True),
        Field("confidence", "Confidence", "", check=parse_confidence, placeholder="70% or 0.7"),
        Field("note", "Note", "", kind="area"),
    ]

    async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
        return await editor.save(
            kr_service.check_in,
            int(values["kr"]),
            values["value"],
            confidence=values["confidence"] or None,
            note=values["note"],
        )

    return await form(asked, "Check in", fields, submit, lambda entry: "check in", lambda entry: goal)


async def set_status(asked: Asked) -> Answer:
    editor, goal, tree = asked.editor, asked.goal, asked.editor.session.tree
    if goal is None or tree is None or goal not in tree:
        return None
    line = tree.line(goal)
    choices = [Choice("", "follow pace (automatic)", "auto automatic pace none")]
    choices += [Choice(s, GOAL_STATUS_LABELS[s], s) for s in GOAL_STATUSES]
    now = GOAL_STATUS_LABELS.get(line.status, line.status)
    how = (line.status_reason or "set by hand") if line.manual_status else "from pace"
    picker = PickerScreen(f"Status of “{line.title}” (now {now}, {how})", choices, initial=line.manual_status or "")
    status = await asked.host.push_screen_wait(picker)
    if status is None:
        return None
    what = f"set the status of “{line.title}” to {GOAL_STATUS_LABELS.get(status, 'follow pace')}"
    return await editor.run(what, goal, goal_service.set_goal_status, goal, None, status or None)


async def new_task(asked: Asked) -> Answer:
    editor, goal, today = asked.editor, asked.goal, clock.today()
    if goal is None:
        return None
    session = editor.session
    fields = [
        Field("title", "Task", required=True, check=clean_title, placeholder="what needs doing"),
        Field("objective", "Objective", "", kind="area", help="what done looks like"),
        owner_field(session.actor.handle if session.actor else "", session.active_people()),
        priority_field("medium"),
        deadline_field("", today),
    ]

    async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
        return await editor.save(
            task_service.create_task,
            values["title"],
            goal=goal,
            objective=values["objective"],
            owner=values["owner"] or None,
            priority=values["priority"] or None,
            deadline=parse_deadline(values["deadline"], today),
        )

    title = f"New task for “{editor.title(goal)}”"
    return await form(asked, title, fields, submit, lambda t: f"add “{t.title}”", lambda t: goal)


QUESTIONS: dict[str, Callable[[Asked], Awaitable[Answer]]] = {
    "new_goal": new_goal,
    "new_top_goal": new_top_goal,
    "edit_goal": edit_goal,
    "move_goal": move_goal,
    "archive_goal": archive_goal,
    "add_key_result": add_key_result,
    "add_milestone": add_milestone,
    "check_in": check_in,
    "set_status": set_status,
    "new_task": new_task,
}
NEEDS_GOAL = frozenset(QUESTIONS) - {"new_goal", "new_top_goal"}
