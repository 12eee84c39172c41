"""Coalition letters: the text in versions per language, the organisations in the letter, their
comments and sign-ons, the recipients, and one delivery per recipient."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import Organisation, User
from campaign.extensions import db
from campaign.i18n import pick
from campaign.mail import OutboxMessage
from campaign.models_base import Model, utcnow

DRAFTING, OPEN, CLOSED, DELIVERED = "drafting", "open", "closed", "delivered"
LETTER_STATUSES = (DRAFTING, OPEN, CLOSED, DELIVERED)
#: statuses in which the letter has a public page
PUBLIC_STATUSES = (OPEN, CLOSED, DELIVERED)


def content_hash(title: str, body: str) -> str:
    """The fingerprint an organisation signs: it changes with any change to title or body."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


class Letter(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: drafting, open (for sign-on), closed or delivered
    status: Mapped[str] = mapped_column(String(12), default=DRAFTING)
    default_lang: Mapped[str] = mapped_column(String(8))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: language -> id of the LetterVersion opened for sign-on; empty while drafting
    frozen: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    coordinator: Mapped[Organisation] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()
    participants: Mapped[list[LetterParticipant]] = relationship(
        back_populates="letter", cascade="all, delete-orphan", order_by="LetterParticipant.id"
    )
    recipients: Mapped[list[Recipient]] = relationship(
        back_populates="letter", cascade="all, delete-orphan", order_by="Recipient.id"
    )
    sign_ons: Mapped[list[SignOn]] = relationship(
        back_populates="letter", cascade="all, delete-orphan", order_by="SignOn.signed_at"
    )

    @property
    def reference(self) -> str:
        """The reference number printed on the letter and quoted in replies."""
        return f"CL-{self.created_at:%Y}-{self.id:05d}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def frozen_versions(self) -> dict[str, LetterVersion]:
        versions = {lang: db.session.get(LetterVersion, vid) for lang, vid in self.frozen.items()}
        return {lang: version for lang, version in versions.items() if version is not None}

    def frozen_hashes(self) -> dict[str, str]:
        return {lang: version.content_hash for lang, version in self.frozen_versions().items()}

    def frozen_text(self, lang: str) -> tuple[LetterVersion, bool] | None:
        """The version open for sign-on in ``lang`` (else the default language's) and the fallback flag."""
        versions = self.frozen_versions()
        return pick(versions, lang, self.default_lang) if versions else None

    def signatories(self) -> list[SignOn]:
        """Sign-ons on the text as it stands; the others wait for their organisation to confirm again."""
        hashes = self.frozen_hashes()
        return [sign_on for sign_on in self.sign_ons if sign_on.hashes == hashes]

    def pending_sign_ons(self) -> list[SignOn]:
        hashes = self.frozen_hashes()
        return [sign_on for sign_on in self.sign_ons if sign_on.hashes != hashes]

    def accepted_organisation_ids(self) -> set[int]:
        """The organisations in the letter: the coordinator and every partner that accepted."""
        return {self.coordinator_id} | {p.organisation_id for p in self.participants if p.accepted_at}


class LetterVersion(Model):
    """One save of the text in one language: never changed afterwards."""

    __table_args__ = (Index("ix_letter_version_letter_lang", "letter_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    #: Markdown, sanitised when rendered
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    author_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: sha256 of title and body (content_hash); what a sign-on binds to
    content_hash: Mapped[str] = mapped_column(String(64))

    author: Mapped[User | None] = relationship()
    author_organisation: Mapped[Organisation | None] = relationship()


class LetterParticipant(Model):
    """A partner organisation invited into the letter; it sees the drafts once it has accepted."""

    __table_args__ = (UniqueConstraint("letter_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]

    letter: Mapped[Letter] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class LetterComment(Model):
    __table_args__ = (Index("ix_letter_comment_version", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("letter_version.id", ondelete="CASCADE"))
    #: the comment this one answers; None for a new thread
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("letter_comment.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    author_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    #: plain text, escaped when shown
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
    author_organisation: Mapped[Organisation | None] = relationship()


class Recipient(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: language -> title, e.g. {"en": "President of the French Republic"}
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    country: Mapped[str] = mapped_column(String(2))
    email: Mapped[str] = mapped_column(String(254))
    #: the language the letter is sent in (one of the letter's languages)
    lang: Mapped[str] = mapped_column(String(8))

    letter: Mapped[Letter] = relationship(back_populates="recipients")

    def title(self, lang: str) -> str:
        return pick(self.titles, lang, self.lang)[0] if self.titles else ""


class SignOn(Model):
    """An organisation's signature under the letter, bound to the exact text it signed."""

    __table_args__ = (UniqueConstraint("letter_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    representative: Mapped[str] = mapped_column(String(200))
    representative_title: Mapped[str] = mapped_column(String(200), default="")
    #: language -> content hash of each version signed; equal to the letter's frozen hashes when current
    hashes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    letter: Mapped[Letter] = relationship(back_populates="sign_ons")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def byline(self, lang: str) -> str:
        """The seeds' style: "Organisation, City (Representative)"."""
        place = (
            f"{self.organisation.name(lang)}, {self.organisation.city}"
            if self.organisation.city
            else (self.organisation.name(lang))
        )
        return f"{place} ({self.representative})"


#: the outbox's statuses as a delivery's: the outbox row is the one source of truth
DELIVERY_STATUS = {"pending": "queued", "sending": "sending", "sent": "sent", "failed": "failed"}


class Delivery(Model):
    """The letter sent to one recipient by one channel; its progress is its outbox row's."""

    __table_args__ = (UniqueConstraint("letter_id", "recipient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10), default="email")
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recipient: Mapped[Recipient] = relationship(lazy="joined")
    outbox: Mapped[OutboxMessage] = relationship(lazy="joined")

    @property
    def status(self) -> str:
        return DELIVERY_STATUS.get(self.outbox.status, "failed")

    @property
    def attempts(self) -> int:
        return self.outbox.attempts

    @property
    def last_error(self) -> str | None:
        return self.outbox.last_error

    @property
    def message_id(self) -> str | None:
        return self.outbox.message_id

    @property
    def sent_at(self) -> datetime | None:
        return self.outbox.sent_at
