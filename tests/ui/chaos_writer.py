"""Another session for the chaos test: edits, moves and deletes random tasks, goals and
talking points on the same database, as several people, until it is stopped. Given a
PostgreSQL server of the test's own, it also stops that server now and then (for a second
or three) and starts it again, so that every action of the app meets an outage.

    python -m tests.ui.chaos_writer URL SEED [WRITES_PER_SECOND [PG_FOLDER PG_PORT]]
"""

from __future__ import annotations

import contextlib
import random
import signal
import sys
import time

from okrate_tui.core.db import close_db, open_db
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


class Outages:
    """Stops the server for a while, then starts it again, at random moments."""

    def __init__(self, folder: str, port: int, rng: random.Random) -> None:
        from tests.pg_server import PgServer

        self.server = PgServer.attach(folder, port)
        self.rng = rng
        self.down = False
        self.next = time.monotonic() + rng.uniform(0.5, 2.0)
        self.count = 0

    def tick(self) -> None:
        if time.monotonic() < self.next:
            return
        if self.down:
            self.server.start()
            self.next = time.monotonic() + self.rng.uniform(1.5, 4.0)
        else:
            self.server.stop()
            self.count += 1
            self.next = time.monotonic() + self.rng.uniform(0.5, 3.0)
        self.down = not self.down

    def end(self) -> None:
        """Leave the server running (the test reads the database afterwards)."""
        self.server.ensure_up()


def main() -> None:
    url, seed = sys.argv[1], int(sys.argv[2])
    rate = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    rng = random.Random(seed)
    outages = Outages(sys.argv[4], int(sys.argv[5]), rng) if len(sys.argv) > 5 else None
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    open_db(url)
    while not stopping:
        if outages is not None:
            outages.tick()
        try:
            step(rng)
        except OkrateError:  # refused (a closed cycle, a clash, the server away): an ordinary day
            if outages is not None:
                with contextlib.suppress(Exception):
                    close_db()  # a connection the server dropped is opened afresh next time
        except Exception:
            if outages is None:
                raise
            with contextlib.suppress(Exception):
                close_db()  # a read met the stopped server
        time.sleep(rng.uniform(0.5, 1.5) / rate)
    if outages is not None:
        outages.end()
        print(f"outages: {outages.count}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
