"""``GET /healthz``: 200 once the app reaches its database (and says whether Redis answers)."""

from __future__ import annotations

import redis
from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from campaign.extensions import db, queues

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:
        return jsonify(status="error", database=type(error).__name__), 503
    try:
        redis_ok = bool(queues.connection.ping())
    except (redis.RedisError, OSError):
        redis_ok = False
    return jsonify(status="ok", database="ok", redis="ok" if redis_ok else "unavailable"), 200
