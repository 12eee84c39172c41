"""The fan-out: from an update to outbox rows, one batch per job, and the scheduler.

``fan_out`` writes one batch of outbox rows on the ``bulk`` queue (keys
``update:{update_id}:{supporter_id}``, inserted skipping keys that exist), moves the update's
keyset cursor past it in the same commit, then queues a flush job for the batch (flush jobs send
the rows a batch per SMTP connection, in as many workers as there are) and enqueues the next fan-out
step. Everything about where it stands lives in the database: running a step twice, or
concurrently, writes nothing twice (the update row is locked for the step, and the keys are
unique), and a lost step is resumed by ``run_scheduler``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from campaign.after_commit import after_commit
from campaign.dispatch import enqueue_flush
from campaign.extensions import db
from campaign.models_base import insert_ignoring_conflicts, utcnow
from campaign.outbox import OutboxMessage, OutboxStatus
from campaign.updates.audience import audience_batch
from campaign.updates.models import Update, UpdateStatus
from campaign.updates.services import enqueue_fanout, send_update, update_progress

log = logging.getLogger(__name__)


def fan_out(update_id: int) -> int:
    """RQ job: write the next batch of an update's outbox rows; returns how many were new."""
    update = db.session.scalar(select(Update).where(Update.id == update_id).with_for_update())
    if update is None or update.status != UpdateStatus.SENDING or update.fanout_done_at is not None:
        db.session.rollback()
        return 0
    now = utcnow()
    batch = db.session.execute(
        audience_batch(
            update.campaign_id, update.fanout_cursor, current_app.config["UPDATE_BATCH_SIZE"], update.segment
        )
    ).all()
    if not batch:
        update.fanout_done_at = update.fanout_at = now
        db.session.commit()
        return 0
    #: the mail's language (its frame, its unsubscribe page); the text falls back when it must
    languages = current_app.config["LANGUAGES"]
    values = [
        {
            "kind": "update",
            "queue": "bulk",
            "recipient": email,
            "lang": lang if lang in languages else update.default_lang,
            "idempotency_key": f"update:{update.id}:{supporter_id}",
            "payload": {"update_id": update.id, "supporter_id": supporter_id},
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for supporter_id, email, lang in batch
    ]
    # on the table, not the model: one statement compiled once and sent as batched VALUES
    outbox = OutboxMessage.__table__
    row_ids = list(
        db.session.scalars(
            insert_ignoring_conflicts(outbox, "idempotency_key").returning(outbox.c.id), values
        )
    )
    update.fanout_cursor, update.fanout_at = batch[-1][0], now
    if row_ids:
        low, high = min(row_ids), max(row_ids)
        update.first_outbox_id = min(low, update.first_outbox_id or low)
        update.last_outbox_id = max(high, update.last_outbox_id or high)
        after_commit(enqueue_flush, "bulk")  # a sender for this batch, in whichever worker is free
    after_commit(enqueue_fanout, update_id)
    db.session.commit()
    return len(row_ids)


def run_scheduler() -> dict[str, int]:
    """Periodic job: start due scheduled updates, resume quiet fan-outs, mark finished sends sent."""
    now = utcnow()
    started = resumed = finished = 0
    due = db.session.scalars(
        select(Update.id).where(Update.status == UpdateStatus.SCHEDULED, Update.scheduled_at <= now)
    ).all()
    for update_id in due:
        started += send_update(update_id)
        db.session.commit()
    quiet_since = now - timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    for update in db.session.scalars(select(Update).where(Update.status == UpdateStatus.SENDING)).all():
        if update.fanout_done_at is None:
            if update.fanout_at is None or update.fanout_at < quiet_since:
                update.fanout_at = now
                after_commit(enqueue_fanout, update.id)
                db.session.commit()
                resumed += 1
        elif update_progress(update.id)["remaining"] == 0:
            update.status, update.finished_at = UpdateStatus.SENT, now
            db.session.commit()
            finished += 1
    db.session.rollback()
    return {"started": started, "resumed": resumed, "finished": finished}
