"""Versioned schema migrations, applied in order by :mod:`okrate_tui.core.migrate`.

To change the schema: change the live models, then add ``mNNNN_what.py`` with an
``up(db)`` that brings a database at the previous version to the new one (use
``playhouse.migrate`` for columns and frozen model copies for new tables), and list it
below. Never edit a migration that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from peewee import Database

from okrate_tui.core.migrations import (
    m0001_initial,
    m0002_action_items,
    m0003_server,
    m0004_milestone_order_corrections,
    m0005_preferences,
    m0006_status_reason,
    m0007_server_sessions,
    m0008_counts_and_outcome,
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    up: Callable[[Database], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", m0001_initial.up),
    Migration(2, "action items: talking points that became tasks", m0002_action_items.up),
    Migration(3, "SSH keys and the server's access log", m0003_server.up),
    Migration(4, "milestone order; corrected check-ins", m0004_milestone_order_corrections.up),
    Migration(5, "what each person's sessions remember", m0005_preferences.up),
    Migration(6, "why a goal's status is what it is, when the close set it", m0006_status_reason.up),
    Migration(7, "the open sessions of a team server", m0007_server_sessions.up),
    Migration(8, "count key results; progress from the outcome; carried tasks stay done", m0008_counts_and_outcome.up),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
