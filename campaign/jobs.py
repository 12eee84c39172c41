"""RQ plumbing: the worker class, the periodic jobs it enqueues, and jobs queued for rows.

Jobs run inside the app context that ``worker.py`` pushes once. The worker does not fork per
job (forking costs more than a confirmation mail takes to send), so it ends each job's
database session itself; jobs load what they need by id and commit their own work.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import redis
from flask import Flask, current_app
from redis.client import Pipeline
from rq import Queue, SimpleWorker
from rq.defaults import DEFAULT_LOGGING_DATE_FORMAT, DEFAULT_LOGGING_FORMAT
from rq.exceptions import StopRequested
from rq.job import Job
from rq.scheduler import RQScheduler
from rq.utils import now
from sqlalchemy import and_, or_, select

from campaign import jobclaims
from campaign.after_commit import after_commit, resolve
from campaign.extensions import db, queues
from campaign.models_base import utcnow
from campaign.redact import redact
from campaign.redis_client import REDIS_ERRORS

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
    Periodic("apply-retention", "campaign.signatures.retention.apply_retention", "RETENTION_SECONDS", "bulk"),
    Periodic("update-scheduler", "campaign.updates.jobs.run_scheduler", "UPDATE_SCHEDULER_SECONDS", "bulk"),
    Periodic(
        "letter-scheduler", "campaign.letters.jobs.deliver_scheduled", "LETTER_SCHEDULER_SECONDS", "delivery"
    ),
    Periodic(
        "deadline-reminders",
        "campaign.letters.reminders.remind_deadlines",
        "DEADLINE_REMINDER_SECONDS",
        "delivery",
    ),
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
    "invalidation_undo": RowJob(
        "campaign.moderation.models.InvalidationUndo", "campaign.moderation.services.run_undo", "bulk"
    ),
    "evidence": RowJob(
        "campaign.letters.evidence.LetterEvidence", "campaign.letters.evidence.build_evidence", "bulk"
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
            select(model.id).where(
                or_(
                    and_(model.status == "queued", model.created_at < cutoff),
                    jobclaims.is_stale(model, ("running", "cancelling")),  # its worker died
                )
            )
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


#: the longest wait between attempts to reach Redis again
MAX_BACKOFF_SECONDS = 30.0


def _backoff(attempt: int) -> float:
    return min(0.5 * 2**attempt, MAX_BACKOFF_SECONDS)


def die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies, however it dies (SIGKILL
    included): RQ's scheduler child would otherwise live on and keep its locks."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


#: prctl(2)'s option: the signal this process gets when its parent dies
PR_SET_PDEATHSIG = 1


class CampaignScheduler(RQScheduler):
    """RQ's scheduler (run in a child process of the worker) that dies with its worker and
    rides out a Redis outage instead of exiting (its worker would start another after a while)."""

    def work(self) -> None:
        die_with_parent()
        attempt = 0
        while True:
            try:
                super().work()
                return
            except REDIS_ERRORS as error:
                if self._stop_requested:
                    return
                log.warning("scheduler lost Redis (%s); retrying", type(error).__name__)
                time.sleep(_backoff(attempt))
                attempt += 1


class CampaignWorker(SimpleWorker):
    """An RQ worker that enqueues the periodic jobs, ends each job's DB session, and never exits
    because Redis or the database went away.

    RQ's work loop quits on any exception but a connection error while waiting for a job: one
    raised by a heartbeat, a maintenance pass, the suspension check or a job's bookkeeping (a
    failure it cannot record, because Redis restarted meanwhile) ends the worker. Each of those
    steps is wrapped here: the worker logs the error's kind (never its text, which names hosts),
    waits with a backoff until Redis answers, and goes on. A job cut off that way is safe to lose
    or repeat (jobs are idempotent, and the outbox's sweep sends what is left).
    """

    def bootstrap(self, *args: Any, **kwargs: Any) -> None:
        bootstrap = super().bootstrap
        self._until_redis_answers("start", lambda: bootstrap(*args, **kwargs))

    def _start_scheduler(
        self,
        burst: bool = False,
        logging_level: str | None = "INFO",
        date_format: str = DEFAULT_LOGGING_DATE_FORMAT,
        log_format: str = DEFAULT_LOGGING_FORMAT,
    ) -> None:
        """RQ's own, with a scheduler that dies with this worker; Redis down, the next
        maintenance pass starts it."""
        self.scheduler = CampaignScheduler(
            self.queues,
            connection=self.connection,
            logging_level=logging_level if logging_level is not None else self.log.level,
            date_format=date_format,
            log_format=log_format,
            serializer=self.serializer,
        )
        try:
            self.scheduler.acquire_locks(auto_start=not burst)
            if burst and self.scheduler.acquired_locks:
                try:
                    self.scheduler.enqueue_scheduled_jobs()
                finally:
                    self.scheduler.release_locks()
        except REDIS_ERRORS as error:
            log.warning(
                "could not start the scheduler (%s); the next maintenance pass will", type(error).__name__
            )

    def check_for_suspension(self, burst: bool) -> None:
        self._until_redis_answers(
            "check for suspension", lambda: super(CampaignWorker, self).check_for_suspension(burst)
        )

    def heartbeat(self, timeout: int | None = None, pipeline: Pipeline | None = None) -> None:
        if pipeline is not None:
            super().heartbeat(timeout, pipeline)
            return
        try:
            super().heartbeat(timeout)
        except REDIS_ERRORS as error:  # waiting for a job, RQ retries with a backoff itself
            log.warning("worker heartbeat lost Redis (%s)", type(error).__name__)

    def set_state(self, state: str, pipeline: Pipeline | None = None) -> None:
        """RQ records "idle" before it waits for a job, outside the wait's own retries: Redis
        gone just then (between two restarts) ended the worker. The state is bookkeeping; the
        wait that follows reconnects with its own backoff."""
        if pipeline is not None:
            super().set_state(state, pipeline)
            return
        try:
            super().set_state(state)
        except REDIS_ERRORS as error:
            log.warning("worker could not record its state (%s)", type(error).__name__)

    def run_maintenance_tasks(self) -> None:
        try:
            super().run_maintenance_tasks()
        except REDIS_ERRORS as error:
            log.warning("maintenance pass lost Redis (%s); the next one tries again", type(error).__name__)
            # RQ sets it to None, unannotated, then to a time: mypy takes its type to be None
            self.last_cleaned_at = now()  # type: ignore[assignment]
        try:
            # current_app is typed as the app itself; the proxy's own method hands out the real one
            enqueue_due_periodic_jobs(current_app._get_current_object())  # type: ignore[attr-defined]
        except (redis.RedisError, OSError):  # a Redis hiccup must not kill the worker; next pass tries again
            log.warning("could not enqueue periodic jobs; the next pass tries again")

    def execute_job(self, job: Job, queue: Queue) -> None:
        try:
            super().execute_job(job, queue)
        except REDIS_ERRORS as error:
            log.warning("lost Redis running or recording job %s (%s)", job.id, type(error).__name__)
            self._until_redis_answers("reconnect", lambda: self.connection.ping())

    def perform_job(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return super().perform_job(*args, **kwargs)
        finally:
            try:
                db.session.remove()
            except Exception as error:  # the database went away under the session: forget it
                log.warning("could not end a job's database session (%s)", type(error).__name__)
                db.session.registry.clear()

    def handle_job_failure(
        self,
        job: Job,
        queue: Queue,
        started_job_registry: Any = None,
        exc_string: str = "",
        execution: Any = None,
    ) -> None:
        """RQ keeps a failed job's traceback in Redis (its failed-job registry and results) for the
        job's failure_ttl, outside logging: masked as every log record is (an exception's text
        may hold an address, SQLAlchemy's its parameters)."""
        super().handle_job_failure(job, queue, started_job_registry, redact(exc_string), execution)

    def _until_redis_answers(self, what: str, step: Callable[[], object]) -> None:
        attempt = 0
        while True:
            try:
                step()
                return
            except REDIS_ERRORS as error:
                if self._stop_requested:
                    raise StopRequested from error
                wait = _backoff(attempt)
                log.warning(
                    "worker could not %s: lost Redis (%s); retrying in %.1f s",
                    what,
                    type(error).__name__,
                    wait,
                )
                time.sleep(wait)
                attempt += 1


class ErrorsByKind(logging.Filter):
    """RQ logs a lost Redis with the error's text, which names the server's host and port: the
    log keeps the error's kind only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(arg, BaseException) for arg in record.args):
            record.args = tuple(
                type(arg).__name__ if isinstance(arg, BaseException) else arg for arg in record.args
            )
        return True


def make_worker(app: Flask) -> CampaignWorker:
    """Build a worker on all queues, in priority order (call inside the app context)."""
    from campaign.redis_client import QUEUE_NAMES

    rq_log = logging.getLogger("rq.worker")
    if not any(isinstance(existing, ErrorsByKind) for existing in rq_log.filters):
        rq_log.addFilter(ErrorsByKind())
    return CampaignWorker(
        [queues.queue(name) for name in QUEUE_NAMES],
        connection=queues.connection,
        worker_ttl=app.config["WORKER_TTL"],
        maintenance_interval=app.config["WORKER_MAINTENANCE_SECONDS"],
    )
