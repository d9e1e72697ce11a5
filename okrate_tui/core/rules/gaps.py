"""The two gaps between outcome and execution worth a manager's attention."""

from __future__ import annotations

WORK_NO_RESULT = "work done, metric not moving"
RESULT_NO_WORK = "metric moving, no task done behind it"


def gap(progress: float, measured: bool, tasks_total: int, tasks_done: int) -> str | None:
    """Most tasks done while the key results barely moved, or results moving while no
    task was done: both deserve a question."""
    if not measured:
        return None
    if tasks_total >= 3 and tasks_done / tasks_total >= 0.6 and progress < 0.25:
        return WORK_NO_RESULT
    if progress >= 0.4 and tasks_done == 0:
        return RESULT_NO_WORK
    return None
