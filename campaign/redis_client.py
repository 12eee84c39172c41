"""The Redis connection and the RQ queues, owned by the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import redis
from flask import Flask, current_app
from rq import Queue

from campaign import embedded_redis

#: what a lost or stalled Redis raises (a restarting one's LOADING reply is a ConnectionError too)
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

#: in priority order: a worker listening on all three always takes mail first
QUEUE_NAMES = ("mail", "delivery", "bulk")


class RedisQueues:
    """Holds one Redis client per app and hands out its RQ queues."""

    def init_app(self, app: Flask) -> None:
        url = app.config["REDIS_URL"] or embedded_redis.ensure_running(Path(app.instance_path))
        app.config["REDIS_URL"] = url
        app.extensions["campaign.redis"] = redis.Redis.from_url(
            url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30
        )

    @property
    def connection(self) -> redis.Redis:
        return current_app.extensions["campaign.redis"]

    def queue(self, name: str) -> Queue:
        return Queue(name, connection=self.connection)

    def enqueue(self, queue_name: str, func: Any, *args: Any, **options: Any) -> None:
        options.setdefault("failure_ttl", 7 * 24 * 3600)
        options.setdefault("result_ttl", 600)
        self.queue(queue_name).enqueue(func, *args, **options)
