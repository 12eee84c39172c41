"""Claims on a mass action's row (an export, an invalidation), so a job whose worker died resumes.

RQ notices a dead worker's job late and then fails it; the row it was working on would stay
"running" for ever. Instead each run claims the row (queued, or running with a heartbeat older
than ``JOB_STALE_SECONDS``), beats while it works, and writes only while its claim holds: a
periodic job queues stale rows again, and a slow run that lost its claim to a newer one stops.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from flask import current_app
from sqlalchemy import and_, case, or_, update
from sqlalchemy.sql.expression import ColumnElement

from campaign.extensions import db
from campaign.models_base import rowcount, utcnow


class JobStatus(StrEnum):
    """The states of a mass action's row (an export, an invalidation and its undo, a letter's
    evidence); each kind uses those it needs."""

    QUEUED = "queued"
    RUNNING = "running"
    #: asks the running job to stop after its batch
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    DONE = "done"
    FAILED = "failed"
    #: an export whose file was deleted when its link expired
    EXPIRED = "expired"


#: states a job does not leave
FINISHED = (JobStatus.CANCELLED, JobStatus.DONE, JobStatus.FAILED)


def stale_before() -> datetime:
    return utcnow() - timedelta(seconds=int(current_app.config["JOB_STALE_SECONDS"]))


def is_stale(model: Any, running: tuple[str, ...] = (JobStatus.RUNNING,)) -> ColumnElement[bool]:
    """In one of the ``running`` states, but nobody has beaten for it lately (or ever: rows from
    before heartbeats)."""
    return and_(
        model.status.in_(running), or_(model.heartbeat_at.is_(None), model.heartbeat_at < stale_before())
    )


def claim(
    model: Any, row_id: int, running: tuple[str, ...] = (JobStatus.RUNNING,), **values: Any
) -> datetime | None:
    """Take the row for this run (committed); the claim's time, or None if another run holds it.

    A queued row becomes running; a stale one keeps its state (a "cancelling" one is still
    to be cancelled by the run that takes it over).
    """
    now = utcnow()
    claimed = rowcount(
        db.session.execute(
            update(model)
            .where(model.id == row_id, or_(model.status == JobStatus.QUEUED, is_stale(model, running)))
            .values(
                status=case((model.status == JobStatus.QUEUED, JobStatus.RUNNING), else_=model.status),
                claimed_at=now,
                heartbeat_at=now,
                **values,
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    return now if claimed else None


def beat(model: Any, row_id: int, claimed_at: datetime, **values: Any) -> bool:
    """Record progress while this run's claim holds (the caller commits); False once it is lost."""
    return bool(
        rowcount(
            db.session.execute(
                update(model)
                .where(model.id == row_id, model.claimed_at == claimed_at)
                .values(heartbeat_at=utcnow(), **values)
                .execution_options(synchronize_session=False)
            )
        )
    )
