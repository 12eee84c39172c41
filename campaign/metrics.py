"""``GET /metrics``: what an operator's Prometheus reads, in its text format (prometheus_client).

Counted as they happen, at the cost of a few dictionary look-ups per request: requests by
Flask endpoint (never the raw path, which holds slugs and tokens) and status class, their
latency, public pages served from the render cache or rendered, signatures accepted and
confirmed. Read when Prometheus asks, with a few cheap statements (each an index's own
count): the outbox's pending, sending and failed mail by queue and the age of its oldest
waiting row; RQ's queue lengths, failed jobs and workers. A dependency that cannot be asked
is reported as ``campaign_database_up 0`` or ``campaign_redis_up 0`` and the rest is
answered all the same: a scrape during an outage is when the figures matter most.

Several gunicorn workers: with ``PROMETHEUS_MULTIPROC_DIR`` in the environment (read by
prometheus_client when it is imported) each process writes its counts to files there and a
scrape of any one of them sums every process's; without it, each process keeps its own.

Who may read it: a request from loopback that came through no proxy, or one with
``Authorization: Bearer $METRICS_TOKEN``. Anyone else gets the site's ordinary 404, so that
the endpoint is not advertised. Nothing in it names a visitor, an address or a campaign.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Iterable, Iterator
from datetime import datetime

import redis
from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue
from rq.worker_registration import REDIS_WORKER_KEYS
from sqlalchemy import TextClause, func, select, text

from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.outbox import GIVEN_UP, OutboxMessage, OutboxStatus
from campaign.overload import OUTAGES
from campaign.redis_client import QUEUE_NAMES

bp = Blueprint("metrics", __name__)

_KEY = "campaign.metrics"
#: request latency, seconds: a cached page takes well under a millisecond, a signing tens of them
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: headers a proxy adds: a request carrying one is not the local scraper's, whatever its address
_FORWARDED = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
#: seconds a scrape waits for Redis before reporting it down
REDIS_TIMEOUT = 1.0
_PENDING = text(f"status = '{OutboxStatus.PENDING}'")
_SENDING = text(f"status = '{OutboxStatus.SENDING}'")


def is_multiprocess() -> bool:
    """Whether prometheus_client keeps its values in files shared by the processes (it decides
    from the same variable, once, when it is imported)."""
    return "PROMETHEUS_MULTIPROC_DIR" in os.environ


class Metrics:
    """The app's counters: in a registry of their own in one process; in multiprocess mode in
    prometheus_client's files, which a scrape reads through :class:`MultiProcessCollector`."""

    def __init__(self) -> None:
        self.registry: CollectorRegistry | None = None if is_multiprocess() else CollectorRegistry()
        registry = self.registry
        self.requests = Counter(
            "campaign_http_requests",
            "HTTP requests answered, by Flask endpoint and status class",
            ("endpoint", "status"),
            registry=registry,
        )
        self.latency = Histogram(
            "campaign_http_request_duration_seconds",
            "Time from the request's arrival in the app until its response was ready, by endpoint",
            ("endpoint",),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.page_cache = Counter(
            "campaign_page_cache_requests",
            "Anonymous GETs of public pages: answered from the render cache (hit) or rendered (miss)",
            ("result",),
            registry=registry,
        )
        self.signatures_accepted = Counter(
            "campaign_signatures_accepted",
            "Signing forms accepted and stored (a second signing by the same address included)",
            registry=registry,
        )
        self.signatures_confirmed = Counter(
            "campaign_signatures_confirmed",
            "Signatures confirmed by their signer: counted, or held for review (signed past the "
            "fraud threshold)",
            ("result",),
            registry=registry,
        )
        self.page_hits, self.page_misses = self.page_cache.labels("hit"), self.page_cache.labels("miss")
        #: the labelled children by (endpoint, status class): labels() takes a lock and builds a key
        self._children: dict[tuple[str, str], tuple[Counter, Histogram]] = {}

    def observe_request(self, endpoint: str, status: int, seconds: float) -> None:
        key = (endpoint, f"{status // 100}xx")
        children = self._children.get(key)
        if children is None:
            children = (self.requests.labels(*key), self.latency.labels(endpoint))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


def _metrics() -> Metrics:
    metrics: Metrics = current_app.extensions[_KEY]
    return metrics


def signature_accepted() -> None:
    """Count a stored signing (after its commit)."""
    _metrics().signatures_accepted.inc()


def signature_confirmed(is_held: bool) -> None:
    """Count a confirmation (after its commit): held for review, or counted."""
    _metrics().signatures_confirmed.labels("held" if is_held else "counted").inc()


def _start() -> None:
    g.metrics_started_at = time.perf_counter()


def _record(response: Response) -> Response:
    started_at = g.get("metrics_started_at")
    if started_at is not None:
        metrics = _metrics()
        metrics.observe_request(
            request.endpoint or "none", response.status_code, time.perf_counter() - started_at
        )
        if g.get("is_public_page"):
            (metrics.page_hits if g.get("page_cache_hit") else metrics.page_misses).inc()
    return response


def _gauge(name: str, documentation: str, labels: Iterable[str] = ()) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=list(labels))


def _count_by_queue(status: TextClause) -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.queue, func.count()).where(status).group_by(OutboxMessage.queue)
    )
    return {queue: count for queue, count in rows}


