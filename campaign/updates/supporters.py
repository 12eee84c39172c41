"""What a supporter can do from an update email: stop this campaign's updates, stop all mail,
or have their data erased (campaign.signatures.erasure says what that keeps), and what anyone
can do from the forget-me page: have an erasure link mailed to an address. Services flush; the
caller commits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.outbox import queue_mail
from campaign.security import hash_token, new_token
from campaign.signatures.erasure import erase_person
from campaign.signatures.models import Signature, Supporter
from campaign.signatures.services import email_hash
from campaign.updates.models import ErasureRequest

#: how long an erasure confirmation link works
ERASURE_LINK_TTL = timedelta(days=7)


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


def request_erasure(supporter: Supporter, lang: str, address: str | None = None) -> None:
    """Mail the supporter (at ``address``, else the one we hold) a single-use link that confirms
    the erasure, at most one a day."""
    address = address or supporter.email
    if address is None:
        return
    token, token_hash = new_token()
    erasure = ErasureRequest(supporter_id=supporter.id, token_hash=token_hash)
    db.session.add(erasure)
    db.session.flush()
    queued = queue_mail(
        "erasure_confirm",
        address,
        supporter.lang or lang,  # the supporter's language, not the page's
        key=f"erasure-confirm:{supporter.id}:{utcnow():%Y-%m-%d}",
        payload={"request_id": erasure.id, "token": token},
    )
    if queued is None:  # already asked today: the link in that email still works
        db.session.delete(erasure)
        db.session.flush()


def request_erasure_by_address(address: str, lang: str) -> None:
    """The forget-me page: mail an erasure link to ``address`` if we hold anything about it.

    The page answers the same either way; only the mailbox learns whether we knew it.
    """
    supporter = db.session.scalar(select(Supporter).where(Supporter.email_hash == email_hash(address)))
    if supporter is not None:
        request_erasure(supporter, lang, address)


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
    """Anonymise everything we hold about the supporter (see campaign.signatures.erasure)."""
    erase_person(supporter.email_hash)
