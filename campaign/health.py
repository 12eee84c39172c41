"""``GET /healthz``: what a load balancer asks before sending a host traffic.

503 while the database is unreachable (the host can do nothing useful); 200 otherwise, naming
what is missing: without Redis, pages are still served and signatures stored (their mail waits
in the outbox), so a host is not taken out of rotation for it. Each dependency is named with
the kind of error only: an error's message can hold a host name or a user.
"""

from __future__ import annotations

import redis
from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from campaign.extensions import db, queues
from campaign.overload import OUTAGES

bp = Blueprint("health", __name__)


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except OUTAGES as error:
        db.session.rollback()
        return type(error).__name__
    return "ok"


def _redis() -> str:
    try:
        queues.connection.ping()
    except (redis.RedisError, OSError) as error:
        return type(error).__name__
    return "ok"


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    checks = {"database": _database(), "redis": _redis()}
    missing = [name for name, state in checks.items() if state != "ok"]
    status = "ok" if not missing else "unavailable" if "database" in missing else "degraded"
    body = jsonify(status=status, missing=missing, **checks)
    body.headers["Cache-Control"] = "no-store"
    return body, 503 if "database" in missing else 200
