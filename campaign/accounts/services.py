"""Passwords (argon2id), TOTP second factors with one-time recovery codes, and account creation."""

from __future__ import annotations

import re
import secrets
import time
from functools import lru_cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from campaign.accounts.models import ORG_ROLES, Membership, Organisation, RecoveryCode, User
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.security import hash_token

hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
RECOVERY_CODES = 10
PASSWORD_MIN = 12
ISSUER = "campaign"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the address is unknown, so a wrong address costs what a wrong password does."""
    return hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return hasher.hash(password)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, else None, in the same time either way."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    try:
        hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.end_sessions()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The 30-second step (this one, or one either side for clock drift) whose code this is."""
    totp = pyotp.TOTP(secret)
    step = int((now or time.time()) // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def verify_totp(user: User, code: str, secret: str | None = None) -> bool:
    """Check a TOTP code; each accepted code (time step) is used up, so it cannot be replayed."""
    code = re.sub(r"\s", "", code or "")
    secret = secret or user.totp_secret
    if not secret or not code.isdigit():
        return False
    step = _matching_step(secret, code)
    if step is None or step <= user.totp_last_step:
        return False
    user.totp_last_step = step
    return True


def enable_totp(user: User, secret: str) -> list[str]:
    """Turn on the second factor and return fresh recovery codes (shown once, stored hashed)."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes = [RecoveryCode(code_hash=hash_token(code)) for code in codes]
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    wanted = hash_token(code.strip().lower())
    for recovery in user.recovery_codes:
        if secrets.compare_digest(recovery.code_hash, wanted):
            db.session.delete(recovery)
            return True
    return False


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "organisation"


def create_user(
    email: str,
    password: str,
    *,
    name: str = "",
    staff_role: str | None = None,
    organisation: Organisation | None = None,
    org_role: str = "owner",
) -> User:
    if org_role not in ORG_ROLES:
        raise ValueError(f"unknown organisation role {org_role!r}")
    user = User(
        email=email.strip().lower(), name=name, password_hash=hash_password(password), staff_role=staff_role
    )
    db.session.add(user)
    if organisation is not None:
        user.memberships.append(Membership(organisation=organisation, role=org_role))
    db.session.flush()
    return user


def find_or_create_organisation(name: str, lang: str = "en") -> Organisation:
    slug = slugify(name)
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        organisation = Organisation(slug=slug, names={lang: name}, default_lang=lang)
        db.session.add(organisation)
        db.session.flush()
    return organisation
