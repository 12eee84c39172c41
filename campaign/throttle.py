"""Fixed-window attempt counters in Redis, for the limits Flask-Limiter's decorators cannot express."""

from __future__ import annotations

import logging
import time

from flask import current_app

from campaign.extensions import queues

log = logging.getLogger(__name__)


def throttle(name: str, key: str, limit: int, window: int, *, fail_closed: bool) -> bool:
    """Count one attempt in a fixed window; False once ``limit`` is passed.

    ``fail_closed`` decides what an unreachable Redis means: refuse (login) or allow (signing,
    whose signatures stay reviewable by their IP hash).
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    bucket = f"campaign:throttle:{name}:{key}:{int(time.time() // window)}"
    try:
        with queues.connection.pipeline() as pipe:
            count, _ = pipe.incr(bucket).expire(bucket, window).execute()
    except Exception:
        log.warning(
            "throttle %s unavailable (fail %s)", name, "closed" if fail_closed else "open", exc_info=True
        )
        return not fail_closed
    return int(count) <= limit
