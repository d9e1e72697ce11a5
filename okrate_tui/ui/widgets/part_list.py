"""The parts of the selected goal as one list with keys of its own: key results,
milestones and the tasks that hang off the goal. It holds ids only; the goals pane acts
on the part under the cursor (re-reading it first) and says why when it may not."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from okrate_tui.core import clock
from okrate_tui.core.queries.details import GoalDetail, KeyResultView
from okrate_tui.core.queries.milestones import MilestoneView
from okrate_tui.core.queries.tasks import TaskRow
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.format import bar, compact, day_label, percent, truncate
from okrate_tui.ui.guard import REFUSED
from okrate_tui.ui.palette import tone

SECTIONS = {"kr": "Key results", "ms": "Milestones", "task": "Tasks"}
EMPTY = {
    "kr": "No key results yet: r adds one.",
    "ms": "No milestones yet: M adds one.",
    "task": "No tasks yet: t adds one.",
}
TASK_MARK = {"todo": "○", "doing": "◐", "blocked": "⊘", "done": "✓"}
# Which kinds of part each action applies to ("section" actions apply to the section).
FITS = {
    "part_add": {"kr", "ms", "task"},
    "part_edit": {"kr", "ms", "task"},
    "part_done": {"ms", "task"},
    "part_delete": {"kr", "ms"},
    "part_up": {"ms"},
    "part_down": {"ms"},
    "part_check_in": {"kr"},
    "part_history": {"kr"},
}


@runtime_checkable
class PartActor(Protocol):
    """What the list asks of the pane around it."""

    def part_refusal(self, action: str, kind: str, ident: int | None) -> str | None: ...

    def part_action(self, action: str, kind: str, ident: int | None) -> None: ...


def key_result_lines(kr: KeyResultView) -> Text:
    """Two or three lines for one key result: progress, the numbers, the last check-in."""
    text = Text()
    style = tone("struck") if kr.archived else "bold"
    text.append(kr.title, style=style)
    text.append("\n")
    text.append_text(bar(kr.progress, 10))
    text.append(f" {percent(kr.progress):>4}  ")
    unit = f" {kr.unit}" if kr.unit and kr.unit != "%" else kr.unit or ""
    if kr.kind == "binary":
        text.append("done" if kr.current >= 1 else "not done yet")
    else:
        text.append(f"{compact(kr.baseline)} → ")
        text.append(compact(kr.current), style="bold")
        text.append(f" → {compact(kr.target)}{unit}")
    last = kr.last_check_in
    text.append("\n")
    if last:
        sure = f", {percent(last.confidence)} sure" if last.confidence is not None else ""
        text.append(f"last: {compact(last.value)}{sure} · @{last.by} {day_label(last.at, '')}", style=tone("muted"))
        if last.note:
            text.append(f" · “{last.note}”", style=tone("aside"))
    else:
        text.append("no check-in yet", style=tone("muted"))
    return text


class PartList(OptionList):
    """Key results, milestones and tasks of one goal; option ids are ``kind:id``."""

    BINDINGS: ClassVar[list[BindingType]] = default_keys("parts")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._kind: str | None = None

    # --- what is shown ------------------------------------------------------------------

    def show(self, detail: GoalDetail | None, tasks: list[TaskRow], total: int) -> None:
        """Lay out the parts of ``detail``, keeping the cursor on the same part."""
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        self.clear_options()
        if detail is None:
            return
        today = clock.today()
        options: list[Option] = []
        options.append(_header("kr", len(detail.key_results)))
        options += [Option(key_result_lines(kr), id=f"kr:{kr.id}") for kr in detail.key_results]
        if not detail.key_results:
            options.append(self._empty("kr"))
        options.append(_header("ms", len(detail.milestones)))
        options += [Option(_milestone_line(m), id=f"ms:{m.id}") for m in detail.milestones]
        if not detail.milestones:
            options.append(self._empty("ms"))
        shown = f"{len(tasks)} of {total}" if total > len(tasks) else str(total)
        head = Text(f"\nTasks of this goal ({shown})", style="bold")
        options.append(Option(head, id="head:task", disabled=True))
        milestones = {m.id: m.title for m in detail.milestones}
        options += [Option(_task_line(t, milestones, today), id=f"task:{t.id}") for t in tasks]
        if not tasks:
            options.append(self._empty("task"))
        self.add_options(options)
        ids = [o.id for o in options]
        if keep in ids:
            self.highlighted = ids.index(keep)
        else:
            first = next((i for i, o in enumerate(options) if not o.disabled), None)
            self.highlighted = first
        self._follow()

    def _empty(self, kind: str) -> Option:
        """'No milestones yet: M adds one.', without the hint for whom may not add one."""
        text = EMPTY[kind] if self._refusal("part_add", kind, None) is None else EMPTY[kind].split(":")[0] + "."
        return Option(Text(text, style=tone("muted")), id=f"empty:{kind}")

    @property
    def current(self) -> tuple[str, int | None]:
        """The kind of part under the cursor (``kr``, ``ms``, ``task``) and its id (None
        on a section's header or empty line)."""
        option = self.highlighted_option
        if option is None or option.id is None:
            return "kr", None
        kind, _, rest = option.id.partition(":")
        if kind in ("head", "empty"):
            return rest, None
        return kind, int(rest)

    # --- keys -----------------------------------------------------------------------------

    def _actor(self) -> PartActor | None:
        for node in self.ancestors:
            if isinstance(node, PartActor):
                return node
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        kind, ident = self.current
        if action == REFUSED:
            name = str(parameters[0]) if parameters else ""
            return self._fits(name, kind, ident) and self._refusal(name, kind, ident) is not None
        if action in FITS:
            return self._fits(action, kind, ident) and self._refusal(action, kind, ident) is None
        return super().check_action(action, parameters)

    @staticmethod
    def _fits(action: str, kind: str, ident: int | None) -> bool:
        return kind in FITS.get(action, set()) and (action == "part_add" or ident is not None)

    def _refusal(self, action: str, kind: str, ident: int | None) -> str | None:
        actor = self._actor()
        return actor.part_refusal(action, kind, ident) if actor is not None else None

    def action_refused(self, action: str) -> None:
        why = self._refusal(action, *self.current)
        if why:
            self.notify(why, title="Not allowed", severity="warning", timeout=8)

    def _act(self, action: str) -> None:
        actor = self._actor()
        if actor is not None:
            actor.part_action(action, *self.current)

    def action_part_add(self) -> None:
        self._act("part_add")

    def action_part_edit(self) -> None:
        self._act("part_edit")

    def action_part_done(self) -> None:
        self._act("part_done")

    def action_part_delete(self) -> None:
        self._act("part_delete")

    def action_part_up(self) -> None:
        self._act("part_up")

    def action_part_down(self) -> None:
        self._act("part_down")

    def action_part_check_in(self) -> None:
        self._act("part_check_in")

    def action_part_history(self) -> None:
        self._act("part_history")

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, ident = self.current
        if ident is None:
            self._act("part_add")
        elif kind == "kr":
            self._act("part_history")
        elif kind == "task":
            self._act("part_open")
        else:
            self._act("part_edit")

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._follow()

    def _follow(self) -> None:
        """The footer shows the keys of the kind of part under the cursor."""
        kind, ident = self.current
        state = f"{kind}:{ident is not None}"
        if state != self._kind:
            self._kind = state
            self.refresh_bindings()


def _header(kind: str, count: int) -> Option:
    title = SECTIONS[kind] if not count else f"{SECTIONS[kind]} ({count})"
    return Option(Text(f"\n{title}" if kind != "kr" else title, style="bold"), id=f"head:{kind}", disabled=True)


def _milestone_line(m: MilestoneView) -> Text:
    text = Text()
    text.append("✓ " if m.done else "○ ", style=tone("ok") if m.done else "")
    text.append(m.title, style=tone("struck") if m.done else "")
    if m.due is not None:
        text.append(f"  due {day_label(m.due)}", style=tone("error") if m.late else tone("muted"))
    if m.late:
        text.append(" · late", style=tone("late"))
    if m.tasks:
        text.append(f" · {m.tasks_done}/{m.tasks} tasks", style=tone("muted"))
    if not m.done:
        text.append(f" · {percent(m.progress)}", style=tone("muted"))
    return text


def _task_line(task: TaskRow, milestones: dict[int, str], today: date) -> Text:
    text = Text()
    overdue = task.status != "done" and task.deadline is not None and task.deadline < today
    text.append(f"{TASK_MARK.get(task.status, '?')} ", style=tone("error") if task.status == "blocked" else "")
    text.append(truncate(task.title, 60), style=tone("muted") if task.status == "done" else "")
    extra = []
    if task.owner:
        extra.append(f"@{task.owner}")
    else:
        extra.append("no owner")
    if task.milestone_id in milestones:
        extra.append(f"› {truncate(milestones[task.milestone_id], 18)}")
    text.append("  " + " · ".join(extra), style=tone("muted"))
    if task.deadline is not None:
        text.append(f" · {day_label(task.deadline)}", style=tone("late") if overdue else tone("muted"))
        if overdue:
            text.append(" overdue", style=tone("late"))
    return text
