"""Staff and partner accounts, the organisations partners belong to, and their roles in them."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.i18n import pick
from campaign.models_base import Model, utcnow

STAFF_ROLES = ("admin", "campaigner")
ORG_ROLES = ("owner", "editor", "signer")


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(Model):
    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower-cased; one account per address
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    #: argon2id
    password_hash: Mapped[str] = mapped_column(String(200))
    #: admin or campaigner for staff; None for partner accounts
    staff_role: Mapped[str | None] = mapped_column(String(20))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    #: the last TOTP time step accepted, so a code cannot be used twice
    totp_last_step: Mapped[int] = mapped_column(default=0)
    #: Flask-Login's id for this user; replaced on logout and password change, ending every session
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    is_active: Mapped[bool] = mapped_column(default=True)
    #: the interface language the user last worked in; their notifications are written in it
    lang: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(cascade="all, delete-orphan")

    # Flask-Login's interface
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_staff(self) -> bool:
        return self.staff_role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.staff_role == "admin"

    @property
    def has_totp(self) -> bool:
        return self.totp_enabled_at is not None

    def role_in(self, organisation_id: int) -> str | None:
        for membership in self.memberships:
            if membership.organisation_id == organisation_id:
                return membership.role
        return None

    def end_sessions(self) -> None:
        """Invalidate every session of this user, on every device."""
        self.session_token = new_session_token()


class RecoveryCode(Model):
    """A one-time code that stands in for the TOTP app; stored hashed, deleted when used."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))


class Organisation(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: language code -> name, e.g. {"en": "ADC Memorial", "ru": "АДЦ «Мемориал»"}
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: the city in the organisation's default language
    city: Mapped[str] = mapped_column(String(120), default="")
    #: language code -> the city's name in that language, where it differs ("Санкт-Петербург")
    cities: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    country: Mapped[str] = mapped_column(String(2), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    #: the public contact address a letter's recipients may answer (the letter's Reply-To)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    #: language code -> postal address, printed on the letterhead
    postal_addresses: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: language code -> short description
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: file name of the re-encoded logo under instance/uploads
    logo: Mapped[str | None] = mapped_column(String(120))
    default_lang: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: archived organisations keep their history (signatures, letters) but are offered nowhere
    archived_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def name(self, lang: str) -> str:
        if not self.names:
            return self.slug
        return pick(self.names, lang, self.default_lang)[0]

    def city_name(self, lang: str) -> str:
        return self.cities.get(lang) or self.city

    def postal_address(self, lang: str) -> str:
        return pick(self.postal_addresses, lang, self.default_lang)[0] if self.postal_addresses else ""


class Membership(Model):
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    #: owner, editor or signer
    role: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="joined")


class Invitation(Model):
    """An emailed offer to join an organisation (or the staff) with a role.

    The link's token is stored hashed; the row is used up by accepting, revoking or expiring.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower-cased address the invitation was sent to
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: None for a staff invitation
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    #: owner, editor or signer in the organisation; admin or campaigner for staff
    role: Mapped[str] = mapped_column(String(20))
    #: SHA-256 of the link's token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the language of the email and the default language of the new account's pages
    lang: Mapped[str] = mapped_column(String(8))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()

    @property
    def is_staff(self) -> bool:
        return self.organisation_id is None


class PasswordReset(Model):
    """One emailed password-reset link: token stored hashed, used once, short-lived."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the link's token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > utcnow()
