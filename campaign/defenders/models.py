"""Defenders: people at risk, each with a per-language record of their case."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy import false as sa_false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from campaign.defenders.dates import DAY, PartialDate
from campaign.extensions import db
from campaign.i18n import pick
from campaign.models_base import Archivable, Model, utcnow
from campaign.source_versions import SourceTracked

DEFENDER_STATUSES = ("detained", "under_investigation", "on_trial", "sentenced", "in_exile", "released")
#: the kinds of fact a case record holds
STATUS, DETENTION, CHARGE, HEARING, SENTENCE = "status", "detention", "charge", "hearing", "sentence"
FACT_KINDS = (STATUS, DETENTION, CHARGE, HEARING, SENTENCE)


class Defender(Archivable, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: ISO 3166-1 alpha-2 of the country that persecutes them
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(30))
    default_lang: Mapped[str] = mapped_column(String(8))
    #: listed in the public register, with a page of their own (a campaign may show them regardless)
    is_public: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
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
    facts: Mapped[list[CaseFact]] = relationship(
        order_by="[CaseFact.kind, CaseFact.happened_on, CaseFact.id]",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    #: every name of every language with its Latin transliteration, lower-cased: what search matches
    search_names: Mapped[str] = mapped_column(Text, default="", server_default="")

    def text(self, lang: str) -> tuple[DefenderTranslation, bool]:
        return pick(self.translations, lang, self.default_lang)

    @hybrid_property
    def is_listed(self) -> bool:
        """In the public register, the API and the feeds, with a page: public and not archived
        (in SQL too). Every public query of defenders asks this."""
        return self.is_public and self.archived_at is None

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_expression(cls) -> ColumnElement[bool]:
        return and_(cls.is_public.is_(True), cls.archived_at.is_(None))

    def facts_of(self, kind: str) -> list[CaseFact]:
        return [fact for fact in self.facts if fact.kind == kind]

    @property
    def status_history(self) -> list[CaseFact]:
        """Oldest first; a change whose date is unknown comes first."""
        return sorted(self.facts_of(STATUS), key=history_order)

    @property
    def status_verified_on(self) -> date | None:
        """When the present status was last checked against a source."""
        history = self.status_history
        return history[-1].verified_on if history else None


class DefenderTranslation(SourceTracked, Model):
    __table_args__ = (UniqueConstraint("defender_id", "lang"),)
    tracked_fields = ("name", "occupation", "bio")

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    occupation: Mapped[str] = mapped_column(String(200), default="")
    #: Markdown, sanitised when rendered
    bio: Mapped[str] = mapped_column(Text, default="")


class TimelineEvent(Model):
    """One dated event; ``texts`` maps language to the sentence describing it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date]
    #: "year", "month" or "day": how much of ``happened_on`` is known (see defenders/dates.py)
    precision: Mapped[str] = mapped_column(String(5), default=DAY, server_default=DAY)
    texts: Mapped[dict[str, str]] = mapped_column(db.JSON)

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.happened_on, self.precision)


class Source(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(300))


class CaseFact(Model):
    """One fact of a case record, with its source and when it was last checked.

    ``kind`` says what it is: a status change (``status`` set), the place of detention, a charge
    (``article`` of the code where known), a hearing (``texts`` the court, ``outcomes`` its
    outcome), or the sentence. ``texts`` and ``outcomes`` map a language to its wording.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str | None] = mapped_column(String(30))
    #: when it happened (a status change, a hearing, a sentence, a detention's start); None: unknown
    happened_on: Mapped[date | None]
    precision: Mapped[str] = mapped_column(String(5), default=DAY, server_default=DAY)
    #: e.g. "Art. 164(1) Criminal Code of Kazakhstan"
    article: Mapped[str] = mapped_column(String(200), default="", server_default="")
    texts: Mapped[dict[str, str]] = mapped_column(db.JSON, default=dict)
    outcomes: Mapped[dict[str, str]] = mapped_column(db.JSON, default=dict)
    source_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    source_title: Mapped[str] = mapped_column(String(300), default="", server_default="")
    verified_on: Mapped[date | None]

    @property
    def when(self) -> PartialDate | None:
        return PartialDate.of(self.happened_on, self.precision)

    def text(self, lang: str, default_lang: str) -> str:
        return _in(self.texts, lang, default_lang)

    def outcome(self, lang: str, default_lang: str) -> str:
        return _in(self.outcomes, lang, default_lang)


def history_order(fact: CaseFact) -> tuple[bool, date | None, int]:
    """Sorts a status history oldest first, a change whose date is unknown before all others."""
    return (fact.happened_on is not None, fact.happened_on, fact.id or 0)


def _in(texts: dict[str, str], lang: str, default_lang: str) -> str:
    return texts.get(lang) or texts.get(default_lang) or next(iter(texts.values()), "")


class Follower(Model):
    """Someone who asked to be mailed when a defender's status changes or an update is published.

    Unconfirmed until the emailed link's page is submitted. Unfollowing deletes the row: we keep
    no list of people who once followed a case.
    """

    __table_args__ = (UniqueConstraint("defender_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    #: keyed hash of the normalised address: one follower per mailbox and defender
    email_hash: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    #: sha256 of the confirmation link's token; the token itself is only in the mail
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]


#: the longest solidarity message, in characters
MESSAGE_MAX = 500


class MessageStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class SolidarityMessage(Model):
    """A signer's few words to a defender, moderated before anyone reads them.

    Written with a signature and created only once its signer confirmed it by email (until then
    it waits on the signature row). It keeps no address and no IP hash: ``display_name`` is the
    signer's name only if they agreed to show it, and erasing the signer deletes the message.
    Approved ones go into the defender's booklet; approved public ones onto their page too.
    """

    __table_args__ = (Index("ix_solidarity_message_defender_status", "defender_id", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defender.id", ondelete="CASCADE"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    #: the signature it came with (None once that is gone), so that erasing its signer deletes it
    signature_id: Mapped[int | None] = mapped_column(
        ForeignKey("signature.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(String(MESSAGE_MAX))
    #: the signer agreed to it appearing on the defender's public page (once approved)
    is_public: Mapped[bool] = mapped_column(default=False)
    #: the signer's name if they agreed to show it publicly; None: "a supporter"
    display_name: Mapped[str | None] = mapped_column(String(100))
    #: the language the signer signed in (the text may be in any)
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    defender: Mapped[Defender] = relationship(lazy="joined")
