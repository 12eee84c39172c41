"""The app's engines: what each new or pooled connection is checked and set up with.

Attached to the engines of the app in ``create_app`` (never at import to every ``Engine`` and
``Pool`` in the process, Alembic's and other tools' included).
"""

from __future__ import annotations

import select
import sqlite3
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError

from campaign.extensions import db


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite (the newcomer's database) in WAL mode: the web process, the worker and the
    outbox's own connection read while another writes, instead of failing with "locked"."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def _drop_closed_connections(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled PostgreSQL connection whose server went away (a restart, a failover) is
    replaced before use, so the request gets a fresh connection rather than an error.

    ``pool_pre_ping`` would ask the server on every checkout, a round trip on every request;
    an idle connection's socket has nothing to read unless the server has closed it (or sent
    a notice, which costs only a reconnect), and one ``select`` with no timeout tells that.
    """
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is None:  # SQLite: nothing to lose
        return
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection is closed")
    readable, _, _ = select.select([pgconn.socket], [], [], 0)
    if readable:
        raise DisconnectionError("the server has closed the connection")


def init_app(app: Flask) -> None:
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkout", _drop_closed_connections)
