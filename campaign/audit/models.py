"""One audit entry per act: who did what, to which campaign, letter, organisation or person.

``user_id`` and ``subject_user_id`` hold account ids without a foreign key: the audit log must
outlive the accounts it names, and an erased account must not erase the record of its acts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models_base import Model, utcnow


class AuditEntry(Model):
    __table_args__ = (
        Index("ix_audit_entry_campaign_created_at", "campaign_id", "created_at"),
        Index("ix_audit_entry_letter_id", "letter_id"),
        Index("ix_audit_entry_user_id", "user_id"),
        Index("ix_audit_entry_action", "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who acted; None for the command line and for the system's own jobs
    user_id: Mapped[int | None]
    #: a dotted verb, e.g. "invalidation.started", "export.requested", "staff.deactivated"
    action: Mapped[str] = mapped_column(String(60))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None]
    #: the account acted upon (a role changed, a member invited or removed, a 2FA reset)
    subject_user_id: Mapped[int | None]
    #: the filter or fields the action applied to (never signers' addresses)
    details: Mapped[dict[str, Any]] = mapped_column(db.JSON, default=dict)
    affected: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