def _database_metrics() -> Iterator[Metric]:
    """The outbox, from its partial indexes: each count reads only the rows it counts."""
    up = _gauge("campaign_database_up", "1 if the database answered this scrape, else 0")
    pending = _gauge("campaign_outbox_pending", "Emails waiting to be sent, by queue", ("queue",))
    sending = _gauge("campaign_outbox_sending", "Emails claimed by a worker and being sent", ("queue",))
    oldest = _gauge(
        "campaign_outbox_oldest_pending_seconds",
        "Age of the oldest email waiting to be sent, by queue (0 when none waits)",
        ("queue",),
    )
    given_up = _gauge(
        "campaign_outbox_failed",
        "Emails never sent: refused for good (failed) or retried past OUTBOX_RETRY_HOURS (expired)",
        ("queue", "status"),
    )
    try:
        waiting = _count_by_queue(_PENDING)
        claimed = _count_by_queue(_SENDING)
        created: dict[str, datetime | None] = {
            queue: db.session.scalar(
                select(OutboxMessage.created_at)
                .where(_PENDING, OutboxMessage.queue == queue)
                .order_by(OutboxMessage.id)
                .limit(1)
            )
            for queue in QUEUE_NAMES
        }
        failed = db.session.execute(
            select(OutboxMessage.queue, OutboxMessage.status, func.count())
            .where(GIVEN_UP)
            .group_by(OutboxMessage.queue, OutboxMessage.status)
        )
        given_up_counts = {(queue, status): count for queue, status, count in failed}
    except OUTAGES:
        db.session.rollback()
        up.add_metric([], 0)
        yield up
        return
    now = utcnow()
    for queue in QUEUE_NAMES:
        pending.add_metric([queue], waiting.get(queue, 0))
        sending.add_metric([queue], claimed.get(queue, 0))
        created_at = created[queue]
        oldest.add_metric([queue], max((now - created_at).total_seconds(), 0) if created_at else 0)
        for status in (OutboxStatus.FAILED, OutboxStatus.EXPIRED):
            given_up.add_metric([queue, status.value], given_up_counts.get((queue, status.value), 0))
    up.add_metric([], 1)
    yield from (up, pending, sending, oldest, given_up)


def _redis_metrics() -> Iterator[Metric]:
    """RQ's queues, in one round trip, on a connection of the scrape's own with a short timeout
    and no retries: a Redis that is gone is reported within a second, not waited for."""
    up = _gauge("campaign_redis_up", "1 if Redis answered this scrape, else 0")
    lengths = _gauge("campaign_rq_queue_length", "Jobs waiting in each RQ queue", ("queue",))
    failed = _gauge("campaign_rq_failed_jobs", "Jobs in each queue's RQ failed registry", ("queue",))
    workers = _gauge("campaign_rq_workers", "RQ workers registered in Redis")
    client = redis.Redis.from_url(
        current_app.config["REDIS_URL"],
        socket_timeout=REDIS_TIMEOUT,
        socket_connect_timeout=REDIS_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        pipeline = client.pipeline(transaction=False)
        for name in QUEUE_NAMES:
            queue = Queue(name, connection=client)
            pipeline.llen(queue.key)
            pipeline.zcard(queue.failed_job_registry.key)  # not .count: that cleans up, a write
        pipeline.scard(REDIS_WORKER_KEYS)
        replies = pipeline.execute()
    except (redis.RedisError, OSError):
        up.add_metric([], 0)
        yield up
        return
    finally:
        client.close()
    for index, name in enumerate(QUEUE_NAMES):
        lengths.add_metric([name], replies[2 * index])
        failed.add_metric([name], replies[2 * index + 1])
    workers.add_metric([], replies[-1])
    up.add_metric([], 1)
    yield from (up, lengths, failed, workers)


def _counted() -> bytes:
    metrics = _metrics()
    if metrics.registry is not None:
        return generate_latest(metrics.registry)
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return generate_latest(registry)


class _AtScrape(Collector):
    """The figures read now, as a collector for :func:`generate_latest` to write."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


def _is_local() -> bool:
    """From this host's loopback, and through no proxy: a proxy on the same host (with
    ``PROXY_FIX_X_FOR`` unset) would otherwise pass every visitor off as local."""
    if any(name in request.headers for name in _FORWARDED):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _has_token() -> bool:
    token: str | None = current_app.config["METRICS_TOKEN"]
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


@bp.get("/metrics")
def metrics() -> Response:
    if not (_has_token() or _is_local()):
        abort(404)
    scraped = CollectorRegistry()
    scraped.register(_AtScrape([*_database_metrics(), *_redis_metrics()]))
    body = _counted() + generate_latest(scraped)
    response = Response(body, content_type=CONTENT_TYPE_PLAIN_0_0_4)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Before any other hook: the clock starts before a cached page can answer (a
    ``before_request`` that answers skips the ones after it), and the count, being the last
    ``after_request`` to run, sees the final status (a 304 made by the page cache)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory is not None and not os.path.isdir(directory):  # else every request would fail
        raise RuntimeError(f"PROMETHEUS_MULTIPROC_DIR={directory!r} is not a directory")
    app.extensions[_KEY] = Metrics()
    app.before_request(_start)
    app.after_request(_record)
