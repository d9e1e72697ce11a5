"""Why a goal's numbers are what they are, in sentences: the goal detail panel and
``okrate goal show`` print the same ones."""

from __future__ import annotations

from okrate_tui.core.queries.details import GoalDetail
from okrate_tui.core.rules.progress import EXECUTION, OUTCOME
from okrate_tui.core.wording import plural

NOTHING_YET = "Nothing measures this goal yet: add a key result, a milestone or a task."


def _share(value: float) -> str:
    return f"{round(value * 100)}%"


def _plan(detail: GoalDetail) -> str:
    """'2 milestones and 5 tasks (3 done)': what the goal's own plan holds."""
    stones = len(detail.milestones)
    loose = next((part for part in detail.plan + detail.breakdown if part.kind == "tasks"), None)
    bits = [plural(stones, "milestone")] if stones else []
    if loose is not None:
        count = round(loose.weight)
        where = " outside them" if stones else ""
        bits.append(f"{plural(count, 'task')}{where} ({round(loose.progress * count)} done)")
    return " and ".join(bits)


def _by_hand(detail: GoalDetail) -> str:
    return " A status set by hand wins." if detail.manual_status else ""


def basis_sentences(detail: GoalDetail) -> list[str]:
    """What measures the goal, what does not, and what its status follows."""
    if detail.basis == OUTCOME:
        lines = ["Measured by its outcome: its key results and the sub-goals measured by theirs."]
        plan = _plan(detail)
        if plan:
            lines.append(f"Its plan is execution and never moves this number or the status: {plan}.")
        pace = f"Status follows pace: {_share(detail.expected)} expected by now"
        trails = f"; {_share(detail.progress)} trails it by more than 16 points." if detail.behind else "."
        lines.append(pace + trails + _by_hand(detail))
        return lines
    if detail.basis == EXECUTION:
        lines = [
            "No key result yet, so measured by its plan: each milestone counts 1, each task outside "
            "milestones 1, a sub-goal measured the same way its weight."
        ]
        items = plural(detail.due_items, "dated milestone or task", "dated milestones and tasks")
        if not detail.due_items:
            late = "nothing was due by today."
        elif not detail.late_items:
            late = f"everything due by today is done ({items})."
        else:
            verb = "is" if detail.late_items == 1 else "are"
            late = f"{detail.late_items} of the {items} due by today {verb} not done."
        lines.append("Status follows lateness, never how much is planned: " + late + _by_hand(detail))
        return lines
    return [NOTHING_YET]
