"""The board's questions: each opens a typed modal, waits for its result and answers
with the change to make (an :class:`Edit`), a sentence, or nothing (the person left).
They run in a worker of the pane (``push_screen_wait``) and re-read their task after
the modal closed: it may have gone meanwhile."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.errors import NotFoundError, OkrateError
from okrate_tui.core.parsing import parse_deadline
from okrate_tui.core.queries.details import TaskDetail, task_detail
from okrate_tui.core.queries.task_history import history_lines
from okrate_tui.core.validation import clean_title
from okrate_tui.ui.controllers.board_editor import BoardEditor
from okrate_tui.ui.controllers.outcome import Notice, Outcome
from okrate_tui.ui.format import month_day
from okrate_tui.ui.forms.fields import deadline_field, owner_field, priority_field
from okrate_tui.ui.forms.form import Field, FormScreen, Watch
from okrate_tui.ui.host import Host
from okrate_tui.ui.models.edits import Change, Edit, field_edit, goal_edit
from okrate_tui.ui.panes.board_choices import goal_milestone_choices, owner_choices
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import PickerScreen
from okrate_tui.ui.screens.quick_add import QuickAddScreen
from okrate_tui.ui.screens.task_detail import TaskDetailScreen

Answer = Edit | Notice | None


async def ask_owner(host: Host, editor: BoardEditor, task_id: int) -> Answer:
    session = editor.session
    card = session.cards.get(task_id)
    current = (session.handle(card.owner_id) or "") if card else ""
    seen = card.version if card else None
    title = editor.title(task_id)
    handle = await host.push_screen_wait(PickerScreen(f"Owner of “{title}”", owner_choices(session), initial=current))
    if handle is None:
        return None
    if gone := editor.gone(task_id):
        return gone
    person = session.by_handle(handle) if handle else None
    what = f"set the owner of “{editor.title(task_id)}” to {'@' + handle if handle else 'nobody'}"
    owner = person.id if person else None
    return field_edit(editor.session.cards, task_id, "owner", owner, what, handle or None, seen=seen)


async def ask_deadline(host: Host, editor: BoardEditor, task_id: int) -> Answer:
    card = editor.session.cards.get(task_id)
    seen = card.version if card else None
    today = clock.today()
    fields = [deadline_field(card.deadline.isoformat() if card and card.deadline else "", today, explain=True)]

    async def submit(values: dict[str, str]) -> date | bool:
        return parse_deadline(values["deadline"], today) or False

    value = await host.push_screen_wait(FormScreen(f"Deadline of “{editor.title(task_id)}”", fields, submit))
    if value is None:
        return None
    if gone := editor.gone(task_id):
        return gone
    deadline = value if isinstance(value, date) else None  # False: no deadline
    when = month_day(deadline, weekday=True) if deadline else "none"
    what = f"set the deadline of “{editor.title(task_id)}” to {when}"
    return field_edit(editor.session.cards, task_id, "deadline", deadline, what, seen=seen)


async def ask_goal(host: Host, editor: BoardEditor, task_id: int) -> Answer:
    session = editor.session
    card = session.cards.get(task_id)
    seen = card.version if card else None
    try:
        stones = await editor.milestones()
    except OkrateError:
        stones = []
    initial = (card.goal_id, card.milestone_id) if card else None
    picked = await host.push_screen_wait(
        PickerScreen(
            f"Goal or milestone for “{editor.title(task_id)}”",
            goal_milestone_choices(session.labels, stones),
            initial=initial,
        )
    )
    if picked is None:
        return None
    if gone := editor.gone(task_id):
        return gone
    goal, milestone = picked
    title = session.labels.goal_titles.get(goal, goal)
    names = {mid: name for mid, _, name in stones}
    where = f"the milestone “{names[milestone]}”" if milestone else f"the goal “{title}”"
    return goal_edit(
        editor.session.cards, task_id, goal, milestone, f"move “{editor.title(task_id)}” to {where}", seen=seen
    )


async def ask_delete(host: Host, editor: BoardEditor, task_id: int) -> Answer:
    question = ConfirmScreen(f"Delete “{editor.title(task_id)}”?", "u brings it back.", watch=("task", task_id))
    if not await host.push_screen_wait(question):
        return None
    if gone := editor.gone(task_id):
        return gone
    return Edit(task_id, {}, f"delete “{editor.title(task_id)}”", Change.DELETE)


def _form_values(detail: TaskDetail) -> dict[str, str]:
    return {
        "title": detail.title,
        "objective": detail.objective,
        "context": detail.context,
        "owner": detail.owner or "",
        "priority": detail.priority or "",
        "deadline": detail.deadline.isoformat() if detail.deadline else "",
    }


async def ask_edit(host: Host, editor: BoardEditor, task_id: int) -> Outcome | None:
    """The task's edit form; saved, what to draw again."""
    session = editor.session
    today = clock.today()
    try:
        detail = await host.db.read(task_detail, task_id)
    except OkrateError:
        return Outcome(set(), Notice(session.gone_sentence("task", task_id, "task"), severity="warning"))
    initial = _form_values(detail)

    async def reread() -> tuple[dict[str, str], int | None]:
        fresh = await host.db.read(task_detail, task_id)
        return _form_values(fresh), fresh.version

    watch = Watch("task", task_id, detail.version, reread, noun="task")
    fields = [
        Field("title", "Task", initial["title"], required=True, check=clean_title),
        Field("objective", "Objective", initial["objective"], kind="area", help="what done looks like"),
        Field("context", "Context", initial["context"], kind="area"),
        owner_field(initial["owner"], session.active_people()),
        priority_field(initial["priority"]),
        deadline_field(initial["deadline"], today),
    ]

    async def submit(values: dict[str, str]) -> Any:
        changes: dict[str, Any] = {k: v for k, v in values.items() if v != initial[k]}
        if "deadline" in changes:
            changes["deadline"] = parse_deadline(changes["deadline"], today)
        for name in ("owner", "priority"):
            if name in changes:
                changes[name] = changes[name] or None
        if not changes:
            return True
        return await editor.save_form(task_id, watch.version, changes)

    saved = await host.push_screen_wait(FormScreen(f"Edit task {task_id}", fields, submit, watch=watch))
    if not isinstance(saved, tuple):
        return None
    record, op = saved
    return await editor.after_form(task_id, record, op)


