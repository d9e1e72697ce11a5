"""The app on a PostgreSQL server of a test's own (``outage_server`` in conftest), as Maria
(proven, as a team server's key would prove her)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from okrate_tui.ui.app import OkrateApp
from tests.pg_server import PgServer


def server_app(server: PgServer) -> Callable[..., OkrateApp]:
    """A factory of apps on the server's database, as Maria."""
    import psycopg2

    conn = psycopg2.connect(server.url)
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM person WHERE handle = 'maria'")
        maria = cur.fetchone()[0]
    conn.close()

    def make(url: object = None) -> OkrateApp:
        return OkrateApp(
            url=str(url or server.url), person_id=maria, poll_seconds=0.05, blink=False, config_file=Path("config.toml")
        )

    return make
