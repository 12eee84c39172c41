"""The staff team: roles, deactivation and second-factor resets. Services flush; callers commit.

Every change is audited. Deactivating a user or resetting their second factor replaces their
session token, so every open session of theirs is refused on its next request (the user
loader looks sessions up by that token, and only among active accounts).
"""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.accounts.models import STAFF_ROLES, User
from campaign.audit.services import record
from campaign.extensions import db


class TeamError(Exception):
    """A change that would lock everyone out, or an admin out of their own account."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        #: "last-admin" or "self"
        self.reason = reason


def staff_members() -> list[User]:
    """Everyone with a staff role, active ones first."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.staff_role.is_not(None))
            .order_by(User.is_active.desc(), User.name, User.email)
        )
    )


def find_staff(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.email == email.strip().lower(), User.staff_role.is_not(None))
    )


def _is_last_active_admin(user: User) -> bool:
    if user.staff_role != "admin" or not user.is_active:
        return False
    others = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.staff_role == "admin", User.is_active.is_(True), User.id != user.id)
    )
    return not others


def change_role(user: User, role: str, *, actor_id: int | None) -> None:
    if role not in STAFF_ROLES:
        raise ValueError(f"unknown staff role {role!r}")
    if role == user.staff_role:
        return
    if role != "admin" and _is_last_active_admin(user):
        raise TeamError("last-admin")
    record(
        "staff.role_changed",
        user_id=actor_id,
        subject_user_id=user.id,
        details={"from": user.staff_role, "to": role},
    )
    user.staff_role = role
    db.session.flush()


def deactivate(user: User, *, actor_id: int | None) -> None:
    """Refuse every further login and end every session now; the account and its history stay."""
    if actor_id == user.id:
        raise TeamError("self")
    if _is_last_active_admin(user):
        raise TeamError("last-admin")
    if not user.is_active:
        return
    user.is_active = False
    user.end_sessions()
    record("staff.deactivated", user_id=actor_id, subject_user_id=user.id)
    db.session.flush()


def reactivate(user: User, *, actor_id: int | None) -> None:
    if user.is_active:
        return
    user.is_active = True
    record("staff.reactivated", user_id=actor_id, subject_user_id=user.id)
    db.session.flush()


def reset_second_factor(user: User, *, actor_id: int | None) -> None:
    """Forget the TOTP secret and recovery codes: the next login sets a second factor up again."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = 0
    user.recovery_codes = []
    user.end_sessions()
    record("staff.2fa_reset", user_id=actor_id, subject_user_id=user.id)
    db.session.flush()
