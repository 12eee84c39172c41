"""RQ plumbing: the worker class, and the periodic jobs it enqueues.

Jobs run inside the app context that ``worker.py`` pushes once. The worker does not fork per
job (forking costs more than a confirmation mail takes to send), so it ends each job's
database session itself; jobs load what they need by id and commit their own work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import redis
from flask import Flask, current_app
from rq import SimpleWorker

from campaign.extensions import db, queues

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str
    #: the config key holding the interval in seconds
    interval_key: str
    queue: str


#: every periodic job of the system; each must be safe to run twice or concurrently
PERIODIC: tuple[Periodic, ...] = (
    Periodic("sweep-outbox", "campaign.dispatch.sweep_outbox", "OUTBOX_SWEEP_SECONDS", "mail"),
    Periodic(
        "reconcile-counts", "campaign.signatures.counts.reconcile_all", "COUNT_RECONCILE_SECONDS", "bulk"
    ),
    Periodic(
        "expire-pending", "campaign.signatures.services.expire_pending", "EXPIRE_PENDING_SECONDS", "bulk"
    ),
    Periodic("update-scheduler", "campaign.updates.jobs.run_scheduler", "UPDATE_SCHEDULER_SECONDS", "bulk"),
    Periodic(
        "clean-up-exports", "campaign.dashboard.exports.clean_up_exports", "EXPORT_CLEANUP_SECONDS", "bulk"
    ),
    Periodic("detect-trending", "campaign.moderation.trending.detect_trending", "TRENDING_SECONDS", "bulk"),
    Periodic("resume-exports", "campaign.dashboard.exports.resume_queued", "RESUME_QUEUED_SECONDS", "bulk"),
    Periodic(
        "resume-invalidations", "campaign.moderation.services.resume_queued", "RESUME_QUEUED_SECONDS", "bulk"
    ),
)


def enqueue_due_periodic_jobs(app: Flask) -> list[str]:
    """Enqueue each periodic job whose interval has passed, once across all workers.

    A Redis key that expires after the interval is the lock: whichever worker sets it first
    enqueues the job.
    """
    enqueued = []
    for job in PERIODIC:
        interval = int(app.config[job.interval_key])
        if queues.connection.set(f"campaign:periodic:{job.name}", 1, nx=True, ex=interval):
            queues.enqueue(job.queue, job.func, failure_ttl=3600, job_timeout=max(interval, 600))
            enqueued.append(job.name)
    return enqueued


class CampaignWorker(SimpleWorker):
    """An RQ worker that also enqueues the periodic jobs and ends each job's DB session."""

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        try:
            # current_app is typed as the app itself; the proxy's own method hands out the real one
            enqueue_due_periodic_jobs(current_app._get_current_object())  # type: ignore[attr-defined]
        except (redis.RedisError, OSError):  # a Redis hiccup must not kill the worker; next pass tries again
            log.exception("could not enqueue periodic jobs")

    def perform_job(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return super().perform_job(*args, **kwargs)
        finally:
            db.session.remove()


def make_worker(app: Flask) -> CampaignWorker:
    """Build a worker on all queues, in priority order (call inside the app context)."""
    from campaign.redis_client import QUEUE_NAMES

    return CampaignWorker(
        [queues.queue(name) for name in QUEUE_NAMES],
        connection=queues.connection,
        worker_ttl=app.config["WORKER_TTL"],
        maintenance_interval=app.config["WORKER_MAINTENANCE_SECONDS"],
    )
