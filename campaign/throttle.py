"""Fixed-window attempt counters in Redis, for the limits Flask-Limiter's decorators cannot express."""

from __future__ import annotations

import logging
import time

from flask import current_app

from campaign.extensions import queues

log = logging.getLogger(__name__)


class ThrottleUnavailable(Exception):
    """The counters cannot be reached, so whether the limit is passed is unknown."""


def count_attempt(name: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt in a fixed window; False once ``limit`` is passed.

    Raises ThrottleUnavailable when Redis cannot be reached, for callers that must tell
    "too many attempts" from "cannot count attempts right now" (login fails closed and says so).
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    bucket = f"campaign:throttle:{name}:{key}:{int(time.time() // window)}"
    try:
        with queues.connection.pipeline() as pipe:
            count, _ = pipe.incr(bucket).expire(bucket, window).execute()
    except Exception as error:
        log.warning("throttle %s unavailable", name, exc_info=True)
        raise ThrottleUnavailable(name) from error
    return int(count) <= limit


def throttle(name: str, key: str, limit: int, window: int, *, fail_closed: bool) -> bool:
    """Like :func:`count_attempt`; ``fail_closed`` decides what an unreachable Redis means:
    refuse (second factor) or allow (signing, whose signatures stay reviewable by their IP hash).
    """
    try:
        return count_attempt(name, key, limit, window)
    except ThrottleUnavailable:
        return not fail_closed
