"""Solidarity messages: handed to moderation when their signer confirms, decided on by staff,
read on the defender's page (approved public ones) and in the booklet (every approved one).

Services flush; the caller commits. The table is quiet for the page cache (a message waiting
for moderation shows nowhere): what changes a public page (approving a public message, or
withdrawing or erasing an approved one) invalidates the cached pages itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, delete, func, select, update

from campaign import page_cache
from campaign.after_commit import after_commit
from campaign.defenders.models import MessageStatus, SolidarityMessage
from campaign.extensions import db
from campaign.models_base import rowcount, utcnow

#: how many approved public messages a defender's page shows, newest first
ON_PAGE = 30


def submit(
    *,
    defender_id: int,
    campaign_id: int | None,
    signature_id: int | None,
    text: str,
    is_public: bool,
    display_name: str | None,
    lang: str,
) -> SolidarityMessage:
    """Queue a message for moderation."""
    message = SolidarityMessage(
        defender_id=defender_id,
        campaign_id=campaign_id,
        signature_id=signature_id,
        text=text,
        is_public=is_public,
        display_name=display_name or None,
        lang=lang,
        status=MessageStatus.PENDING,
    )
    db.session.add(message)
    return message


def on_page(defender_id: int, limit: int = ON_PAGE) -> list[SolidarityMessage]:
    """What the defender's public page shows: approved messages their signers let us show."""
    return list(
        db.session.scalars(
            select(SolidarityMessage)
            .where(
                SolidarityMessage.defender_id == defender_id,
                SolidarityMessage.status == MessageStatus.APPROVED,
                SolidarityMessage.is_public.is_(True),
            )
            .order_by(SolidarityMessage.created_at.desc(), SolidarityMessage.id.desc())
            .limit(limit)
        )
    )


def for_booklet(defender_id: int) -> list[SolidarityMessage]:
    """Every approved message to the defender, public or not, oldest first."""
    return list(
        db.session.scalars(
            select(SolidarityMessage)
            .where(
                SolidarityMessage.defender_id == defender_id,
                SolidarityMessage.status == MessageStatus.APPROVED,
            )
            .order_by(SolidarityMessage.created_at, SolidarityMessage.id)
        )
    )


def waiting() -> int:
    """How many messages wait for a decision."""
    return (
        db.session.scalar(select(func.count()).where(SolidarityMessage.status == MessageStatus.PENDING)) or 0
    )


def listed(status: str, defender_id: int | None = None) -> Select[SolidarityMessage]:
    """The moderation list of one status, oldest first (the queue is worked from its front)."""
    query = select(SolidarityMessage).where(SolidarityMessage.status == status)
    if defender_id is not None:
        query = query.where(SolidarityMessage.defender_id == defender_id)
    return query.order_by(SolidarityMessage.created_at, SolidarityMessage.id)


def decide(message_ids: Sequence[int], status: MessageStatus) -> list[SolidarityMessage]:
    """Approve or reject the messages (any status; rejecting an approved one withdraws it).
    Returns those whose status changed."""
    if status == MessageStatus.PENDING:
        raise ValueError("a decision approves or rejects")
    found = db.session.scalars(
        select(SolidarityMessage).where(SolidarityMessage.id.in_(list(message_ids)))
    ).all()
    changed = [message for message in found if message.status != status]
    now = utcnow()
    shows_changed = False
    for message in changed:
        shows_changed |= message.is_public and MessageStatus.APPROVED in (message.status, status)
        message.status, message.decided_at = status, now
    db.session.flush()
    if shows_changed:
        after_commit(page_cache.invalidate)
    return changed


def delete_for_signatures(signature_ids: Select[int]) -> int:
    """Delete the messages written with these signatures (their signer's erasure)."""
    shown = db.session.scalar(
        select(SolidarityMessage.id)
        .where(
            SolidarityMessage.signature_id.in_(signature_ids),
            SolidarityMessage.status == MessageStatus.APPROVED,
            SolidarityMessage.is_public.is_(True),
        )
        .limit(1)
    )
    deleted = rowcount(
        db.session.execute(
            delete(SolidarityMessage)
            .where(SolidarityMessage.signature_id.in_(signature_ids))
            .execution_options(synchronize_session=False)
        )
    )
    if shown is not None:
        after_commit(page_cache.invalidate)
    return deleted


def forget_names(campaign_id: int) -> None:
    """The campaign's signers' names go from their messages as from their signatures (retention);
    the words stay, signed "a supporter"."""
    db.session.execute(
        update(SolidarityMessage)
        .where(SolidarityMessage.campaign_id == campaign_id, SolidarityMessage.display_name.is_not(None))
        .values(display_name=None)
        .execution_options(synchronize_session=False)
    )
    after_commit(page_cache.invalidate)
