"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL when
``OKRATE_TEST_PG_URL`` names a server), a frozen clock, and a small organisation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from okrate_tui.core import clock
from okrate_tui.core.db import close_db, open_db

TODAY = date(2026, 11, 26)
PG_ENV = "OKRATE_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Freeze the clock and keep the developer's own data, config and identity out."""
    clock.freeze(TODAY)
    monkeypatch.setenv("OKRATE_TODAY", TODAY.isoformat())
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    for name in ("OKRATE_DB", "OKRATE_AS", "OKRATE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    yield
    clock.freeze(None)
    close_db()


def _pg_url(worker: str) -> str:
    """A database of this test worker's own on the test server, emptied."""
    import psycopg2

    base = os.environ[PG_ENV]
    name = f"okrate_test_{worker}"
    admin = psycopg2.connect(base)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    url = base.rsplit("/", 1)[0] + f"/{name}"
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    conn.close()
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database on each backend."""
    request.node.user_properties.append(("backend", request.param))
    if request.param == "postgresql":
        if not os.environ.get(PG_ENV):
            pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://… (.ci/run sets it)")
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        return _pg_url(worker)
    return str(tmp_path / "okrate.db")


@pytest.fixture
def db(db_url: str):
    """An open, migrated, empty database."""
    database = open_db(db_url, create=True)
    yield database
    close_db()


@pytest.fixture
def sqlite_db(tmp_path: Path):
    """An open SQLite database (for tests of SQLite-only behaviour)."""
    database = open_db(str(tmp_path / "okrate.db"), create=True)
    yield database
    close_db()


@pytest.fixture
def org(db) -> SimpleNamespace:
    """A tiny organisation: an admin, a manager, two members, a cycle and two goals."""
    from okrate_tui.core.services import cycles, goals, people

    admin = people.create_person(None, "ada", "Ada Admin")
    team = people.create_team(admin, "Core")
    boss = people.create_person(admin, "max", "Max Manager", role="manager", team="Core", manager="ada")
    mia = people.create_person(admin, "mia", "Mia Member", team="Core", manager="max")
    ben = people.create_person(admin, "ben", "Ben Member", team="Core", manager="max")
    cycle = cycles.create_cycle(admin, "2026 Q4", "2026-10-01", "2026-12-31", state="active")
    top = goals.create_goal(admin, "Grow revenue", owner="ada")
    child = goals.create_goal(admin, "Win accounts", parent=top.id, owner="max")
    return SimpleNamespace(admin=admin, team=team, boss=boss, mia=mia, ben=ben, cycle=cycle, top=top, child=child)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--chaos-steps", default="0", help="keys in the long chaos walk (pytest -m chaos)")
    parser.addoption("--chaos-walks", default="1", help="how many long chaos walks, each with its own seed")


def pytest_report_header(config: pytest.Config) -> str:
    if os.environ.get(PG_ENV):
        return f"backends: SQLite and PostgreSQL ({PG_ENV} is set)"
    return f"backends: SQLite only; PostgreSQL tests are skipped until {PG_ENV} names a server"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say how the suite did on each backend."""
    per: dict[str, dict[str, int]] = {name: {} for name in BACKENDS}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            backend = dict(getattr(report, "user_properties", ())).get("backend")
            if backend is None or (outcome == "passed" and report.when != "call"):
                continue
            per[backend][outcome] = per[backend].get(outcome, 0) + 1
    terminalreporter.write_sep("-", "backends")
    for name, counts in per.items():
        shown = ", ".join(f"{n} {o}" for o, n in counts.items()) or "none"
        label = "SQLite" if name == "sqlite" else "PostgreSQL"
        terminalreporter.write_line(f"{label} backend tests: {shown}")
