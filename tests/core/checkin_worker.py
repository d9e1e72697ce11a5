"""A separate process that checks in on key results, or edits their titles, through the
services, for the contention test.

Usage: python -m tests.core.checkin_worker URL HANDLE MODE COUNT SEED
``checkin``: COUNT check-ins on key results picked at random (none may be refused).
``title``: COUNT times, a title edit with the version just read (it must land, whatever
check-ins moved the version meanwhile), then another with that same version, which is
stale by the first edit's own title change (it must be refused as a conflict).
Prints JSON: what was done, refused and detected.
"""

from __future__ import annotations

import json
import random
import sys

from okrate_tui.core.db import open_db
from okrate_tui.core.errors import ConflictError, OkrateError
from okrate_tui.core.models import KeyResult
from okrate_tui.core.services import key_results
from okrate_tui.core.services.people import find_person


def main() -> None:
    url, handle, mode, count, seed = sys.argv[1:6]
    open_db(url)
    actor = find_person(handle)
    rng = random.Random(int(seed))
    ids = [kr.id for kr in KeyResult.select(KeyResult.id).order_by(KeyResult.id)]
    done, refused, detected, missed = 0, [], 0, 0
    for index in range(int(count)):
        if mode == "checkin":
            try:
                key_results.check_in(actor, rng.choice(ids), rng.randrange(100), note=f"{handle} {index}")
                done += 1
            except OkrateError as exc:
                refused.append(str(exc))
            continue
        kr_id = ids[int(seed) % len(ids)]
        seen = KeyResult.get_by_id(kr_id).version
        try:
            key_results.update_key_result(actor, kr_id, seen, title=f"{handle} title {index}")
            done += 1
        except OkrateError as exc:
            refused.append(str(exc))
            continue
        try:
            key_results.update_key_result(actor, kr_id, seen, title=f"{handle} stale {index}")
            missed += 1  # a real conflict that went unseen
        except ConflictError:
            detected += 1
    print(json.dumps({"done": done, "refused": refused, "detected": detected, "missed": missed}))


if __name__ == "__main__":
    main()
