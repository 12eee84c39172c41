"""When the database or Redis is down or saturated: an answer within a second, never a hang.

A public page is then served from the render cache if this process ever rendered it (whatever
its age: a stale count beats no page), and otherwise, as is every other request, a short page
in the visitor's language with ``503`` and ``Retry-After``. A signing POST that could not be
stored says so: its transaction rolled back whole, nothing of it is kept. PostgreSQL
connections give up after ``DATABASE_CONNECT_TIMEOUT`` seconds (libpq's least is 2) and a
request waits at most ``DATABASE_POOL_TIMEOUT`` for a pooled one.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
import redis
from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from campaign import page_cache
from campaign.extensions import db

log = logging.getLogger(__name__)

#: what an outage raises: the database unreachable or refusing, the pool exhausted, Redis gone
OUTAGES = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    psycopg.OperationalError,
    redis.ConnectionError,
    redis.TimeoutError,
)
READING = _l("This page cannot be shown just now. Please try again in a minute.")
WRITING = _l(
    "What you sent could not be stored just now, and nothing of it was kept. Please try again in a minute."
)


def engine_options(database_uri: str, connect_timeout: int, pool_timeout: float) -> dict[str, Any]:
    """SQLAlchemy engine options that make a down or saturated PostgreSQL fail fast."""
    if not database_uri.startswith("postgresql"):
        return {}
    return {"pool_timeout": pool_timeout, "connect_args": {"connect_timeout": connect_timeout}}


def unavailable(error: Exception) -> Response | tuple[Response | str, int, dict[str, str]]:
    log.warning("dependency unavailable on %s %s: %s", request.method, request.path, type(error).__name__)
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be what failed
        log.debug("rollback after an outage failed", exc_info=True)
    cached = page_cache.stale()
    if cached is not None:
        cached.headers["Cache-Control"] = "public, max-age=5"
        return cached
    retry = {"Retry-After": str(current_app.config["RETRY_AFTER_SECONDS"])}
    message = READING if request.method in ("GET", "HEAD") else WRITING
    if request.path.startswith("/api/"):
        return jsonify(error=str(message), status=503), 503, retry
    return render_template("unavailable.html", message=message), 503, retry


def init_app(app: Flask) -> None:
    for error in OUTAGES:
        app.register_error_handler(error, unavailable)
