"""Password guessing slowed, without letting a stranger lock an owner out of their account.

Failures are counted per address and per account-and-address (both keyed hashes), never per
account alone: ten wrong passwords from anywhere used to shut the owner out for 15 minutes. A
counter allows a few failures, then each further one makes the next attempt wait twice as long
as the last (2 s, 4 s, 8 s … up to 15 minutes); the wait is the 429's ``Retry-After``. A correct
password clears its account-and-address counter. A botnet gets a few guesses per address, and
a password alone still does not log in (the second factor does).
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

from flask import current_app

from campaign.extensions import queues
from campaign.redis_client import REDIS_ERRORS
from campaign.security import ip_hash, keyed_hash
from campaign.throttle import ThrottleUnavailable

#: the longest a counter makes anyone wait
MAX_DELAY_SECONDS = 900
#: a counter left alone this long starts again from nothing
FORGET_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Counter:
    key: str
    #: failures allowed before the waits begin
    free: int


def counters(email: str) -> tuple[Counter, Counter]:
    """This address's counter (an office or a Tor exit is many people: more failures allowed),
    and this account's from this address."""
    address = ip_hash()
    return (
        Counter(f"campaign:login:ip:{address}", 20),
        Counter(f"campaign:login:account-ip:{keyed_hash('login', f'{email}|{address}')}", 5),
    )


def delay(failures: int, free: int) -> int:
    return 0 if failures <= free else min(2 ** (failures - free), MAX_DELAY_SECONDS)


def wait_seconds(keys: tuple[Counter, ...]) -> int:
    """Seconds before another attempt is allowed (0: now). Raises ThrottleUnavailable."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return 0
    try:
        untils = queues.connection.mget([f"{counter.key}:until" for counter in keys])
    except REDIS_ERRORS as error:
        raise ThrottleUnavailable("login") from error
    now = time.time()
    return max((math.ceil(float(until) - now) for until in untils if until is not None), default=0) or 0


def record_failure(keys: tuple[Counter, ...]) -> None:
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    try:
        with queues.connection.pipeline(transaction=False) as pipe:
            for counter in keys:
                pipe.incr(f"{counter.key}:failures")
                pipe.expire(f"{counter.key}:failures", FORGET_SECONDS)
            results = pipe.execute()
        now = time.time()
        with queues.connection.pipeline(transaction=False) as pipe:
            for counter, failures in zip(keys, results[::2], strict=True):
                if wait := delay(int(failures), counter.free):
                    pipe.set(f"{counter.key}:until", now + wait, ex=wait)
            pipe.execute()
    except REDIS_ERRORS as error:
        raise ThrottleUnavailable("login") from error


def forget(counter: Counter) -> None:
    with contextlib.suppress(*REDIS_ERRORS):  # else it runs out on its own
        queues.connection.delete(f"{counter.key}:failures", f"{counter.key}:until")
