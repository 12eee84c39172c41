"""Signing and confirming. Services flush; the caller owns the transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from campaign.extensions import db
from campaign.mail import queue_mail
from campaign.models_base import insert_ignoring_conflicts, utcnow
from campaign.security import keyed_hash, new_token
from campaign.signatures.models import CONFIRMED, PENDING, Signature, Supporter
from campaign.throttle import throttle

log = logging.getLogger(__name__)

#: providers whose mailboxes ignore dots in the local part
DOTLESS_DOMAINS = {"gmail.com", "googlemail.com"}
#: a pending signer who signs again gets a fresh link at most this often
RESEND_AFTER = timedelta(minutes=5)


def normalise_email(address: str) -> str:
    """Fold the ways one mailbox is spelled: case, ``+tags``, and Gmail's dots."""
    local, _, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def email_hash(address: str) -> str:
    return keyed_hash("email", normalise_email(address))


@dataclass(frozen=True)
class SignatureInput:
    name: str
    email: str
    country: str
    lang: str
    is_name_public: bool
    wants_updates: bool
    source: str | None
    ip_hash: str


def sign(campaign_id: int, data: SignatureInput) -> None:
    """Record a signature and queue the mail it calls for.

    A new signer costs two inserts (signature, outbox row) and nothing else. Someone who
    already signed gets the same answer on screen; the mailbox owner is told instead (a
    reminder, or a fresh link if they never confirmed), so the form never reveals who has signed.
    """
    hashed = email_hash(data.email)
    token, token_hash = new_token()
    now = utcnow()
    signatures = Signature.__table__
    # the table, not the model, and values as parameters: the statement compiles once
    signature_id = db.session.scalar(
        insert_ignoring_conflicts(signatures, "campaign_id", "email_hash").returning(signatures.c.id),
        {
            "campaign_id": campaign_id,
            "name": data.name,
            "email": data.email,
            "email_hash": hashed,
            "email_domain": data.email.rpartition("@")[2].lower(),
            "country": data.country,
            "lang": data.lang,
            "is_name_public": data.is_name_public,
            "wants_updates": data.wants_updates,
            "source": data.source,
            "ip_hash": data.ip_hash,
            "is_fraudulent": _over_fraud_threshold(campaign_id, data.ip_hash),
            "token_hash": token_hash,
            "token_sent_at": now,
            "status": PENDING,
            "created_at": now,
        },
    )
    if signature_id is not None:
        _queue_confirmation(signature_id, data.email, data.lang, token, token_hash)
        return
    existing = db.session.scalar(
        select(Signature).where(Signature.campaign_id == campaign_id, Signature.email_hash == hashed)
    )
    if existing is None or existing.email is None:
        return  # erased since, or deleted as expired a moment ago: nothing to tell anyone
    if existing.status == PENDING:
        if existing.token_sent_at is None or existing.token_sent_at < now - RESEND_AFTER:
            existing.lang, existing.token_hash, existing.token_sent_at = data.lang, token_hash, now
            _queue_confirmation(existing.id, existing.email, data.lang, token, token_hash)
        return
    queue_mail(
        "signature_already",
        existing.email,
        data.lang,
        key=f"signature-already:{existing.id}:{now:%Y-%m-%d}",
        payload={"signature_id": existing.id},
    )


def _queue_confirmation(signature_id: int, email: str, lang: str, token: str, token_hash: str) -> None:
    queue_mail(
        "signature_confirm",
        email,
        lang,
        key=f"signature-confirm:{token_hash}",
        payload={"signature_id": signature_id, "token": token},
    )


def _over_fraud_threshold(campaign_id: int, ip_hash: str) -> bool:
    """Past FRAUD_SIGNATURES_PER_IP_HOUR signatures from one address to one campaign in an hour,
    signatures are shadow-banned: the signer sees the normal pages and mail, and is never counted.
    """
    limit = current_app.config["FRAUD_SIGNATURES_PER_IP_HOUR"]
    return not throttle("fraud", f"{campaign_id}:{ip_hash}", limit, 3600, fail_closed=False)


def confirm(signature: Signature) -> bool:
    """Confirm a pending signature; return whether it was pending (so it now counts)."""
    if signature.status != PENDING:
        return False
    signature.status = CONFIRMED
    signature.confirmed_at = utcnow()
    _remember_supporter(signature)
    return True


def _remember_supporter(signature: Signature) -> None:
    supporter = db.session.scalar(select(Supporter).where(Supporter.email_hash == signature.email_hash))
    if supporter is not None:
        supporter.email, supporter.lang = signature.email, signature.lang
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                Supporter(email_hash=signature.email_hash, email=signature.email, lang=signature.lang)
            )
    except IntegrityError:
        log.info("supporter created concurrently; keeping theirs")


def expire_pending() -> int:
    """Periodic job: delete signatures never confirmed within PENDING_SIGNATURE_TTL_HOURS."""
    cutoff = utcnow() - timedelta(hours=current_app.config["PENDING_SIGNATURE_TTL_HOURS"])
    deleted = db.session.execute(
        delete(Signature).where(Signature.status == PENDING, Signature.created_at < cutoff)
    ).rowcount
    db.session.commit()
    return deleted
