"""Fixed-window attempt counters in Redis, for the limits Flask-Limiter's decorators cannot express."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app

from campaign.extensions import queues

log = logging.getLogger(__name__)


class ThrottleUnavailable(Exception):
    """The counters cannot be reached, so whether the limit is passed is unknown."""


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` attempts named ``name`` for ``key`` in each window of ``window`` seconds."""

    name: str
    key: str
    limit: int
    window: int


def count_attempts(limits: Sequence[Limit]) -> list[bool]:
    """Count one attempt against each of ``limits`` (fixed windows), in one round trip to Redis;
    for each, False once it is passed.

    Raises ThrottleUnavailable when Redis cannot be reached, for callers that must tell
    "too many attempts" from "cannot count attempts right now" (login fails closed and says so).
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return [True] * len(limits)
    now = time.time()
    try:
        with queues.connection.pipeline(transaction=False) as pipe:
            for limit in limits:
                bucket = f"campaign:throttle:{limit.name}:{limit.key}:{int(now // limit.window)}"
                pipe.incr(bucket).expire(bucket, limit.window)
            replies = pipe.execute()
    except Exception as error:
        log.warning("throttles %s unavailable", [limit.name for limit in limits], exc_info=True)
        raise ThrottleUnavailable(limits[0].name) from error
    return [int(count) <= limit.limit for count, limit in zip(replies[::2], limits, strict=True)]


def count_attempt(name: str, key: str, limit: int, window: int) -> bool:
    """Like :func:`count_attempts`, for one limit."""
    return count_attempts([Limit(name, key, limit, window)])[0]


def throttle(name: str, key: str, limit: int, window: int, *, fail_closed: bool) -> bool:
    """Like :func:`count_attempt`; ``fail_closed`` decides what an unreachable Redis means:
    refuse (second factor) or allow (signing, whose signatures stay reviewable by their IP hash).
    """
    try:
        return count_attempt(name, key, limit, window)
    except ThrottleUnavailable:
        return not fail_closed
