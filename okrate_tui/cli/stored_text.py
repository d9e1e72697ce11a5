"""Which command arguments are stored as text, and which only name or choose something.

Every argument of every command that takes free text is in one of the two tables below;
a test walks the whole command table and fails for one that is in neither, so a command
added later is pushed through the hostile-text corpus like the others. Each command
that stores text declares itself a route of :mod:`okrate_tui.core.inputs`.
"""

from __future__ import annotations

from okrate_tui.core.inputs import declare

# command words → argument (its dest) → the column it fills
STORED: dict[str, dict[str, str]] = {
    "task add": {"title": "task.title", "objective": "task.objective"},
    "task edit": {"title": "task.title", "objective": "task.objective", "context": "task.context"},
    "goal add": {"title": "goal.title", "description": "goal.description"},
    "goal edit": {"title": "goal.title", "description": "goal.description"},
    "kr add": {"title": "key_result.title", "unit": "key_result.unit"},
    "kr edit": {"title": "key_result.title", "unit": "key_result.unit"},
    "kr checkin": {"note": "check_in.note"},
    "kr correct": {"note": "check_in.note"},
    "milestone add": {"title": "milestone.title"},
    "milestone edit": {"title": "milestone.title"},
    "person add": {"handle": "person.handle", "name": "person.name"},
    "person edit": {"name": "person.name"},
    "team add": {"name": "team.name"},
    "team rename": {"name": "team.name"},
    "cycle add": {"name": "cycle.name"},
    "server init": {"admin": "person.handle", "name": "person.name"},
}

# Arguments that name a record or a person, choose from a list, give a number, a date or
# a path: read, looked up or parsed, never stored as they were typed.
LOOKED_UP = frozenset(
    {
        # people, teams, cycles and goals named by handle, name, title or id
        "owner",
        "manager",
        "team",
        "cycle",
        "handle",
        "person",
        "other",
        "admin",
        "parent",
        "goal",
        "project",
        # parsed values and choices
        "priority",
        "status",
        "state",
        "level",
        "kind",
        "direction",
        "weight",
        "target",
        "baseline",
        "value",
        "confidence",
        "deadline",
        "due",
        "due_before",
        "starts",
        "ends",
        "date",
        "within",
        "map",
        "role",
        # files, places and switches
        "file",
        "keyfile",
        "key",
        "key_id",
        "out",
        "dest",
        "account",
        "home",
        "database",
        "host",
        "public_url",
    }
)

for _command, _arguments in STORED.items():
    declare("command", _command, *sorted(set(_arguments.values())), module=__name__)
declare("command", "keys add", "ssh_key.comment", module=__name__)  # the comment of the key file read
