"""RQ plumbing: the worker class, the periodic jobs it enqueues, and jobs queued for rows.

Jobs run inside the app context that ``worker.py`` pushes once. The worker does not fork per
job (forking costs more than a confirmation mail takes to send), so it ends each job's
database session itself; jobs load what they need by id and commit their own work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import redis
from flask import Flask, current_app
from rq import SimpleWorker
from sqlalchemy import select

from campaign.after_commit import after_commit, resolve
from campaign.extensions import db, queues
from campaign.models_base import utcnow

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
    Periodic("resume-queued", "campaign.jobs.resume_queued", "RESUME_QUEUED_SECONDS", "bulk"),
)


@dataclass(frozen=True)
class RowJob:
    """A row that waits for one job: ``model`` (a dotted path) has ``id``, ``created_at`` and a
    ``status`` that is "queued" until the job ``func`` (given the row's id) claims it."""

    model: str
    func: str
    queue: str


#: every kind of row a job is queued for after the commit that wrote it
ROW_JOBS: dict[str, RowJob] = {
    "export": RowJob("campaign.dashboard.models.Export", "campaign.dashboard.exports.run_export", "bulk"),
    "invalidation": RowJob(
        "campaign.moderation.models.Invalidation", "campaign.moderation.services.run_invalidation", "bulk"
    ),
}
#: a row still "queued" this long after its commit lost its job (to Redis, or to its process)
RESUME_AFTER = timedelta(minutes=1)


def enqueue_after_commit(kind: str, row_id: int) -> None:
    """Queue the job of a row (a key of :data:`ROW_JOBS`) once the transaction writing it commits."""
    after_commit(_enqueue_row_job, kind, row_id)


def _enqueue_row_job(kind: str, row_id: int) -> None:
    job = ROW_JOBS[kind]
    try:
        queues.enqueue(job.queue, job.func, row_id, failure_ttl=24 * 3600)
    except (redis.RedisError, OSError):
        log.warning("could not queue the job of %s %s; it will be resumed", kind, row_id, exc_info=True)


def resume_queued() -> int:
    """Periodic job: queue again the job of every row of :data:`ROW_JOBS` still waiting
    :data:`RESUME_AFTER` after it was written; returns how many.

    A second job for the same row does nothing (its claim, queued to running, fails), so this
    is always safe.
    """
    cutoff = utcnow() - RESUME_AFTER
    waiting = 0
    for kind, job in ROW_JOBS.items():
        model: Any = resolve(job.model)
        for row_id in db.session.scalars(
            select(model.id).where(model.status == "queued", model.created_at < cutoff)
        ):
            enqueue_after_commit(kind, row_id)
            waiting += 1
    db.session.commit()  # writes nothing: queues the jobs
    return waiting


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
            enqueue_due_periodic_jobs(current_app._get_current_object())  # type: ignore[attr-defined]
        except Exception:  # a Redis hiccup must not kill the worker; next pass tries again
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
