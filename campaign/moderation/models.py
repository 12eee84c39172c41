"""What moderators did (the audit log), bulk invalidations they started, and trending flags.

``user_id`` columns hold the acting account's id without a foreign key: the audit log must
outlive the accounts it names, and an erased account must not erase the record of its acts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models_base import Model, utcnow

#: states of a bulk invalidation; "cancelling" asks the running job to stop after its batch
QUEUED, RUNNING, CANCELLING, CANCELLED, DONE, FAILED = (
    "queued",
    "running",
    "cancelling",
    "cancelled",
    "done",
    "failed",
)
FINISHED = (CANCELLED, DONE, FAILED)


class AuditEntry(Model):
    __table_args__ = (Index("ix_audit_entry_campaign_created_at", "campaign_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None]
    #: a dotted verb, e.g. "invalidation.started", "export.requested", "campaign.updated"
    action: Mapped[str] = mapped_column(String(60))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    #: the filter or fields the action applied to (never signers' addresses)
    details: Mapped[dict[str, Any]] = mapped_column(db.JSON, default=dict)
    affected: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invalidation(Model):
    """One bulk invalidation by a filter, run as a job with progress."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None]
    #: the filter as a JSON object (see moderation.filters.SignatureFilter)
    filter: Mapped[dict[str, Any]] = mapped_column(db.JSON)
    status: Mapped[str] = mapped_column(String(12), default=QUEUED)
    #: how many signatures matched when the moderator confirmed (the preview count)
    matched: Mapped[int] = mapped_column(default=0)
    affected: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == DONE:
            return 100
        return min(100, round(100 * self.affected / self.matched)) if self.matched else 0


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
