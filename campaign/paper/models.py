"""A paper sheet (or a CSV import) and the named signers an import brought.

Paper signatures are counted apart from online ones: ``signature_count`` stays the confirmed
online count, and every sheet's ``count`` adds to ``offline_signature_count``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models_base import Model, utcnow


class PaperSheet(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: signatures on it (for an import: the rows accepted)
    count: Mapped[int]
    #: where they were collected; "" when a sheet mixes countries
    country: Mapped[str] = mapped_column(String(2), default="")
    collected_on: Mapped[date | None]
    #: the partner organisation that collected them, if one did
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    #: the re-encoded scan under instance/uploads/paper (staff only: it shows names)
    scan: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(String(300), default="")
    #: for a CSV import: each rejected row's number and reason (never its content)
    rejected: Mapped[list[dict[str, Any]] | None] = mapped_column(db.JSON)
    created_by_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_import(self) -> bool:
        return self.rejected is not None


class PaperSigner(Model):
    """A named signer from an imported list; the address itself is not kept, only its keyed hash."""

    __table_args__ = (UniqueConstraint("campaign_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    sheet_id: Mapped[int] = mapped_column(ForeignKey("paper_sheet.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    #: keyed hash of the normalised address, as online signatures have it; None without an address
    email_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
