"""The fixed vocabularies of the domain, with the labels people see."""

from __future__ import annotations

ROLES = ("member", "manager", "admin")

CYCLE_STATES = ("planning", "active", "review", "closed")
# How a state reads after "2026 Q4 is …".
CYCLE_STATE_PHRASES = {"planning": "in planning", "active": "active", "review": "in review", "closed": "closed"}

GOAL_LEVELS = ("company", "team", "individual")
# A goal's status is set by a person; when unset it follows pace (see rules.pace).
GOAL_STATUSES = ("on_track", "at_risk", "off_track", "done", "missed", "dropped")
GOAL_STATUS_LABELS = {
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "done": "done",
    "missed": "missed",
    "dropped": "dropped",
    "unmeasured": "not measured",
}

KR_KINDS = ("numeric", "count", "percent", "currency", "binary")  # a count holds whole numbers
DIRECTIONS = ("increase", "decrease", "stay_above", "stay_below")

PRIORITIES = ("low", "medium", "high", "critical")
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, None: 4}

TASK_STATUSES = ("todo", "doing", "blocked", "done")
TASK_STATUS_LABELS = {"todo": "To do", "doing": "Doing", "blocked": "Blocked", "done": "Done"}
OPEN_STATUSES = ("todo", "doing", "blocked")

REVIEW_KINDS = ("self", "manager", "peer")
REVIEW_STATES = ("draft", "submitted", "calibrated")
