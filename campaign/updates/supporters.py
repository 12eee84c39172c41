"""What a supporter can do from an update email: stop this campaign's updates, stop all mail,
or have their data erased. Services flush; the caller commits.

Erasure keeps the signatures' rows so the counts stay true: a signature stays confirmed and
counted, with its campaign, country, language, partner source and times, none of which names
anyone. Its name, address, address domain, IP hash and confirmation-token hash are removed;
unconfirmed signatures (never counted) are deleted. The supporter row keeps only its keyed
email hash and language: the hash (useless without the server's key) keeps one person from
being counted twice if they sign the same campaign again, and tells a later signature that
this person once asked to be erased from nothing else. Unsent mail to the address is deleted,
and the address is blanked in the log of mail already sent.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from campaign.extensions import db
from campaign.mail import OutboxMessage, queue_mail
from campaign.models_base import utcnow
from campaign.security import hash_token, new_token
from campaign.signatures.models import PENDING, Signature, Supporter
from campaign.updates.models import ErasureRequest

#: how long an erasure confirmation link works
ERASURE_LINK_TTL = timedelta(days=7)
#: unsent rows are deleted; sent rows keep their status but lose the address
UNSENT = ("pending", "failed", "cancelled")


def unsubscribe_from_campaign(supporter: Supporter, campaign_id: int) -> None:
    """Stop this campaign's updates (idempotent): the signature no longer wants them."""
    db.session.execute(
        update(Signature)
        .where(Signature.campaign_id == campaign_id, Signature.email_hash == supporter.email_hash)
        .values(wants_updates=False)
    )


def unsubscribe_all(supporter: Supporter) -> None:
    """Stop every update from every campaign (idempotent)."""
    if supporter.unsubscribed_at is None:
        supporter.unsubscribed_at = utcnow()
    db.session.flush()


def request_erasure(supporter: Supporter, lang: str) -> None:
    """Mail the supporter a single-use link that confirms the erasure (at most one a day)."""
    if supporter.email is None:
        return
    token, token_hash = new_token()
    erasure = ErasureRequest(supporter_id=supporter.id, token_hash=token_hash)
    db.session.add(erasure)
    db.session.flush()
    queued = queue_mail(
        "erasure_confirm",
        supporter.email,
        supporter.lang or lang,  # the supporter's language, not the page's
        key=f"erasure-confirm:{supporter.id}:{utcnow():%Y-%m-%d}",
        payload={"request_id": erasure.id, "token": token},
    )
    if queued is None:  # already asked today: the link in that email still works
        db.session.delete(erasure)
        db.session.flush()


def find_erasure(token: str) -> ErasureRequest | None:
    """The open, unexpired request this token confirms, or None."""
    if len(token) > 100:
        return None
    erasure = db.session.scalar(select(ErasureRequest).where(ErasureRequest.token_hash == hash_token(token)))
    if erasure is None or erasure.confirmed_at is not None:
        return None
    if erasure.created_at < utcnow() - ERASURE_LINK_TTL:
        return None
    return erasure


def confirm_erasure(erasure: ErasureRequest) -> None:
    erasure.confirmed_at = utcnow()
    supporter = db.session.get(Supporter, erasure.supporter_id)
    if supporter is not None:
        erase(supporter)


def erase(supporter: Supporter) -> None:
    """Anonymise everything we hold about the supporter (see the module's docstring)."""
    addresses = set(
        db.session.scalars(
            select(Signature.email).where(
                Signature.email_hash == supporter.email_hash, Signature.email.is_not(None)
            )
        )
    )
    if supporter.email:
        addresses.add(supporter.email)
    if addresses:
        db.session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.recipient.in_(addresses), OutboxMessage.status.in_(UNSENT))
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient.in_(addresses))
            .values(recipient=None, payload={})
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        delete(Signature)
        .where(Signature.email_hash == supporter.email_hash, Signature.status == PENDING)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Signature)
        .where(Signature.email_hash == supporter.email_hash)
        .values(
            name="",
            email=None,
            email_domain="",
            ip_hash="",
            token_hash=None,
            is_name_public=False,
            wants_updates=False,
        )
        .execution_options(synchronize_session=False)
    )
    supporter.email = None
    db.session.flush()
