"""Writing, sending, scheduling and following an update. Services flush; the caller commits.

The dashboard and ``flask send-update`` both go through here. Starting a send only marks the
update and, after the caller's commit, enqueues the first fan-out job (see jobs.py), so the
request that presses "send" stays fast whatever the audience's size.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

import redis
from sqlalchemy import and_, func, or_, select

from campaign.after_commit import after_commit
from campaign.audit.services import record
from campaign.campaigns.models import Campaign
from campaign.extensions import db, queues
from campaign.models_base import utcnow
from campaign.outbox import OutboxMessage, OutboxStatus, queue_mail
from campaign.security import new_token
from campaign.signatures.models import Signature, Supporter
from campaign.source_versions import follow_source
from campaign.updates.audience import Segment, audience_count
from campaign.updates.models import EDITABLE, Update, UpdateStatus, UpdateTranslation

log = logging.getLogger(__name__)

#: the prefix of every update email's idempotency key: ``update:{update_id}:{supporter_id}``
KEY_PREFIX = "update:{update_id}:"


class UpdateNotEditable(Exception):
    """The update is being sent or was sent; its text is fixed."""


def one_line(subject: str) -> str:
    """A subject is one line: folded whitespace (no header can be smuggled through it)."""
    return " ".join(subject.split())


def content_hash(lang: str, subject: str, body: str) -> str:
    return hashlib.sha256(json.dumps([lang, one_line(subject), body.strip()]).encode()).hexdigest()


def create_update(
    campaign: Campaign,
    lang: str,
    subject: str,
    body: str,
    created_by_id: int | None = None,
    reuse_identical: bool = False,
) -> Update:
    """A draft update written in ``lang`` (its default language).

    With ``reuse_identical``, an update of this campaign with exactly this first text is
    returned instead of a new one: the command line run twice must not mail everyone twice.
    """
    digest = content_hash(lang, subject, body)
    if reuse_identical:
        existing = db.session.scalar(
            select(Update)
            .where(Update.campaign_id == campaign.id, Update.content_hash == digest)
            .order_by(Update.id)
            .limit(1)
        )
        if existing is not None:
            return existing
    update = Update(
        campaign_id=campaign.id,
        default_lang=lang,
        status=UpdateStatus.DRAFT,
        content_hash=digest,
        created_by_id=created_by_id,
    )
    update.translations[lang] = UpdateTranslation(lang=lang, subject=one_line(subject), body=body.strip())
    db.session.add(update)
    db.session.flush()
    record("update.created", campaign_id=campaign.id, details={"update_id": update.id})
    return update


def set_text(update: Update, lang: str, subject: str, body: str) -> None:
    """Add or change the text in one language, while the update is a draft or scheduled."""
    if not update.is_editable:
        raise UpdateNotEditable(update.id)
    translation = update.translations.get(lang)
    if translation is None:
        update.translations[lang] = UpdateTranslation(lang=lang, subject=one_line(subject), body=body.strip())
    else:
        translation.subject, translation.body = one_line(subject), body.strip()
    follow_source(update.translations, update.default_lang, [lang])
    db.session.flush()


def set_audience(update: Update, segment: Segment) -> None:
    """Narrow (or widen back) who gets the update, while it is a draft or scheduled."""
    if not update.is_editable:
        raise UpdateNotEditable(update.id)
    update.audience = segment.to_json()
    db.session.flush()
    record(
        "update.audience_set",
        campaign_id=update.campaign_id,
        details={"update_id": update.id, "audience": update.audience},
    )


def audience_size(update: Update) -> int:
    return db.session.scalar(audience_count(update.campaign_id, 0, update.segment)) or 0


def send_update(update_id: int) -> bool:
    """Start sending now; False if it is already sending or sent (so pressing twice is harmless).

    The fan-out job is enqueued after the caller commits.
    """
    update = db.session.scalar(select(Update).where(Update.id == update_id).with_for_update())
    if update is None or update.status not in EDITABLE:
        return False
    update.status, update.scheduled_at = UpdateStatus.SENDING, None
    update.started_at = update.fanout_at = utcnow()
    db.session.flush()
    record("update.sent", campaign_id=update.campaign_id, details={"update_id": update.id})
    after_commit(enqueue_fanout, update.id)
    return True


def schedule_update(update_id: int, at: datetime) -> bool:
    """Send at ``at`` (naive UTC); the scheduler job starts it. False if it already started."""
    update = db.session.get(Update, update_id)
    if update is None or update.status not in EDITABLE:
        return False
    update.status, update.scheduled_at = UpdateStatus.SCHEDULED, at
    db.session.flush()
    record(
        "update.scheduled",
        campaign_id=update.campaign_id,
        details={"update_id": update.id, "at": at.isoformat(timespec="minutes")},
    )
    return True


def unschedule_update(update_id: int) -> bool:
    update = db.session.get(Update, update_id)
    if update is None or update.status != UpdateStatus.SCHEDULED:
        return False
    update.status, update.scheduled_at = UpdateStatus.DRAFT, None
    db.session.flush()
    record("update.unscheduled", campaign_id=update.campaign_id, details={"update_id": update.id})
    return True


def send_test(update_id: int, email: str, lang: str, user_id: int | None = None) -> None:
    """Queue the update, as a supporter reading ``lang`` would get it, to ``email`` only; with
    the name of the staff user ``user_id`` where a supporter's goes (read when it is sent)."""
    token, _ = new_token()
    queue_mail(
        "update_test",
        email,
        lang,
        key=f"update-test:{update_id}:{token[:24]}",
        payload={"update_id": update_id, "user_id": user_id},
    )
    record("update.test_sent", details={"update_id": update_id, "lang": lang})


