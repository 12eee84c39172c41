"""Bulk invalidation as a cancellable job, and the audit log. Services flush; callers commit."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, or_, select, update

from campaign import jobclaims
from campaign.audit.models import AuditEntry
from campaign.audit.services import record
from campaign.dashboard import figures
from campaign.extensions import db, queues
from campaign.models_base import utcnow
from campaign.moderation.filters import SignatureFilter
from campaign.moderation.models import (
    CANCELLED,
    CANCELLING,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
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
    """A campaign's audit entry, in the arguments moderation has always used (see ``campaign.audit``)."""
    return record(action, user_id=user_id, campaign_id=campaign_id, details=details, affected=affected)


def start_invalidation(flt: SignatureFilter, user_id: int | None) -> Invalidation:
    """Record the request with its preview count (the caller commits, then calls ``enqueue``)."""
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
    return invalidation


def enqueue(invalidation: Invalidation) -> None:
    """Queue the job; if Redis is down, :func:`resume_queued` queues it once Redis is back."""
    try:
        queues.enqueue(
            "bulk", "campaign.moderation.services.run_invalidation", invalidation.id, failure_ttl=24 * 3600
        )
    except Exception:
        log.warning("could not queue invalidation %s; it will be resumed", invalidation.id, exc_info=True)


#: states in which a job is (or should be) working on an invalidation
WORKING = (RUNNING, CANCELLING)


def resume_queued() -> int:
    """Periodic job: queue again every invalidation still waiting a minute after it was confirmed,
    and every one whose worker stopped beating (it died: another run goes on where it stopped).

    A second job for the same invalidation does nothing (its claim fails), so this is always safe.
    """
    waiting = db.session.scalars(
        select(Invalidation).where(
            or_(
                and_(
                    Invalidation.status == QUEUED, Invalidation.created_at < utcnow() - timedelta(minutes=1)
                ),
                jobclaims.is_stale(Invalidation, WORKING),
            )
        )
    ).all()
    for invalidation in waiting:
        enqueue(invalidation)
    db.session.rollback()
    return len(waiting)


def cancel(invalidation: Invalidation, user_id: int | None) -> bool:
    """Ask a queued or running invalidation to stop; return whether it was still going."""
    stopped = db.session.execute(
        update(Invalidation)
        .where(Invalidation.id == invalidation.id, Invalidation.status.in_((QUEUED, RUNNING)))
        .values(
            status=case((Invalidation.status == QUEUED, CANCELLED), else_=CANCELLING),
            finished_at=case((Invalidation.status == QUEUED, utcnow()), else_=None),
        )
    ).rowcount
    if stopped:
        audit(
            "invalidation.cancelled", user_id, invalidation.campaign_id, {"invalidation_id": invalidation.id}
        )
    return bool(stopped)


def run_invalidation(invalidation_id: int) -> None:
    """Job: invalidate matching signatures batch by batch, stopping early when cancelled.

    Safe to run twice: a run holds a claim on the invalidation (``campaign.jobclaims``), so a
    second one returns at once while the first is alive and takes over once it died, going on
    where it stopped (invalidated signatures no longer match the filter).
    """
    claimed_at = jobclaims.claim(Invalidation, invalidation_id, WORKING)
    if claimed_at is None:
        return
    invalidation = db.session.get(Invalidation, invalidation_id)
    assert invalidation is not None
    campaign_id = invalidation.campaign_id
    condition = SignatureFilter.from_json(invalidation.filter).condition()
    try:
        while invalidation.status == RUNNING:
            ids = db.session.scalars(select(Signature.id).where(condition).limit(BATCH)).all()
            if not ids:
                invalidation.status = DONE
                break
            changed = db.session.execute(
                update(Signature)
                .where(Signature.id.in_(ids), Signature.status != INVALIDATED)
                .values(status=INVALIDATED, invalidated_at=utcnow())
            ).rowcount
            progressed = jobclaims.beat(
                Invalidation, invalidation_id, claimed_at, affected=Invalidation.affected + changed
            )
            if not progressed:  # a newer run took over: it carries on, and this one's batch is undone
                db.session.rollback()
                return
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
        figures.forget(campaign_id)
