"""A separate process that edits tasks through the services, for concurrency tests.

Usage: python -m tests.core.edit_worker URL HANDLE FIELD EDITS SEED
Each edit reads a task, waits a moment (a person's think time), then writes FIELD with
the version it read; a conflict re-reads and tries again. Prints JSON: the last value
it wrote per task, and how many edits and conflicts it had.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import date, timedelta

from okrate_tui.core.db import open_db
from okrate_tui.core.errors import ConflictError
from okrate_tui.core.models import Task
from okrate_tui.core.services import tasks
from okrate_tui.core.services.people import find_person


def value_for(field: str, worker: str, index: int):
    if field == "deadline":
        return (date(2027, 1, 1) + timedelta(days=index)).isoformat()
    if field == "priority":
        return ("low", "medium", "high", "critical")[index % 4]
    return f"{worker}-{index}"


def main() -> None:
    url, handle, field, edits, seed = sys.argv[1:6]
    open_db(url, create=True)
    actor = find_person(handle)
    rng = random.Random(int(seed))
    ids = [t.id for t in Task.select(Task.id).order_by(Task.id)]
    last: dict[int, object] = {}
    conflicts = 0
    for index in range(int(edits)):
        task_id = rng.choice(ids)
        wanted = value_for(field, handle, index)
        while True:
            seen = Task.get_by_id(task_id)
            time.sleep(rng.random() / 1000)
            try:
                if field == "append":
                    tasks.edit_task(
                        actor,
                        task_id,
                        seen.version,
                        context=(seen.context + f" {handle}:{index}").strip(),
                    )
                else:
                    tasks.edit_task(actor, task_id, seen.version, **{field: wanted})
                break
            except ConflictError:
                conflicts += 1
        last[task_id] = wanted
    print(json.dumps({"last": last, "conflicts": conflicts, "edits": int(edits)}))


if __name__ == "__main__":
    main()
