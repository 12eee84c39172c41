"""Bulk invalidation as a cancellable job, and the audit log. Services flush; callers commit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Update, and_, case, select, update

from campaign import jobclaims, jobs
from campaign.after_commit import after_commit
from campaign.audit.models import AuditEntry
from campaign.audit.services import record
from campaign.extensions import db
from campaign.jobclaims import JobStatus
from campaign.models_base import rowcount, utcnow
from campaign.moderation.filters import SignatureFilter
from campaign.moderation.models import Invalidation, InvalidationUndo
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus, status_before_invalidation
from campaign.signatures.services import email_hash

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


#: states in which a job is (or should be) working on an invalidation
WORKING = (JobStatus.RUNNING, JobStatus.CANCELLING)


def cancel(invalidation: Invalidation, user_id: int | None) -> bool:
    """Ask a queued or running invalidation to stop; return whether it was still going."""
    stopped = rowcount(
        db.session.execute(
            update(Invalidation)
            .where(
                Invalidation.id == invalidation.id,
                Invalidation.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
            )
            .values(
                status=case(
                    (Invalidation.status == JobStatus.QUEUED, JobStatus.CANCELLED), else_=JobStatus.CANCELLING
                ),
                finished_at=case((Invalidation.status == JobStatus.QUEUED, utcnow()), else_=None),
            )
        )
    )
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
    with _marked_failed_on_error(Invalidation, invalidation_id, campaign_id):
        while invalidation.status == JobStatus.RUNNING:
            ids = db.session.scalars(select(Signature.id).where(condition).limit(BATCH)).all()
            if not ids:
                invalidation.status = JobStatus.DONE
                break
            batch = (
                update(Signature)
                .where(Signature.id.in_(ids), Signature.status != SignatureStatus.INVALIDATED)
                .values(
                    status=SignatureStatus.INVALIDATED,
                    invalidated_at=utcnow(),
                    invalidation_id=invalidation_id,
                )
            )
            # the commit expires the row: the loop re-reads its status, seeing a cancel
            if not _run_batch(Invalidation, invalidation_id, claimed_at, batch, "affected"):
                return
        if invalidation.status == JobStatus.CANCELLING:
            invalidation.status = JobStatus.CANCELLED
        invalidation.finished_at = utcnow()
        audit(
            "invalidation.finished",
            invalidation.user_id,
            invalidation.campaign_id,
            {"invalidation_id": invalidation.id, "status": invalidation.status},
            invalidation.affected,
        )
        db.session.commit()


@contextmanager
def _marked_failed_on_error(
    model: type[Invalidation | InvalidationUndo], row_id: int, campaign_id: int
) -> Iterator[None]:
    """A mass action's body: an error marks its row failed (and goes on up, for RQ to record);
    whatever happens, the campaign's live count is reconciled with what was committed."""
    try:
        yield
    except Exception:
        db.session.rollback()
        db.session.execute(update(model).where(model.id == row_id).values(status=JobStatus.FAILED))
        db.session.commit()
        raise
    finally:
        counts.reconcile(campaign_id)


def _run_batch(
    model: type[Invalidation | InvalidationUndo], row_id: int, claimed_at: datetime, batch: Update, tally: str
) -> bool:
    """Run one batch's update of signatures and add the rows it changed to the row's ``tally``
    column, in one transaction with the run's heartbeat; False (and nothing changed) when a newer
    run has taken the row over, which carries on in its place."""
    changed = rowcount(db.session.execute(batch))
    if not jobclaims.beat(model, row_id, claimed_at, **{tally: getattr(model, tally) + changed}):
        db.session.rollback()
        return False
    db.session.commit()
    return True


def undoable(campaign_id: int) -> Invalidation | None:
    """The campaign's latest invalidation, if it finished and is not undone: only it may be undone,
    so an undo never restores signatures a later invalidation also chose."""
    latest = db.session.scalar(
        select(Invalidation).where(Invalidation.campaign_id == campaign_id).order_by(Invalidation.id.desc())
    )
    if (
        latest is None
        or latest.status not in (JobStatus.DONE, JobStatus.CANCELLED)
        or latest.undone_at is not None
    ):
        return None
    return latest


