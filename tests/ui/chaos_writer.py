"""Another session for the chaos test: edits, moves and deletes random tasks, goals and
talking points on the same database, as several people, until it is stopped.

    python -m tests.ui.chaos_writer URL SEED [WRITES_PER_SECOND]
"""

from __future__ import annotations

import contextlib
import random
import sys
import time

from okrate_tui.core.db import open_db
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.models import Goal, OneOnOne, Person, TalkingPoint, Task
from okrate_tui.core.services import goals, reviews, tasks
from okrate_tui.core.services.cycles import current_cycle
from okrate_tui.core.vocab import PRIORITIES, TASK_STATUSES


def step(rng: random.Random) -> str:
    people = list(Person.select().where(Person.active == True))  # noqa: E712
    who = rng.choice(people)
    admin = Person.get(Person.role == "admin")
    cycle = current_cycle()
    if cycle is None:
        return "no cycle"
    task = Task.select().where(Task.cycle == cycle.id).order_by(Task.id).offset(rng.randrange(60)).first()
    goal = Goal.select().where(Goal.cycle == cycle.id).order_by(Goal.id).offset(rng.randrange(12)).first()
    roll = rng.random()
    if task is not None and roll < 0.35:
        tasks.move_task(who, task.id, None, rng.choice(TASK_STATUSES))
        return f"move task {task.id}"
    if task is not None and roll < 0.5:
        tasks.edit_task(who, task.id, None, priority=rng.choice((*PRIORITIES, None)), title=f"{task.title[:40]}!")
        return f"edit task {task.id}"
    if goal is not None and roll < 0.6:
        tasks.create_task(who, f"Chaos task {rng.randrange(10_000)}", goal=goal.id, deadline="2026-11-30")
        return "add task"
    if task is not None and roll < 0.7:
        tasks.delete_task(who, task.id, None)
        return f"delete task {task.id}"
    if goal is not None and roll < 0.8:
        goals.edit_goal(admin, goal.id, None, title=f"{goal.title[:60]}*")
        return f"edit goal {goal.id}"
    if goal is not None and roll < 0.84:
        goals.archive_goal(admin, goal.id, None, not goal.archived)
        return f"archive goal {goal.id}"
    meeting = OneOnOne.select().order_by(OneOnOne.id.desc()).first()
    if meeting is not None and roll < 0.95:
        manager = Person.get_by_id(meeting.manager_id)
        reviews.add_talking_point(manager, meeting.id, f"Chaos point {rng.randrange(1000)}", private=rng.random() < 0.3)
        return "add point"
    point = TalkingPoint.select().order_by(TalkingPoint.id.desc()).first()
    if point is not None and meeting is not None:
        manager = Person.get_by_id(meeting.manager_id)
        reviews.check_talking_point(manager, point.id, None, not point.done)
        return "check point"
    return "nothing"


def main() -> None:
    url, seed = sys.argv[1], int(sys.argv[2])
    rate = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    open_db(url)
    rng = random.Random(seed)
    while True:
        with contextlib.suppress(OkrateError):  # refused (a closed cycle, a clash): an ordinary day
            step(rng)
        time.sleep(rng.uniform(0.5, 1.5) / rate)


if __name__ == "__main__":
    main()
