"""Coalition letters: the text in versions per language, the organisations in the letter, their
comments and sign-ons, the recipients, and one delivery per recipient."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import Organisation, User
from campaign.extensions import db
from campaign.i18n import pick
from campaign.models_base import Archivable, Model, utcnow
from campaign.outbox import OutboxMessage, OutboxStatus


class LetterStatus(StrEnum):
    DRAFTING = "drafting"
    OPEN = "open"
    CLOSED = "closed"
    DELIVERED = "delivered"


#: statuses in which the letter has a public page
PUBLIC_STATUSES = (LetterStatus.OPEN, LetterStatus.CLOSED, LetterStatus.DELIVERED)


def content_hash(title: str, body: str) -> str:
    """The fingerprint an organisation signs: it changes with any change to title or body."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


class Letter(Archivable, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: drafting, open (for sign-on), closed or delivered
    status: Mapped[str] = mapped_column(String(12), default=LetterStatus.DRAFTING)
    default_lang: Mapped[str] = mapped_column(String(8))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: language -> id of the LetterVersion opened for sign-on; empty while drafting
    frozen: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    #: languages the coordinator took out of the letter rather than bring them up to date
    dropped_langs: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: kept private until delivery: the public page and the API show only the title and status
    is_embargoed: Mapped[bool] = mapped_column(default=False)
    #: when the scheduled delivery is due (a periodic job delivers it); None: delivered by hand
    deliver_at: Mapped[datetime | None]
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

    @hybrid_property
    def is_public(self) -> bool:
        """Past drafting and not archived: its public page, its API entry and its place on the
        campaign and defender pages (in SQL too). Every public query of letters asks this."""
        return self.status in PUBLIC_STATUSES and self.archived_at is None

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls) -> ColumnElement[bool]:
        return and_(cls.status.in_(PUBLIC_STATUSES), cls.archived_at.is_(None))

    @property
    def is_private(self) -> bool:
        """Under embargo: the text and signatories stay unpublished until the letter is delivered."""
        return self.is_embargoed and self.status != LetterStatus.DELIVERED

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
        return [sign_on for sign_on in self.sign_ons if sign_on.has_signed(hashes)]

    def pending_sign_ons(self) -> list[SignOn]:
        hashes = self.frozen_hashes()
        return [sign_on for sign_on in self.sign_ons if not sign_on.has_signed(hashes)]

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
    #: the version of the letter's source (default) language this one translates; None in the source
    source_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("letter_version.id", ondelete="SET NULL")
    )

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


class RecipientFields:
    """What a recipient and an address-book entry share: who they are, in each language."""

    name: Mapped[str]
    names: Mapped[dict[str, str]]
    titles: Mapped[dict[str, str]]
    salutations: Mapped[dict[str, str]]
    lang: Mapped[str]

    def name_in(self, lang: str) -> str:
        return self.names.get(lang) or self.name

    def title(self, lang: str) -> str:
        return pick(self.titles, lang, self.lang)[0] if self.titles else ""

    def salutation(self, lang: str) -> str:
        """The salutation written for ``lang``; none borrowed from another language."""
        return self.salutations.get(lang, "")