def start_undo(invalidation: Invalidation, user_id: int | None) -> InvalidationUndo:
    """Ask to give back the signatures this invalidation took; its job is queued after the commit.

    The invalidation stops being undoable at once, so a second press starts nothing.
    """
    if undoable(invalidation.campaign_id) is not invalidation:
        raise ValueError("only the latest finished invalidation can be undone")
    invalidation.undone_at = utcnow()
    undo = undo_of(invalidation)  # one cancelled before it started is asked again
    if undo is None:
        undo = InvalidationUndo(invalidation_id=invalidation.id, campaign_id=invalidation.campaign_id)
        db.session.add(undo)
    undo.user_id, undo.status, undo.finished_at = user_id, JobStatus.QUEUED, None
    db.session.flush()
    jobs.enqueue_after_commit("invalidation_undo", undo.id)
    return undo


def cancel_undo(undo: InvalidationUndo, user_id: int | None) -> bool:
    """Cancel an undo that has not started (its job then finds nothing to claim), leaving the
    invalidation undoable again; False once a run has begun giving signatures back."""
    stopped = rowcount(
        db.session.execute(
            update(InvalidationUndo)
            .where(InvalidationUndo.id == undo.id, InvalidationUndo.status == JobStatus.QUEUED)
            .values(status=JobStatus.CANCELLED, finished_at=utcnow())
        )
    )
    if stopped:
        db.session.execute(
            update(Invalidation).where(Invalidation.id == undo.invalidation_id).values(undone_at=None)
        )
        audit(
            "invalidation.undo_cancelled",
            user_id,
            undo.campaign_id,
            {"invalidation_id": undo.invalidation_id},
        )
    db.session.expire_all()
    return bool(stopped)


def run_undo(undo_id: int) -> None:
    """Job: give back an invalidation's signatures batch by batch, each to the state it had.

    Safe to run twice, and resumed after its worker died, as ``run_invalidation`` is: given-back
    signatures no longer carry the invalidation's id, so a run goes on where the last stopped.
    """
    claimed_at = jobclaims.claim(InvalidationUndo, undo_id)
    if claimed_at is None:
        return
    undo = db.session.get(InvalidationUndo, undo_id)
    assert undo is not None
    campaign_id = undo.campaign_id
    taken = and_(
        Signature.invalidation_id == undo.invalidation_id, Signature.status == SignatureStatus.INVALIDATED
    )
    with _marked_failed_on_error(InvalidationUndo, undo_id, campaign_id):
        while ids := db.session.scalars(select(Signature.id).where(taken).limit(BATCH)).all():
            batch = (
                update(Signature)
                .where(Signature.id.in_(ids), taken)
                .values(status=status_before_invalidation(), invalidated_at=None, invalidation_id=None)
            )
            if not _run_batch(InvalidationUndo, undo_id, claimed_at, batch, "restored"):
                return
        undo.status, undo.finished_at = JobStatus.DONE, utcnow()
        audit(
            "invalidation.undone",
            undo.user_id,
            campaign_id,
            {"invalidation_id": undo.invalidation_id},
            undo.restored,
        )
        db.session.commit()


def undo_of(invalidation: Invalidation) -> InvalidationUndo | None:
    return db.session.scalar(
        select(InvalidationUndo).where(InvalidationUndo.invalidation_id == invalidation.id)
    )


#: what a moderator may do to one signature, and the audit log's name for it
ONE_ACTIONS = {
    "invalidate": "signature.invalidated",
    "restore": "signature.restored",
    "erase": "signature.erased",
    "hide": "signature.name_hidden",
}


def find_signature(campaign_id: int, email: str) -> Signature | None:
    """One campaign's signature by address, through the normalised keyed hash (the only way it is stored)."""
    return db.session.scalar(
        select(Signature).where(
            Signature.campaign_id == campaign_id, Signature.email_hash == email_hash(email)
        )
    )


def set_one(signature: Signature, action: str, user_id: int | None) -> None:
    """Invalidate, restore, erase one signature or hide its name from the public list of signers
    (the caller commits, then reconciles the count). Hiding withdraws the name as the signer's
    own "show my name" would: the signature still counts, and nothing public shows the name again."""
    if action == "invalidate" and signature.status != SignatureStatus.INVALIDATED:
        signature.status, signature.invalidated_at = SignatureStatus.INVALIDATED, utcnow()
    elif action == "restore" and signature.status == SignatureStatus.INVALIDATED:
        signature.status = signature.status_before_invalidation
        signature.invalidated_at, signature.invalidation_id = None, None
    elif action == "erase":
        db.session.delete(signature)
    elif action == "hide" and signature.is_name_public:
        signature.is_name_public = False
        # signatures change no cached page (campaign.page_cache): a hidden name goes at once
        after_commit("campaign.page_cache.invalidate")
    else:
        return
    audit(ONE_ACTIONS[action], user_id, signature.campaign_id, {"signature_id": signature.id})
    db.session.flush()
