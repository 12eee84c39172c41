"""Extension instances, created unbound and bound to the app in ``create_app``."""

from __future__ import annotations

import select
import sqlite3
from typing import Any

from flask_babel import Babel
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool

from campaign.redis_client import RedisQueues


class Base(DeclarativeBase):
    #: stable constraint names, so migrations can drop and alter them on every database
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite (the newcomer's database) in WAL mode: the web process, the worker and the
    outbox's own connection read while another writes, instead of failing with "locked"."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


@event.listens_for(Pool, "checkout")
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


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
login_manager.session_protection = "basic"  # "strong" logs Tor users out on every circuit change
login_manager.login_view = "accounts.login"
login_manager.login_message = None
babel = Babel()
mail = Mail()
csrf = CSRFProtect()
queues = RedisQueues()
