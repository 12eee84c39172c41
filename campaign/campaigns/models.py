"""Campaigns (public petitions, usually for one defender), each with per-language text."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from campaign.accounts.models import Organisation
from campaign.defenders.models import Defender
from campaign.i18n import pick
from campaign.models_base import Archivable, Model, utcnow
from campaign.source_versions import SourceTracked

#: the longest sender name a campaign's update mails may carry
SENDER_NAME_MAX = 80


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    LIVE = "live"
    CLOSED = "closed"
    WON = "won"


def takes_signatures(
    status: str, opens_at: datetime | None, closes_at: datetime | None, now: datetime
) -> bool:
    """Whether a campaign in this state is open for signatures: live, opened, not yet closed.

    :func:`takes_signatures_clause` is the same rule in SQL.
    """
    return (
        status == CampaignStatus.LIVE
        and (opens_at is None or opens_at <= now)
        and (closes_at is None or now < closes_at)
    )


#: the partner organisations that support a campaign, shown on its page ("Supported by")
campaign_partner = Table(
    "campaign_partner",
    Model.metadata,
    Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(Archivable, Model):
    __table_args__ = (Index("ix_campaign_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    defender_id: Mapped[int | None] = mapped_column(ForeignKey("defender.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=CampaignStatus.DRAFT)
    default_lang: Mapped[str] = mapped_column(String(8))
    goal: Mapped[int] = mapped_column(default=1000)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    #: days after it closes before its signers' names, addresses and IP hashes are erased;
    #: None: the deployment's SIGNATURE_RETENTION_DAYS
    retention_days: Mapped[int | None]
    #: when the retention job first saw it closed (its closing date, if it had one)
    closed_at: Mapped[datetime | None]
    #: when its signatures were anonymised, for good: the counts stay, nothing names anyone
    anonymised_at: Mapped[datetime | None]
    #: the display name its update mails come from ("Free Aigul team"); None: the site's own.
    #: Only the name: the From address stays the operator's MAIL_DEFAULT_SENDER, never spoofed
    sender_name: Mapped[str | None] = mapped_column(String(SENDER_NAME_MAX))
    #: where replies to its update mails go; None: to the From address, as before
    reply_to: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    defender: Mapped[Defender | None] = relationship(lazy="joined")
    partners: Mapped[list[Organisation]] = relationship(
        secondary=campaign_partner, order_by=Organisation.slug, lazy="selectin"
    )
    translations: Mapped[dict[str, CampaignTranslation]] = relationship(
        collection_class=attribute_keyed_dict("lang"), cascade="all, delete-orphan", lazy="selectin"
    )

    def text(self, lang: str) -> tuple[CampaignTranslation, bool]:
        return pick(self.translations, lang, self.default_lang)

    @hybrid_property
    def is_public(self) -> bool:
        """Neither a draft nor archived: its page, its count and its API entry are public (in SQL
        too). Every public list and page asks this, so an archived campaign is gone from all."""
        return self.status != CampaignStatus.DRAFT and self.archived_at is None

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls) -> ColumnElement[bool]:
        return and_(cls.status != CampaignStatus.DRAFT, cls.archived_at.is_(None))

    @property
    def is_open(self) -> bool:
        """Whether it takes signatures now."""
        return self.archived_at is None and takes_signatures(
            self.status, self.opens_at, self.closes_at, utcnow()
        )


def takes_signatures_clause(now: ColumnElement[datetime]) -> ColumnElement[bool]:
    """:func:`takes_signatures` in SQL: the signing statement's condition."""
    return and_(
        Campaign.status == CampaignStatus.LIVE,
        Campaign.archived_at.is_(None),
        or_(Campaign.opens_at.is_(None), Campaign.opens_at <= now),
        or_(Campaign.closes_at.is_(None), Campaign.closes_at > now),
    )


class CampaignTranslation(SourceTracked, Model):
    __table_args__ = (UniqueConstraint("campaign_id", "lang"),)
    tracked_fields = ("title", "summary", "body", "demand", "target")

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Markdown, sanitised when rendered
    body: Mapped[str] = mapped_column(Text, default="")
    #: "We call on … to …"
    demand: Mapped[str] = mapped_column(Text, default="")
    #: the decision-makers addressed, e.g. "the President of Kazakhstan"
    target: Mapped[str] = mapped_column(String(300), default="")
