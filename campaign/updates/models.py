"""An update (news for a campaign's supporters, per language) and a supporter's erasure request."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from campaign.campaigns.models import Campaign
from campaign.i18n import pick
from campaign.models_base import Model, utcnow
from campaign.source_versions import SourceTracked
from campaign.updates.audience import Segment


class UpdateStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"


#: statuses in which the text may still change; once sending starts it is fixed
EDITABLE = (UpdateStatus.DRAFT, UpdateStatus.SCHEDULED)
SUBJECT_MAX = 200


class Update(Model):
    __tablename__ = "campaign_update"
    __table_args__ = (Index("ix_campaign_update_due", "status", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: the language a supporter gets when the update has no text in theirs
    default_lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default=UpdateStatus.DRAFT)
    #: sha256 of the first text, so ``send-update`` run twice finds the update it already made
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    #: the staff user who wrote it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    scheduled_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: keyset cursor of the fan-out: supporters with a higher id have no outbox row yet
    fanout_cursor: Mapped[int] = mapped_column(default=0)
    #: when the fan-out last wrote a batch; the scheduler resumes one that went quiet
    fanout_at: Mapped[datetime | None]
    fanout_done_at: Mapped[datetime | None]
    #: bounds of this update's outbox row ids, so progress counts over a primary-key range
    first_outbox_id: Mapped[int | None]
    last_outbox_id: Mapped[int | None]
    #: when it was published on the campaign's and the defender's pages; None: mailed only
    published_at: Mapped[datetime | None]
    #: who gets it (campaign.updates.audience.Segment as JSON); None: every supporter
    audience: Mapped[dict[str, str] | None] = mapped_column(JSON)

    campaign: Mapped[Campaign] = relationship()
    translations: Mapped[dict[str, UpdateTranslation]] = relationship(
        collection_class=attribute_keyed_dict("lang"), cascade="all, delete-orphan", lazy="selectin"
    )

    def text(self, lang: str) -> tuple[UpdateTranslation, bool]:
        return pick(self.translations, lang, self.default_lang)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def segment(self) -> Segment:
        return Segment.from_json(self.audience)


class UpdateTranslation(SourceTracked, Model):
    __tablename__ = "campaign_update_translation"
    __table_args__ = (UniqueConstraint("update_id", "lang"),)
    tracked_fields = ("subject", "body")

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("campaign_update.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    #: Markdown, sanitised when rendered
    body: Mapped[str] = mapped_column(Text)


class ErasureRequest(Model):
    """A supporter's request to erase their data, confirmed through a single-use emailed link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporter.id", ondelete="CASCADE"), index=True)
    #: sha256 of the emailed token; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
