"""Ending the app's PostgreSQL connections from the server's side, as a restart or failover does."""

from __future__ import annotations

import psycopg
import pytest

from campaign.extensions import db
from tests.workers import wait_until


def end_server_connections() -> None:
    """Terminate every other backend of the test database and wait until they are gone, so that
    the connections idle in the app's pool are closed under it. Skips the test on SQLite."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to go away")
    db.session.remove()
    url = db.engine.url.set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(url, autocommit=True) as admin:  # autocommit: each look sees the present
        ended = [
            pid
            for pid, _ in admin.execute(
                "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ]
        assert ended
        # the backends end a moment later, and only then have they closed their connections
        still = "SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)"
        assert wait_until(lambda: admin.execute(still, (ended,)).fetchone() is None)
