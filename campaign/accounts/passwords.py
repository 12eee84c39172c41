"""Password reset by email and password change.

A reset link's token is stored hashed, used once and short-lived. Resetting ends every session
but leaves the second factor in place: a stolen mailbox alone does not open the account.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from campaign.accounts import services
from campaign.accounts.models import PasswordReset, User
from campaign.extensions import db
from campaign.models_base import rowcount, utcnow
from campaign.outbox import queue_mail
from campaign.security import hash_token, new_token

RESET_HOURS = 2


def request_reset(email: str, lang: str) -> None:
    """Mail a reset link if the address belongs to an active account; otherwise do nothing.

    The caller answers the same either way, so the form does not tell who has an account.
    """
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        return
    raw, token_hash = new_token()
    now = utcnow()
    reset = PasswordReset(
        user_id=user.id, token_hash=token_hash, created_at=now, expires_at=now + timedelta(hours=RESET_HOURS)
    )
    db.session.add(reset)
    db.session.flush()
    queue_mail(
        "password_reset",
        user.email,
        user.lang or lang,  # the member's own interface language, not the form's
        key=f"password_reset:{reset.id}",
        payload={"reset_id": reset.id, "token": raw},
    )


def find_reset(raw: str) -> PasswordReset | None:
    if not raw or len(raw) > 100:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(raw)))
    return reset if reset is not None and reset.is_usable and reset.user.is_active else None


def reset_password(reset: PasswordReset, password: str) -> bool:
    """Use the link once: set the password, end every session, and spend the user's other links.

    False if the link was used (or expired) meanwhile, e.g. by a second tab.
    """
    now = utcnow()
    claimed = rowcount(
        db.session.execute(
            update(PasswordReset)
            .where(
                PasswordReset.id == reset.id, PasswordReset.used_at.is_(None), PasswordReset.expires_at > now
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if claimed != 1:
        return False
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    services.set_password(reset.user, password)
    return True


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if ``current`` is right; every session of the user ends (the caller
    logs the present one in again)."""
    if services.authenticate(user.email, current) is None:
        return False
    services.set_password(user, new)
    return True
