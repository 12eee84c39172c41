"""When the outbox is emptied: a flush job after each commit that wrote mail, and a periodic sweep.

After a commit that queued outbox rows, :func:`kick` (which :func:`campaign.outbox.queue_mail`
records with :func:`campaign.after_commit.after_commit`) makes sure a flush job will look at
each of their queues; a flush job claims due rows in batches and sends them
(:func:`campaign.sender.send_rows`) while it holds a lease on its queue. The sweep takes back
claims of dead workers and queues a flush for rows left waiting, so that a Redis outage or a
killed worker delays mail and never loses it.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta

import redis
from flask import current_app
from sqlalchemy import func, select, update

from campaign.after_commit import after_commit
from campaign.extensions import db, queues
from campaign.models_base import utcnow
from campaign.outbox import BATCH, OutboxMessage, OutboxStatus, claim_due, is_due
from campaign.redis_client import REDIS_ERRORS
from campaign.sender import send_rows

log = logging.getLogger(__name__)

#: how long one flush job sends before it hands over to a fresh one: the worker then takes the
#: queues in their order again, so confirmations wait at most this long behind bulk mail
FLUSH_SECONDS = 10
#: how long a flush job waits after a batch that was not full (under a steady trickle of mail,
#: a few rows per claim and per SMTP connection would cost a worker several times the CPU), and
#: between looks at its queue while it holds its lease
LINGER_SECONDS = 0.05
#: RQ's timeout for a flush job, set deliberately (RQ's default is 180 s): a job sends for
#: FLUSH_SECONDS, and the batch it is in for at most sender.SEND_SECONDS more, plus one SMTP
#: exchange (a few MAIL_TIMEOUTs) and sender.RECONNECT_SECONDS of a database away. A job RQ
#: killed would leave its claim to the sweep, and the message in flight might go twice.
FLUSH_JOB_TIMEOUT = 600
#: a web process stops trusting a lease it saw this long before the lease runs out
LEASE_MARGIN_SECONDS = 0.1


def _lease_key(queue_name: str) -> str:
    return f"campaign:outbox:lease:{queue_name}"


def kick(queue_name: str) -> None:
    """Make sure that a flush job looks at ``queue_name`` after this moment.

    A flush job started by a kick holds a lease on its queue (a Redis key with a time to live)
    while it sends and for OUTBOX_FLUSH_HOLD_SECONDS after the queue runs dry, and when the lease
    is over it looks at the queue once more before it ends. A commit while the lease holds needs
    no job of its own, so this process remembers until when the lease it last saw holds, and
    asks Redis again only after that: under load, a round trip a second per process rather than
    one per commit, and one job sending row after row over one connection rather than a job for
    every few rows. If Redis is down, the sweep flushes later.
    """
    leases: dict[str, float] = current_app.extensions.setdefault("campaign.outbox_leases", {})
    if time.monotonic() < leases.get(queue_name, 0.0):
        return
    key, token = _lease_key(queue_name), secrets.token_hex(8)
    hold_ms = int(current_app.config["OUTBOX_FLUSH_HOLD_SECONDS"] * 1000)
    try:
        with queues.connection.pipeline(transaction=False) as pipe:
            pipe.set(key, token, nx=True, px=hold_ms)
            pipe.pttl(key)
            taken, ttl_ms = pipe.execute()
        if taken:
            queues.enqueue(queue_name, flush_outbox, queue_name, token, job_timeout=FLUSH_JOB_TIMEOUT)
        leases[queue_name] = time.monotonic() + ttl_ms / 1000 - LEASE_MARGIN_SECONDS
    except (
        redis.RedisError,
        OSError,
    ):  # any Redis failure: the rows are durable and the sweep will kick again
        log.warning("could not enqueue a flush of the %s outbox; the sweep will", queue_name, exc_info=True)


def enqueue_flush(queue_name: str, lease: str | None = None) -> None:
    """Queue one more flush job for ``queue_name`` whatever the lease says: a bulk fan-out
    wants a sender per batch in every free worker, and the sweep one for rows left waiting."""
    try:
        queues.enqueue(queue_name, flush_outbox, queue_name, lease, job_timeout=FLUSH_JOB_TIMEOUT)
    except (redis.RedisError, OSError):
        log.warning("could not enqueue a flush of the %s outbox; the sweep will", queue_name, exc_info=True)


def _holds(queue_name: str, lease: str) -> bool:
    """Whether the lease is still this job's; with Redis gone, it is not (the job ends after a
    last look, and the sweep queues a flush once Redis is back)."""
    try:
        return queues.connection.get(_lease_key(queue_name)) == lease.encode()
    except REDIS_ERRORS as error:
        log.warning("flush of the %s outbox lost Redis (%s)", queue_name, type(error).__name__)
        return False


def _renewed(queue_name: str, lease: str, hold_ms: int) -> str | None:
    """The lease, renewed; None if Redis is gone (the rows claimed are sent all the same)."""
    try:
        queues.connection.set(_lease_key(queue_name), lease, px=hold_ms)
    except REDIS_ERRORS as error:
        log.warning("flush of the %s outbox lost Redis (%s)", queue_name, type(error).__name__)
        return None
    return lease


def flush_outbox(queue_name: str, lease: str | None = None) -> None:
    """RQ job: send every due row of one queue, a batch per SMTP connection. Safe to run any
    number of times, in any number of workers at once.

    With a ``lease`` (a job started by :func:`kick`), it renews the lease with every batch,
    waits while the lease holds once the queue runs dry, and then looks at the queue once
    more: a row committed while the lease held (whose kick queued nothing) is seen by that last
    look. After FLUSH_SECONDS the job hands over, lease and all, to a fresh one, so that no job
    runs into RQ's timeout under a load that never lets up.
    """
    hold_ms = int(current_app.config["OUTBOX_FLUSH_HOLD_SECONDS"] * 1000)
    ends_at = time.monotonic() + FLUSH_SECONDS
    while True:
        rows = claim_due(queue_name, BATCH[queue_name])
        if not rows:
            if lease is None:
                return
            if not _holds(queue_name, lease):
                lease = None  # the lease is over: one last look, then done
            time.sleep(LINGER_SECONDS)
            continue
        if lease is not None:
            lease = _renewed(queue_name, lease, hold_ms)
        send_rows(rows)
        if time.monotonic() > ends_at:
            enqueue_flush(queue_name, lease)
            return
        if len(rows) < BATCH[queue_name]:
            time.sleep(LINGER_SECONDS)  # let more rows come, so the next batch is worth its connection


def sweep_outbox() -> int:
    """Periodic job: take back claims whose worker died (a live sender renews its claim), and
    queue a flush of every queue with rows left waiting.

    Returns the number of rows due. Fresh rows get a few seconds' grace: their own kick is on
    its way. A row older than that has no flush job coming (its kick was lost with Redis, or the
    lease belongs to a job that died with its worker), or the queue has more than one job can
    send: either way another flush job is what it needs.
    """
    now = utcnow()
    lease_expired = (OutboxMessage.status == OutboxStatus.SENDING) & (
        OutboxMessage.locked_at < now - timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    )
    abandoned_too_often = OutboxMessage.abandoned + 1 >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    db.session.execute(
        update(OutboxMessage)
        .where(lease_expired, abandoned_too_often)
        .values(
            status=OutboxStatus.FAILED,
            abandoned=OutboxMessage.abandoned + 1,
            last_error="its worker died sending it, too often",
        )
    )
    db.session.execute(
        update(OutboxMessage)
        .where(lease_expired)
        .values(status=OutboxStatus.PENDING, abandoned=OutboxMessage.abandoned + 1)
    )
    due = db.session.execute(
        select(OutboxMessage.queue, func.count())
        .where(is_due(now), OutboxMessage.created_at < now - timedelta(seconds=10))
        .group_by(OutboxMessage.queue)
    ).all()
    for queue_name, _ in due:
        after_commit(enqueue_flush, queue_name)
    db.session.commit()
    return sum(count for _, count in due)
