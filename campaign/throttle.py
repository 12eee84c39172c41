"""Rate limits and attempt counters: fixed windows in Redis, keyed by what callers choose
(the keyed hash of an address, an account), counted in one round trip however many apply.

Flask-Limiter did this for the views at first; its bookkeeping on every request of the app,
limited or not, came to a twelfth of what a signing request cost, for counters this small.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import redis
from flask import current_app, request
from redis.commands.core import Script
from werkzeug.exceptions import TooManyRequests

from campaign.extensions import queues
from campaign.security import ip_hash

log = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., Any])

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_LIMIT = re.compile(r"(\d+)\s*(?:per|/)\s*(\d*)\s*(second|minute|hour|day)s?")


class ThrottleUnavailable(Exception):
    """The counters cannot be reached, so whether the limit is passed is unknown."""


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` attempts named ``name`` for ``key`` in a window of ``window`` seconds."""

    name: str
    key: str
    limit: int
    window: int


@functools.lru_cache(maxsize=64)
def parse_limits(text: str) -> tuple[tuple[int, int], ...]:
    """``"20 per minute;200 per hour"`` as ((20, 60), (200, 3600)): (attempts, window in seconds)."""
    limits = []
    for part in text.split(";"):
        match = _LIMIT.fullmatch(part.strip().lower())
        if match is None:
            raise ValueError(f"not a rate limit: {part!r} (write it like '20 per minute')")
        amount, multiple, period = match.groups()
        limits.append((int(amount), int(multiple or 1) * _PERIODS[period]))
    return tuple(limits)


def rate_limits(name: str, key: str, text: str) -> list[Limit]:
    """The limits ``text`` spells, one counter each, for ``key``."""
    return [Limit(f"{name}/{window}", key, amount, window) for amount, window in parse_limits(text)]


def count_attempts(limits: Sequence[Limit]) -> list[bool]:
    """Count one attempt against each of ``limits``, in one command to Redis; for each, False
    once it is passed. A window starts with its first attempt.

    Raises ThrottleUnavailable when Redis cannot be reached, for callers that must tell
    "too many attempts" from "cannot count attempts right now" (login fails closed and says so).
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return [True] * len(limits)
    try:
        counts = _count_script()(
            keys=[f"campaign:throttle:{limit.name}:{limit.key}" for limit in limits],
            args=[limit.window for limit in limits],
        )
    except (redis.RedisError, OSError) as error:
        log.warning("throttles %s unavailable", [limit.name for limit in limits], exc_info=True)
        raise ThrottleUnavailable(limits[0].name) from error
    return [int(count) <= limit.limit for count, limit in zip(counts, limits, strict=True)]


#: for each counter, with its window in seconds in ARGV: start the window with the first
#: attempt, then count this one (one command for all, where a pipeline costs a few each)
_COUNT = """
local counts = {}
for i, counter in ipairs(KEYS) do
  redis.call('SET', counter, 0, 'EX', ARGV[i], 'NX')
  counts[i] = redis.call('INCR', counter)
end
return counts
"""


def _count_script() -> Script:
    extensions = current_app.extensions
    if "campaign.throttle" not in extensions:
        extensions["campaign.throttle"] = queues.connection.register_script(_COUNT)
    return extensions["campaign.throttle"]


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


def wait_for(limits: Sequence[Limit], allowed: Sequence[bool]) -> int | None:
    """Seconds to wait before trying again (the longest window among the limits passed: an
    upper bound, as a window may have begun before this one), or None if none is passed."""
    return max((limit.window for limit, ok in zip(limits, allowed, strict=True) if not ok), default=None)


def rate_limit(text: str, methods: Collection[str] | None = None) -> Callable[[View], View]:
    """A view answers 429 to an address (its keyed hash) past ``text`` ("5 per minute;30 per
    hour") requests of ``methods`` (all, if None). Fails open while Redis is down: those pages'
    own checks (login's attempt counters, tokens, CSRF) still hold."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            if methods is None or request.method in methods:
                limits = rate_limits(f"view:{request.endpoint}", ip_hash(), text)
                try:
                    allowed = count_attempts(limits)
                except ThrottleUnavailable:
                    allowed = [True] * len(limits)
                if retry_after := wait_for(limits, allowed):
                    raise TooManyRequests(retry_after=retry_after)
            return view(*args, **kwargs)

        return cast(View, limited)

    return decorate
