"""Signatures (one person's support of one campaign) and supporters (a person across campaigns).

Signing only ever inserts a row; the count a visitor sees is kept elsewhere (see counts.py),
so a popular campaign never serialises its signers on one row lock.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Case, ForeignKey, Index, String, UniqueConstraint, case, text
from sqlalchemy import false as sa_false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.campaigns.models import Campaign
from campaign.models_base import Model, utcnow


class SignatureStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    INVALIDATED = "invalidated"
    #: confirmed by its signer, but signed past FRAUD_SIGNATURES_PER_IP_HOUR: not counted until a
    #: moderator releases it (to confirmed) or invalidates it
    HELD = "held"


class Signature(Model):
    __table_args__ = (
        UniqueConstraint("campaign_id", "email_hash"),
        Index("ix_signature_counted", "campaign_id", "status", "country"),
        Index("ix_signature_campaign_confirmed_at", "campaign_id", "confirmed_at"),
        #: the campaign page's recent signers: equality on the first three columns leaves the
        #: index in confirmed_at order, so the newest ten public names are read off its end
        #: however many signatures are pending or confirmed without a public name (with
        #: ix_signature_counted_confirmed_at, PostgreSQL filters every newer private one out first)
        Index("ix_signature_recent_signers", "campaign_id", "status", "is_name_public", "confirmed_at"),
        Index("ix_signature_status_created_at", "status", "created_at"),
        Index(
            "ix_signature_invalidation_id",
            "invalidation_id",
            sqlite_where=text("invalidation_id IS NOT NULL"),
            postgresql_where=text("invalidation_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    #: the address as typed, to write to; None once the signer's data is erased
    email: Mapped[str | None] = mapped_column(String(254))
    #: keyed hash of the normalised address: one signature per person and campaign
    email_hash: Mapped[str] = mapped_column(String(64))
    email_domain: Mapped[str] = mapped_column(String(255), index=True)
    country: Mapped[str] = mapped_column(String(2))
    lang: Mapped[str] = mapped_column(String(8))
    is_name_public: Mapped[bool] = mapped_column(default=False)
    #: consent to this campaign's updates, from us
    wants_updates: Mapped[bool] = mapped_column(default=False)
    #: when the signer stopped this campaign's updates (first time); an update's
    #: "unsubscribed since" counts its recipients who did after it reached them
    updates_stopped_at: Mapped[datetime | None]
    #: consent to be contacted by the partner whose link the signer came through (``source``): a
    #: separate opt-in, offered only on a partner's link, and what the partner's export lists
    partner_may_contact: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    #: the ?ref= code of the partner link the signer came through, if any
    source: Mapped[str | None] = mapped_column(String(80), index=True)
    #: keyed hash of the signer's IP address, for rate limits and fraud review only
    ip_hash: Mapped[str] = mapped_column(String(32), index=True)
    #: sha256 of the confirmation token; kept after confirming so a reused link gets a kind answer
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_sent_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(12), default=SignatureStatus.PENDING)
    #: signed past FRAUD_SIGNATURES_PER_IP_HOUR from its address: confirming it holds it for review
    is_over_limit: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    invalidated_at: Mapped[datetime | None]
    #: the bulk invalidation that invalidated it, so that one can be undone
    invalidation_id: Mapped[int | None]
    #: a solidarity message written with it, kept here until the signer confirms: confirming
    #: hands it to moderation (a SolidarityMessage) and clears it
    message: Mapped[str | None] = mapped_column(String(500))
    is_message_public: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    campaign: Mapped[Campaign] = relationship(lazy="joined")

    @hybrid_property
    def is_counted(self) -> bool:
        """Whether it counts towards its campaign's total (in SQL too): confirmed, neither held
        for review nor invalidated."""
        return self.status == SignatureStatus.CONFIRMED

    @property
    def status_before_invalidation(self) -> str:
        """What undoing an invalidation gives back: pending, held for review or confirmed (a
        moderator's release clears ``is_over_limit``, so a released one comes back confirmed)."""
        if self.confirmed_at is None:
            return SignatureStatus.PENDING
        return SignatureStatus.HELD if self.is_over_limit else SignatureStatus.CONFIRMED


def status_before_invalidation() -> Case[str]:
    """``Signature.status_before_invalidation`` in SQL, for undoing a bulk invalidation."""
    return case(
        (Signature.confirmed_at.is_(None), SignatureStatus.PENDING),
        (Signature.is_over_limit, SignatureStatus.HELD),
        else_=SignatureStatus.CONFIRMED,
    )


class Supporter(Model):
    """A person by normalised email, across campaigns: their language and whether they hear from us."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    unsubscribed_at: Mapped[datetime | None]
