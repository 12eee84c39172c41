"""CSV exports, written by a job to a file under instance/exports and downloaded through an expiring link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.jobclaims import JobStatus
from campaign.models_base import Model, utcnow
from campaign.signatures.models import Signature

#: who the export is for, which decides its rows and columns (see dashboard.exports)
STAFF, PARTNER = "staff", "partner"


class Export(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: "staff" or "partner"
    kind: Mapped[str] = mapped_column(String(10))
    #: for a partner export: the organisation whose referral code selects the rows
    organisation_id: Mapped[int | None] = mapped_column(index=True)
    #: the partner's referral code at the time of the request
    source: Mapped[str | None] = mapped_column(String(80))
    user_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED)
    total_rows: Mapped[int] = mapped_column(default=0)
    written_rows: Mapped[int] = mapped_column(default=0)
    #: the file's name under instance/exports; random, never derived from the campaign
    file_name: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    #: when the current run took the export (see campaign.jobclaims); it writes only while it holds it
    claimed_at: Mapped[datetime | None]
    #: the current run's last sign of life; a stale one is resumed by another worker
    heartbeat_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, round(100 * self.written_rows / self.total_rows)) if self.total_rows else 0


# Indexes the dashboard's aggregates need, declared here beside their one user.
#: by-language and by-partner breakdowns of counted signatures (index-only scans)
Index(
    "ix_signature_counted_lang",
    Signature.campaign_id,
    Signature.status,
    Signature.lang,
)
Index(
    "ix_signature_counted_source",
    Signature.campaign_id,
    Signature.status,
    Signature.source,
)
#: signatures over time, counted ones only
Index(
    "ix_signature_counted_confirmed_at",
    Signature.campaign_id,
    Signature.status,
    Signature.confirmed_at,
)
#: trending detection reads the last hour across campaigns
Index("ix_signature_created_at", Signature.created_at)
