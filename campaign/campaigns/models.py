"""Campaigns (public petitions, usually for one defender), each with per-language text."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from campaign.accounts.models import Organisation
from campaign.defenders.models import Defender
from campaign.i18n import pick
from campaign.models_base import Model, utcnow
from campaign.source_versions import SourceTracked


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    LIVE = "live"
    CLOSED = "closed"
    WON = "won"


#: the partner organisations that support a campaign, shown on its page ("Supported by")
campaign_partner = Table(
    "campaign_partner",
    Model.metadata,
    Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(Model):
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

    @property
    def is_open(self) -> bool:
        """Whether it takes signatures now."""
        from campaign.campaigns.services import SigningState

        return SigningState(self.id, self.status, self.opens_at, self.closes_at).is_open


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
