"""Invitations by email: to an organisation with a role, or (by an admin) to the staff.

The emailed link carries a 256-bit token stored only as its hash. An invitation is used once:
accepting claims it with one conditional UPDATE, so two tabs (or a scanner and a person) cannot
both use it. An address that already has an account does not get a new one: the invitation
waits, pending, on that person's account page until they accept it after logging in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from campaign.accounts import services
from campaign.accounts.models import ORG_ROLES, STAFF_ROLES, Invitation, Membership, Organisation, User
from campaign.audit.services import record
from campaign.extensions import db
from campaign.models_base import rowcount, utcnow
from campaign.outbox import queue_mail
from campaign.security import hash_token, new_token

INVITATION_DAYS = 7


class InvitationError(Exception):
    """The invitation cannot be used (unknown, used, revoked or expired)."""


def normalise(email: str) -> str:
    return email.strip().lower()


def invite(
    email: str, role: str, lang: str, *, organisation: Organisation | None, invited_by: User
) -> Invitation:
    """Create an invitation and queue its email; an earlier pending one to the same place is revoked."""
    allowed = ORG_ROLES if organisation is not None else STAFF_ROLES
    if role not in allowed:
        raise ValueError(f"unknown role {role!r}")
    email = normalise(email)
    organisation_id = organisation.id if organisation is not None else None
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.email == email,
            Invitation.organisation_id.is_(None)
            if organisation_id is None
            else Invitation.organisation_id == organisation_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    raw, token_hash = new_token()
    invitation = Invitation(
        email=email,
        organisation_id=organisation_id,
        role=role,
        token_hash=token_hash,
        lang=lang,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    known = db.session.scalar(select(User.lang).where(User.email == email))
    queue_mail(
        "account_invite",
        email,
        known or lang,  # someone with an account reads it in their own interface language
        key=f"account_invite:{invitation.id}",
        payload={"invitation_id": invitation.id, "token": raw},
    )
    record(
        "staff.invited" if organisation is None else "membership.invited",
        user_id=invited_by.id,
        organisation_id=organisation_id,
        details={"invitation_id": invitation.id, "role": role},
    )
    return invitation


def find_by_token(raw: str) -> Invitation | None:
    """The pending invitation this link's token belongs to, if any."""
    if not raw or len(raw) > 100:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(raw)))
    return invitation if invitation is not None and invitation.is_pending else None


def _claim(invitation: Invitation) -> None:
    """Mark the invitation used, unless someone else used, revoked or outlived it first."""
    now = utcnow()
    claimed = rowcount(
        db.session.execute(
            update(Invitation)
            .where(
                Invitation.id == invitation.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .values(accepted_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if claimed != 1:
        raise InvitationError
    invitation.accepted_at = now


def _grant(invitation: Invitation, user: User) -> None:
    db.session.flush()  # a new account has its id, for the audit log
    record(
        "staff.joined" if invitation.is_staff else "membership.joined",
        user_id=user.id,
        organisation_id=invitation.organisation_id,
        subject_user_id=user.id,
        details={"invitation_id": invitation.id, "role": invitation.role},
    )
    if invitation.is_staff:
        user.staff_role = invitation.role
        return
    membership = next((m for m in user.memberships if m.organisation_id == invitation.organisation_id), None)
    if membership is None:
        user.memberships.append(Membership(organisation_id=invitation.organisation_id, role=invitation.role))
    else:
        membership.role = invitation.role


def account_exists(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == normalise(email))) is not None


def accept_as_new_account(invitation: Invitation, name: str, password: str) -> User:
    """Use the invitation to create the invited person's account (its second factor comes next)."""
    _claim(invitation)
    user = services.create_user(invitation.email, password, name=name)
    user.lang = invitation.lang
    _grant(invitation, user)
    db.session.flush()
    return user


def accept_as(invitation: Invitation, user: User) -> None:
    """Use a pending invitation addressed to this logged-in user's own address."""
    if invitation.email != user.email:
        raise InvitationError
    _claim(invitation)
    _grant(invitation, user)
    db.session.flush()


def _pending(*conditions: Any) -> list[Invitation]:
    rows = db.session.scalars(
        select(Invitation)
        .where(
            *conditions,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at)
    )
    return list(rows)


def pending_for(user: User) -> list[Invitation]:
    return _pending(Invitation.email == user.email)


def pending_in(organisation: Organisation) -> list[Invitation]:
    return _pending(Invitation.organisation_id == organisation.id)


def revoke(invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
