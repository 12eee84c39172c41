"""What a supporter can do from an update email: stop this campaign's updates, stop all mail,
or have their data erased (campaign.signatures.erasure says what that keeps), and what anyone
can do from the forget-me page: have an erasure link mailed to an address. Services flush; the
caller commits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from campaign.defenders.models import Follower
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.outbox import queue_mail
from campaign.paper.models import PaperSigner
from campaign.security import hash_token, new_token
from campaign.signatures.erasure import erase_person
from campaign.signatures.models import Signature, Supporter
from campaign.signatures.services import email_hash
from campaign.updates.models import ErasureRequest

#: how long an erasure confirmation link works
ERASURE_LINK_TTL = timedelta(days=7)


def unsubscribe_from_campaign(supporter: Supporter, campaign_id: int) -> None:
    """Stop this campaign's updates (idempotent): the signature no longer wants them, since now
    (the first time only, so that pressing again does not move it)."""
    db.session.execute(
        update(Signature)
        .where(
            Signature.campaign_id == campaign_id,
            Signature.email_hash == supporter.email_hash,
            Signature.wants_updates.is_(True),
        )
        .values(wants_updates=False, updates_stopped_at=utcnow())
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
    hashed = email_hash(address)
    supporter = db.session.scalar(select(Supporter).where(Supporter.email_hash == hashed))
    if supporter is None and _held_elsewhere(hashed):
        supporter = _supporter_for(hashed, lang)
    if supporter is not None:
        request_erasure(supporter, lang, address)


def _held_elsewhere(hashed: str) -> bool:
    """Whether someone who never signed online is known by this address: a follower of a case,
    a signer on an imported paper list."""
    return bool(
        db.session.scalar(select(exists().where(Follower.email_hash == hashed)))
        or db.session.scalar(select(exists().where(PaperSigner.email_hash == hashed)))
    )


def _supporter_for(hashed: str, lang: str) -> Supporter:
    """A supporter row (the keyed hash and a language, no address) for an erasure to name."""
    try:
        with db.session.begin_nested():
            supporter = Supporter(email_hash=hashed, email=None, lang=lang)
            db.session.add(supporter)
    except IntegrityError:  # asked twice at once: the other request made it
        supporter = db.session.scalars(select(Supporter).where(Supporter.email_hash == hashed)).one()
    return supporter


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
