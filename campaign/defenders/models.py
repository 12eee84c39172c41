"""Defenders: people at risk, each with a per-language record of their case."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from campaign.extensions import db
from campaign.i18n import pick
from campaign.models_base import Model, utcnow
from campaign.source_versions import SourceTracked

DEFENDER_STATUSES = ("detained", "under_investigation", "on_trial", "sentenced", "in_exile", "released")


class Defender(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: ISO 3166-1 alpha-2 of the country that persecutes them
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(30))
    default_lang: Mapped[str] = mapped_column(String(8))
    #: an uploaded photo's file name under instance/uploads; None shows a generated placeholder
    photo: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    translations: Mapped[dict[str, DefenderTranslation]] = relationship(
        collection_class=attribute_keyed_dict("lang"), cascade="all, delete-orphan", lazy="selectin"
    )
    timeline: Mapped[list[TimelineEvent]] = relationship(
        order_by="TimelineEvent.happened_on", cascade="all, delete-orphan"
    )
    sources: Mapped[list[Source]] = relationship(order_by="Source.id", cascade="all, delete-orphan")

    def text(self, lang: str) -> tuple[DefenderTranslation, bool]:
        return pick(self.translations, lang, self.default_lang)


class DefenderTranslation(SourceTracked, Model):
    __table_args__ = (UniqueConstraint("defender_id", "lang"),)
    tracked_fields = ("name", "occupation", "charges", "sentence", "bio")

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    occupation: Mapped[str] = mapped_column(String(200), default="")
    charges: Mapped[str] = mapped_column(Text, default="")
    sentence: Mapped[str] = mapped_column(Text, default="")
    #: Markdown, sanitised when rendered
    bio: Mapped[str] = mapped_column(Text, default="")


class TimelineEvent(Model):
    """One dated event; ``texts`` maps language to the sentence describing it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date]
    texts: Mapped[dict[str, str]] = mapped_column(db.JSON)


class Source(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(300))
