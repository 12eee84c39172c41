"""Bulk invalidations moderators started, and trending flags. (The audit log is ``campaign.audit``.)

``user_id`` columns hold the acting account's id without a foreign key, as the audit log does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.jobclaims import FINISHED, JobStatus
from campaign.models_base import Model, utcnow


class Invalidation(Model):
    """One bulk invalidation by a filter, run as a job with progress."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None]
    #: the filter as a JSON object (see moderation.filters.SignatureFilter)
    filter: Mapped[dict[str, Any]] = mapped_column(db.JSON)
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.QUEUED)
    #: how many signatures matched when the moderator confirmed (the preview count)
    matched: Mapped[int] = mapped_column(default=0)
    affected: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    #: when the current run took the invalidation (see campaign.jobclaims)
    claimed_at: Mapped[datetime | None]
    #: the current run's last sign of life; a stale one is resumed by another worker
    heartbeat_at: Mapped[datetime | None]
    #: when a moderator asked to undo it (its InvalidationUndo job gives the signatures back)
    undone_at: Mapped[datetime | None]

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, round(100 * self.affected / self.matched)) if self.matched else 0


class InvalidationUndo(Model):
    """Giving back what one invalidation took, run as a job with progress like the invalidation.

    One per invalidation: asking twice finds the undo already asked for.
    """

    __tablename__ = "invalidation_undo"

    id: Mapped[int] = mapped_column(primary_key=True)
    invalidation_id: Mapped[int] = mapped_column(
        ForeignKey("invalidation.id", ondelete="CASCADE"), unique=True
    )
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.QUEUED)
    #: signatures given back so far
    restored: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    #: the current run's claim and last sign of life (see campaign.jobclaims)
    claimed_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


IP_HASH, EMAIL_DOMAIN = "ip_hash", "email_domain"


class TrendingFlag(Model):
    """An address or mail domain that signed one campaign unusually often in the last hour."""

    __table_args__ = (UniqueConstraint("campaign_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    #: "ip_hash" or "email_domain"
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(255))
    #: signatures from it in the hour before the last detection
    signatures_last_hour: Mapped[int]
    #: its share of the campaign's signatures in that hour (0..1)
    share: Mapped[float]
    first_flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_flagged_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
