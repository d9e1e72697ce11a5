"""The read side returns typed, immutable read models whose ``as_dict()`` is the CLI's
documented ``--json`` shape, key for key and in order."""

from __future__ import annotations

from datetime import date

from okrate_tui.core.queries.analytics import analytics
from okrate_tui.core.services import tasks
from tests.conftest import TODAY


def test_analytics_as_dict_keeps_its_shape(org) -> None:
    tasks.create_task(org.mia, "Invite testers", goal=org.child.id, owner="mia")
    data = analytics(org.cycle.id, TODAY)
    assert data.weeks[0] == date(2026, 9, 28)  # the Monday of the cycle's first week
    shown = data.as_dict()
    assert list(shown) == [
        "cycle",
        "scope",
        "goals_by_status",
        "goals",
        "tasks",
        "workload",
        "weeks",
        "finished_per_week",
        "kr_progress_per_week",
    ]
    assert shown["cycle"] == {"id": org.cycle.id, "name": "2026 Q4"} and shown["weeks"][0] == "2026-09-28"
    assert shown["workload"] == [{"handle": "mia", "open": 1, "overdue": 0}]
    assert sum(shown["goals_by_status"].values()) == 2
