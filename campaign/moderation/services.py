"""Bulk invalidation as a cancellable job, and the audit log. Services flush; callers commit."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select, update

from campaign import jobs
from campaign.extensions import db
from campaign.models_base import rowcount, utcnow
from campaign.moderation.filters import SignatureFilter
from campaign.moderation.models import (
    CANCELLED,
    CANCELLING,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    AuditEntry,
    Invalidation,
)
from campaign.signatures import counts
from campaign.signatures.models import INVALIDATED, Signature

log = logging.getLogger(__name__)

#: signatures invalidated per transaction; a cancel takes effect between batches
BATCH = 1000


def audit(
    action: str,
    user_id: int | None,
    campaign_id: int | None = None,
    details: dict[str, Any] | None = None,
    affected: int | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        action=action, user_id=user_id, campaign_id=campaign_id, details=details or {}, affected=affected
    )
    db.session.add(entry)
    return entry


def start_invalidation(flt: SignatureFilter, user_id: int | None) -> Invalidation:
    """Record the request with its preview count; its job is queued after the caller's commit."""
    if not flt.is_narrowed:
        raise ValueError("a filter must narrow the campaign")
    invalidation = Invalidation(
        campaign_id=flt.campaign_id, user_id=user_id, filter=flt.to_json(), matched=flt.count()
    )
    db.session.add(invalidation)
    db.session.flush()
    audit(
        "invalidation.started",
        user_id,
        flt.campaign_id,
        {"invalidation_id": invalidation.id, "filter": flt.to_json()},
        invalidation.matched,
    )
    jobs.enqueue_after_commit("invalidation", invalidation.id)
    return invalidation


def cancel(invalidation: Invalidation, user_id: int | None) -> bool:
    """Ask a queued or running invalidation to stop; return whether it was still going."""
    stopped = rowcount(
        db.session.execute(
            update(Invalidation)
            .where(Invalidation.id == invalidation.id, Invalidation.status.in_((QUEUED, RUNNING)))
            .values(status=CANCELLING)
        )
    )
    if stopped:
        audit(
            "invalidation.cancelled", user_id, invalidation.campaign_id, {"invalidation_id": invalidation.id}
        )
    return bool(stopped)


def run_invalidation(invalidation_id: int) -> None:
    """Job: invalidate matching signatures batch by batch, stopping early when cancelled.

    Safe to run twice: invalidated signatures no longer match the filter, and a finished
    invalidation is left alone.
    """
    db.session.execute(
        update(Invalidation)
        .where(Invalidation.id == invalidation_id, Invalidation.status == QUEUED)
        .values(status=RUNNING)
    )
    db.session.commit()
    invalidation = db.session.get(Invalidation, invalidation_id)
    if invalidation is None or invalidation.is_finished:
        return
    campaign_id = invalidation.campaign_id
    condition = SignatureFilter.from_json(invalidation.filter).condition()
    try:
        while invalidation.status == RUNNING:
            ids = db.session.scalars(select(Signature.id).where(condition).limit(BATCH)).all()
            if not ids:
                invalidation.status = DONE
                break
            changed = rowcount(
                db.session.execute(
                    update(Signature)
                    .where(Signature.id.in_(ids), Signature.status != INVALIDATED)
                    .values(status=INVALIDATED, invalidated_at=utcnow())
                )
            )
            invalidation.affected += changed
            db.session.commit()  # expires the row: the loop re-reads its status, seeing a cancel
        if invalidation.status == CANCELLING:
            invalidation.status = CANCELLED
        invalidation.finished_at = utcnow()
        audit(
            "invalidation.finished",
            invalidation.user_id,
            invalidation.campaign_id,
            {"invalidation_id": invalidation.id, "status": invalidation.status},
            invalidation.affected,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        db.session.execute(
            update(Invalidation).where(Invalidation.id == invalidation_id).values(status=FAILED)
        )
        db.session.commit()
        raise
    finally:
        counts.reconcile(campaign_id)
