"""Erasing a person: everything that names them, across every campaign, at their request.

Erasure keeps the signatures' rows so the counts stay true: a signature stays confirmed and
counted, with its campaign, country, language, partner source and times, none of which names
anyone. Its name, address, address domain, IP hash and confirmation-token hash are removed;
unconfirmed signatures (never counted) are deleted, and so are the solidarity messages the person
wrote. The supporter row keeps only its keyed email hash and language: the hash (useless without
IDENTITY_KEY) keeps one person from being counted twice if they sign the same campaign again. A
paper signer with their address loses their name (the sheet's count stays), and whatever case
they follow forgets them (the row is deleted, as unfollowing does). Unsent mail to the person is
deleted, and the address is blanked in the log of mail already sent. Services flush; the caller
commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, update

from campaign.defenders import messages
from campaign.defenders.models import Follower
from campaign.extensions import db
from campaign.outbox import OutboxMessage, OutboxStatus
from campaign.paper.models import PaperSigner
from campaign.signatures.models import Signature, SignatureStatus, Supporter

#: unsent rows are deleted; sent rows keep their status but lose the address
UNSENT = (OutboxStatus.PENDING, OutboxStatus.FAILED, OutboxStatus.CANCELLED)


def erase_person(email_hash: str, addresses: Iterable[str] = ()) -> None:
    """Anonymise everything held about the person with ``email_hash`` (and mail to ``addresses``)."""
    supporter = db.session.scalar(select(Supporter).where(Supporter.email_hash == email_hash))
    known = set(addresses) | set(
        db.session.scalars(
            select(Signature.email).where(Signature.email_hash == email_hash, Signature.email.is_not(None))
        )
    )
    if supporter is not None and supporter.email:
        known.add(supporter.email)
    known |= set(db.session.scalars(select(Follower.email).where(Follower.email_hash == email_hash)))
    if known:
        db.session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.recipient.in_(known), OutboxMessage.status.in_(UNSENT))
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient.in_(known))
            .values(recipient=None, payload={})
            .execution_options(synchronize_session=False)
        )
    messages.delete_for_signatures(select(Signature.id).where(Signature.email_hash == email_hash))
    db.session.execute(
        delete(Signature)
        .where(Signature.email_hash == email_hash, Signature.status == SignatureStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Signature)
        .where(Signature.email_hash == email_hash)
        .values(
            name="",
            email=None,
            email_domain="",
            ip_hash="",
            token_hash=None,
            is_name_public=False,
            wants_updates=False,
            partner_may_contact=False,
            message=None,
            is_message_public=False,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(PaperSigner)
        .where(PaperSigner.email_hash == email_hash)
        .values(name="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(Follower).where(Follower.email_hash == email_hash).execution_options(synchronize_session=False)
    )
    if supporter is not None:
        supporter.email = None
    db.session.flush()