def enqueue_fanout(update_id: int) -> None:
    """Enqueue the next fan-out step; if Redis is down, the scheduler resumes it later."""
    from campaign.updates.jobs import fan_out

    try:
        queues.enqueue("bulk", fan_out, update_id, failure_ttl=24 * 3600)
    except (redis.RedisError, OSError):  # any Redis failure: the update's state is durable
        log.warning("could not enqueue fan-out of update %s; the scheduler will", update_id, exc_info=True)


def _outbox_rows(update: Update) -> Any:
    prefix = KEY_PREFIX.format(update_id=update.id)
    return (
        select(OutboxMessage.status, func.count())
        .where(
            OutboxMessage.id.between(update.first_outbox_id, update.last_outbox_id),
            OutboxMessage.kind == "update",
            OutboxMessage.idempotency_key.startswith(prefix, autoescape=True),
        )
        .group_by(OutboxMessage.status)
    )


def _unsubscribed_since(update: Update) -> Any:
    """Of the update's recipients (its rows the mail server accepted), how many stopped this
    campaign's updates, or all mail, after theirs was sent: not every unsubscribe, only theirs."""
    prefix = KEY_PREFIX.format(update_id=update.id)
    return (
        select(func.count())
        .select_from(OutboxMessage)
        .join(Supporter, Supporter.id == OutboxMessage.payload["supporter_id"].as_integer())
        .outerjoin(
            Signature,
            and_(Signature.campaign_id == update.campaign_id, Signature.email_hash == Supporter.email_hash),
        )
        .where(
            OutboxMessage.id.between(update.first_outbox_id, update.last_outbox_id),
            OutboxMessage.kind == "update",
            OutboxMessage.idempotency_key.startswith(prefix, autoescape=True),
            OutboxMessage.status == OutboxStatus.SENT,
            or_(
                Supporter.unsubscribed_at >= OutboxMessage.sent_at,
                Signature.updates_stopped_at >= OutboxMessage.sent_at,
            ),
        )
    )


def update_progress(update_id: int) -> dict[str, Any]:
    """How far the send has come: sent, failed, remaining (queued or not fanned out yet), total.

    ``skipped`` counts people who unsubscribed or were erased after the send began, before
    theirs went; ``unsubscribed_since`` those who got it and unsubscribed afterwards. Counts
    come from the outbox rows within the update's id range, so reading them stays cheap.
    """
    update = db.session.get(Update, update_id)
    if update is None:
        raise LookupError(update_id)
    by_status: dict[str, int] = {}
    unsubscribed_since = 0
    if update.first_outbox_id is not None:
        by_status = {status: count for status, count in db.session.execute(_outbox_rows(update)).all()}
        unsubscribed_since = db.session.scalar(_unsubscribed_since(update)) or 0
    if update.status == UpdateStatus.DRAFT or update.status == UpdateStatus.SCHEDULED:
        not_fanned_out = db.session.scalar(audience_count(update.campaign_id, 0, update.segment)) or 0
    elif update.fanout_done_at is None:
        cursor = update.fanout_cursor
        not_fanned_out = db.session.scalar(audience_count(update.campaign_id, cursor, update.segment)) or 0
    else:
        not_fanned_out = 0
    sent, failed = by_status.get(OutboxStatus.SENT, 0), by_status.get(OutboxStatus.FAILED, 0)
    skipped = by_status.get(OutboxStatus.CANCELLED, 0)
    remaining = (
        by_status.get(OutboxStatus.PENDING, 0) + by_status.get(OutboxStatus.SENDING, 0) + not_fanned_out
    )
    return {
        "status": update.status,
        "sent": sent,
        "failed": failed,
        "skipped": skipped,
        "remaining": remaining,
        "total": sent + failed + skipped + remaining,
        "unsubscribed_since": unsubscribed_since,
        "is_done": update.status == UpdateStatus.SENT
        or (update.status == UpdateStatus.SENDING and update.fanout_done_at is not None and remaining == 0),
    }