class RecipientContact(RecipientFields, Model):
    """An address-book entry staff keep for letter after letter (a head of state, an ombudsperson)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the name as usually written in the entry's language
    name: Mapped[str] = mapped_column(String(200))
    #: language -> the name in that language's script, where it differs
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    salutations: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    country: Mapped[str] = mapped_column(String(2))
    email: Mapped[str] = mapped_column(String(254))
    #: the language letters are sent in
    lang: Mapped[str] = mapped_column(String(8))
    #: staff's own notes (how the office prefers to be written to); never sent
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Recipient(RecipientFields, Model):
    """A recipient of one letter: copied from the address book or entered for the letter."""

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: language -> the name in that language's script, where it differs
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: language -> title, e.g. {"en": "President of the French Republic"}
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: language -> salutation, e.g. {"en": "Your Excellency, Mr. President,"}
    salutations: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    country: Mapped[str] = mapped_column(String(2))
    email: Mapped[str] = mapped_column(String(254))
    #: the language the letter is sent in (one of the letter's languages)
    lang: Mapped[str] = mapped_column(String(8))
    #: the address-book entry this recipient was copied from, if any
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("recipient_contact.id", ondelete="SET NULL"), index=True
    )

    letter: Mapped[Letter] = relationship(back_populates="recipients")


class SignOn(Model):
    """An organisation's signature under the letter, bound to the exact text it signed."""

    __table_args__ = (UniqueConstraint("letter_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: in the letter's default language; the API and the workspace show these
    representative: Mapped[str] = mapped_column(String(200))
    representative_title: Mapped[str] = mapped_column(String(200), default="")
    #: language -> the signatory line as signed: {"organisation", "city", "representative", "title"};
    #: captured at sign-on so a later profile edit changes nothing already signed
    lines: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    #: language -> content hash of each version signed; equal to the letter's frozen hashes when current
    hashes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    letter: Mapped[Letter] = relationship(back_populates="sign_ons")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def has_signed(self, hashes: dict[str, str]) -> bool:
        """Signed every one of these texts (a language dropped since does not ask for a new signature)."""
        return bool(hashes) and all(self.hashes.get(lang) == digest for lang, digest in hashes.items())

    def line(self, lang: str) -> dict[str, str]:
        """The captured line in ``lang``, else in the letter's default language."""
        if not self.lines:
            return {
                "organisation": self.organisation.name(lang),
                "city": "",
                "representative": self.representative,
                "title": self.representative_title,
            }
        return pick(self.lines, lang, self.letter.default_lang)[0]

    def byline(self, lang: str) -> str:
        """The seeds' style: "Organisation, City (Representative, Title)"."""
        line = self.line(lang)
        place = ", ".join(part for part in (line["organisation"], line["city"]) if part)
        person = ", ".join(part for part in (line["representative"], line["title"]) if part)
        return f"{place} ({person})" if person else place


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"


#: the outbox's statuses as a delivery's: the outbox row is the one source of truth
DELIVERY_STATUS = {
    OutboxStatus.PENDING: DeliveryStatus.QUEUED,
    OutboxStatus.SENDING: DeliveryStatus.SENDING,
    OutboxStatus.SENT: DeliveryStatus.SENT,
    OutboxStatus.FAILED: DeliveryStatus.FAILED,
    OutboxStatus.EXPIRED: DeliveryStatus.EXPIRED,
}


class Delivery(Model):
    """The letter sent to one recipient by one channel; its progress is its outbox row's."""

    __table_args__ = (UniqueConstraint("letter_id", "recipient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10), default="email")
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id"))
    #: the language the letter went out in: the recipient's, or the default when none was frozen in it
    lang: Mapped[str] = mapped_column(String(8), default="")
    #: the recipient's own language had no frozen text, so the default language went out
    is_fallback: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recipient: Mapped[Recipient] = relationship(lazy="joined")
    outbox: Mapped[OutboxMessage] = relationship(lazy="joined")

    @property
    def status(self) -> str:
        return DELIVERY_STATUS.get(OutboxStatus(self.outbox.status), DeliveryStatus.FAILED)

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
        """When our SMTP server accepted it."""
        return self.outbox.sent_at

    @property
    def smtp_reply(self) -> str | None:
        """That server's reply line, with its queue id."""
        return self.outbox.smtp_reply


class RequestStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class SignOnRequest(Model):
    """An organisation not on the platform asking, from the public page, to sign an open letter.

    Confirmed by email, then approved or declined by the coordinator; the contact address is
    erased once the request is decided (an approval hands it to the owner's invitation).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    #: the language of the page the request was made on: its emails and the organisation's names
    lang: Mapped[str] = mapped_column(String(8))
    organisation: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    website: Mapped[str] = mapped_column(String(300), default="")
    representative: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    #: lower-cased; None once the request is decided
    email: Mapped[str | None] = mapped_column(String(254))
    #: SHA-256 of the emailed confirmation link's token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: language -> content hash of each frozen version the requester was shown
    hashes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: unconfirmed, pending (confirmed, waiting for the coordinator), approved or declined
    status: Mapped[str] = mapped_column(String(12), default=RequestStatus.UNCONFIRMED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: the organisation an approval created
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))

    letter: Mapped[Letter] = relationship()
