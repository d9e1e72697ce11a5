"""Closing a cycle: whether its carried goals keep their progress or start afresh, asked
after a dry run of the close said where each would start."""

from __future__ import annotations

from okrate_tui.core.services.carry_over import CarrySummary
from okrate_tui.core.wording import plural
from okrate_tui.ui.host import Host
from okrate_tui.ui.screens.picker import Choice, PickerScreen

DONE = "done"


async def ask_resets(host: Host, rehearsal: CarrySummary) -> bool | set[int] | None:
    """Keep every carried goal's progress (False), reset them all (True) or the ones
    chosen (their ids); None when the person stepped back."""
    if not rehearsal.carried:
        return False
    count = plural(len(rehearsal.carried), "carried goal")
    answer = await host.push_screen_wait(
        PickerScreen(
            f"Progress of the {count} in {rehearsal.into}…",
            [
                Choice("keep", "Keep it: each starts where it stood (its done work counts)", "keep stood"),
                Choice("all", "Reset every one: each measures only the new cycle", "reset all"),
                Choice("choose", "Choose the goals to reset…", "choose some"),
            ],
            hint=rehearsal.progress_sentence(),
        )
    )
    if answer is None:
        return None
    if answer != "choose":
        return answer == "all"
    return await _choose(host, rehearsal)


async def _choose(host: Host, rehearsal: CarrySummary) -> set[int] | None:
    """Toggle goals one at a time until "Done"."""
    chosen: set[int] = set()
    while True:
        choices = [Choice(DONE, f"Done: reset {plural(len(chosen), 'goal')}", "done")]
        for goal_id, title, progress in rehearsal.carried:
            mark = "☑" if goal_id in chosen else "☐"
            choices.append(Choice(goal_id, f"{mark} {title} · {round(progress * 100)}%", title))
        picked = await host.push_screen_wait(
            PickerScreen("Reset which goals? Enter toggles one", choices, hint="esc steps back")
        )
        if picked is None:
            return None
        if picked == DONE:
            return chosen
        chosen ^= {picked}