async def ask_new(host: Host, editor: BoardEditor) -> Outcome | None:
    """Quick add: one line read, then a goal asked for when the line named none."""
    session = editor.session
    labels, scope = session.labels, session.cards.scope
    goals = [(gid, title) for gid, title in labels.goal_titles.items() if gid not in labels.archived]
    scope_goal = scope.goal_id if scope.kind == "goal" else None
    try:
        milestones = await editor.milestones()
    except OkrateError as exc:  # the database went away: say so, open nothing
        return Outcome(set(), Notice(str(exc), title="Not added", severity="error", timeout=10))
    reading = await host.push_screen_wait(
        QuickAddScreen(
            clock.today(),
            [p.handle for p in session.active_people()],
            goals,
            labels.goal_titles.get(scope_goal) if scope_goal else None,
            milestones=milestones,
            me=session.actor.handle if session.actor else None,
        )
    )
    if reading is None:
        return None
    goal, milestone = reading.goal_id or scope_goal, reading.milestone_id
    if goal is None:
        question = f"Which goal (or milestone) does “{reading.title}” serve?"
        picked = await host.push_screen_wait(PickerScreen(question, goal_milestone_choices(labels, milestones)))
        if picked is None:
            return Outcome(set(), Notice("Not added: a task always serves a goal.", severity="warning"))
        goal, milestone = picked
    owner = reading.owner
    if owner is None and not reading.owner_given and scope.kind in ("mine", "person"):
        owner = session.handle(scope.person_id)
    if owner is None and host.config.quick_add_owner == "me" and session.actor is not None:
        owner = session.actor.handle
    return await editor.add(reading.title, goal, milestone, owner, reading.priority, reading.deadline)


async def open_card(host: Host, editor: BoardEditor, task_id: int, edit: bool) -> Outcome | None:
    """Everything about the task, with its history (``e`` there opens its edit form); or
    the edit form at once."""
    if not edit:
        try:
            detail, changes = await host.db.read(lambda: (task_detail(task_id), history_lines(task_id)))
        except NotFoundError:
            return Outcome(set(), Notice(editor.session.gone_sentence("task", task_id, "task"), severity="warning"))
        except OkrateError as exc:
            return Outcome(set(), Notice(str(exc), severity="error"))
        place = editor.next_place(task_id, detail.goal_id, detail.deadline, detail.priority)
        if await host.push_screen_wait(TaskDetailScreen(detail, changes, place)) != "edit":
            return None
    return await ask_edit(host, editor, task_id)


QUESTIONS: dict[str, Callable[[Host, BoardEditor, int], Awaitable[Answer]]] = {
    "owner": ask_owner,
    "deadline": ask_deadline,
    "goal": ask_goal,
    "delete": ask_delete,
}
