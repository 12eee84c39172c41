"""Signing and confirming. Services flush; the caller owns the transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import Text, bindparam, cast, delete, func, literal, select
from sqlalchemy.exc import IntegrityError

from campaign.after_commit import after_commit
from campaign.campaigns.models import Campaign, takes_signatures_clause
from campaign.campaigns.services import signing_state
from campaign.defenders import messages
from campaign.dispatch import kick
from campaign.extensions import db
from campaign.models_base import insert_ignoring_conflicts, rowcount, utcnow
from campaign.outbox import OutboxMessage, queue_mail
from campaign.security import keyed_hash, new_token
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus, Supporter
from campaign.throttle import Limit, ThrottleUnavailable, count_attempts, rate_limits, wait_for

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
    #: consent to be contacted by the partner of ``source`` (never without one)
    partner_may_contact: bool
    source: str | None
    ip_hash: str
    #: signed past FRAUD_SIGNATURES_PER_IP_HOUR: stored, mailed and confirmed like any other,
    #: then held for review rather than counted
    is_over_limit: bool
    #: a solidarity message to the defender, handed to moderation once the signer confirms
    message: str | None = None
    is_message_public: bool = False


@dataclass(frozen=True)
class RequestLimits:
    #: seconds to wait before signing again, past SIGN_RATE_LIMIT; None within it
    retry_after: int | None
    #: whether the signature is to be held for review once confirmed
    is_over_limit: bool


def check_limits(slug: str, ip_hash: str, is_valid: bool) -> RequestLimits:
    """Count a signing request against SIGN_RATE_LIMIT (per address) and, if it is a valid
    signature, against FRAUD_SIGNATURES_PER_IP_HOUR (per address and campaign), in one round
    trip to Redis.

    Only valid signatures count toward the fraud threshold: ten people behind one Tor exit,
    office or university NAT who each make a typo must not push the eleventh over it. Past it,
    signatures are held: the signer sees the normal pages and mail, and a moderator releases or
    invalidates them. Both fail open when Redis is down: signing goes on, and the signatures
    stay reviewable by their IP hash.
    """
    config = current_app.config
    rate = rate_limits("sign", ip_hash, config["SIGN_RATE_LIMIT"])
    fraud = (
        [Limit("fraud", f"{slug}:{ip_hash}", config["FRAUD_SIGNATURES_PER_IP_HOUR"], 3600)]
        if is_valid
        else []
    )
    try:
        allowed = count_attempts([*rate, *fraud])
    except ThrottleUnavailable:
        return RequestLimits(retry_after=None, is_over_limit=False)
    within_rate = allowed[: len(rate)]
    return RequestLimits(
        retry_after=wait_for(rate, within_rate), is_over_limit=bool(fraud) and not allowed[-1]
    )


#: what a new signature stores, besides its campaign
_FIELDS = (
    "name", "email", "email_hash", "email_domain", "country", "lang", "is_name_public", "wants_updates",
    "partner_may_contact", "source", "ip_hash", "is_over_limit", "token_hash", "token_sent_at", "status",
    "created_at", "message", "is_message_public",
)  # fmt: skip


@lru_cache(maxsize=2)
def _insert_signature(dialect: str) -> Any:
    """``INSERT … SELECT`` from the campaign row, so that one statement both checks that the
    campaign takes signatures and records one; a signer who already signed inserts nothing.

    On the table, not the model, with the values as parameters: compiled once.
    """
    signatures, campaigns = Signature.__table__, Campaign.__table__
    now = bindparam("now", type_=campaigns.c.opens_at.type)
    open_campaign = select(
        campaigns.c.id, *(bindparam(name, type_=signatures.c[name].type) for name in _FIELDS)
    ).where(
        campaigns.c.slug == bindparam("slug", type_=campaigns.c.slug.type),
        takes_signatures_clause(now),
    )
    return (
        insert_ignoring_conflicts(signatures, "campaign_id", "email_hash")
        .from_select(["campaign_id", *_FIELDS], open_campaign)
        .returning(signatures.c.id)
    )


_CONFIRM = "signature_confirm"
#: what the confirmation's outbox row stores, in the order of the values selected for it
_OUTBOX_FIELDS = (
    "kind", "recipient", "lang", "idempotency_key", "payload", "queue", "status", "attempts", "abandoned",
    "created_at",
)  # fmt: skip


@lru_cache(maxsize=1)
def _insert_signature_and_confirmation() -> tuple[str, dict[str, Any]]:
    """PostgreSQL: the signature and its confirmation's outbox row in one statement (the
    outbox insert reads the new signature's id from a data-modifying CTE), which returns the
    outbox row's id, or nothing when no signature was inserted.

    Compiled once to the driver's SQL, with the constants it binds: see :func:`_run_autocommit`.
    """
    outbox = OutboxMessage.__table__
    signature = _insert_signature("postgresql").cte("new_signature")
    confirmation = select(
        literal(_CONFIRM), bindparam("email"), bindparam("lang"), bindparam("key", type_=Text),
        func.json_build_object("signature_id", signature.c.id, "token", cast(bindparam("token"), Text)),
        literal("mail"), literal(SignatureStatus.PENDING), literal(0), literal(0), bindparam("now"),
    ).select_from(signature)  # fmt: skip
    statement = (
        insert_ignoring_conflicts(outbox, "idempotency_key")
        .from_select(_OUTBOX_FIELDS, confirmation)
        .returning(outbox.c.id)
    )
    compiled = statement.compile(dialect=db.engine.dialect)
    return str(compiled), dict(compiled.params)


def _run_autocommit(sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    """Run one statement through the driver (psycopg) on a pooled connection in autocommit;
    its first row.

    The signing request's one statement, atomic by itself: autocommit spares the BEGIN and
    COMMIT round trips, and the driver spares SQLAlchemy's execution steps (the statement's
    cache key, an execution context, a result wrapper), which cost more of the request's CPU
    than the insert itself. Its values need no conversion on the way: strings, booleans, times.
    """
    pooled = db.engine.raw_connection()  # the pool's checkout, with its check for closed connections
    try:
        driver = pooled.driver_connection
        if driver is None:  # only once the pool has invalidated it, which a checkout never hands out
            raise RuntimeError("the pooled connection has no driver connection")
        driver.autocommit = True
        try:
            return driver.execute(sql, params).fetchone()
        finally:
            if not driver.closed:
                driver.autocommit = False
    finally:
        pooled.close()  # back to the pool


def in_one_statement() -> bool:
    """Whether signing takes the one-statement path (PostgreSQL) rather than the session's two
    inserts; both must write the same rows (tests/signatures/test_signing_paths.py)."""
    return db.engine.dialect.name == "postgresql"


def sign(slug: str, data: SignatureInput) -> bool:
    """Record a signature to the campaign at ``slug`` and queue the mail it calls for; False if
    that campaign takes no signatures (unknown, a draft, not yet open or closed).

    A new signer costs two inserts (signature, outbox row) and nothing else; on PostgreSQL one
    statement in autocommit (atomic by itself), with no BEGIN and COMMIT round trips: the
    transaction has one owner still, the statement. Someone who already signed gets the same
    answer on screen; the mailbox owner is told instead (a reminder, or a fresh link if they
    never confirmed), so the form never reveals who has signed.
    """
    hashed = email_hash(data.email)
    token, token_hash = new_token()
    now = utcnow()
    values = {
        "slug": slug,
        "now": now,
        "name": data.name,
        "email": data.email,
        "email_hash": hashed,
        "email_domain": data.email.rpartition("@")[2].lower(),
        "country": data.country,
        "lang": data.lang,
        "is_name_public": data.is_name_public,
        "wants_updates": data.wants_updates,
        "partner_may_contact": data.partner_may_contact,
        "source": data.source,
        "ip_hash": data.ip_hash,
        "is_over_limit": data.is_over_limit,
        "token_hash": token_hash,
        "token_sent_at": now,
        "status": SignatureStatus.PENDING,
        "created_at": now,
        "message": data.message or None,
        "is_message_public": bool(data.message) and data.is_message_public,
    }
    if in_one_statement():
        sql, constants = _insert_signature_and_confirmation()
        queued = _run_autocommit(
            sql, {**constants, **values, "key": _confirm_key(token_hash), "token": token}
        )
        if queued is not None:
            after_commit(kick, "mail")  # the view's commit has no statement left to send, and runs it
            return True
    else:
        # through the session's connection: a Core statement needs none of the ORM's execution steps
        signature_id = db.session.connection().scalar(_insert_signature("sqlite"), values)
        if signature_id is not None:
            _queue_confirmation(signature_id, data.email, data.lang, token, token_hash)
            return True
    state = signing_state(slug)
    if state is None or not state.is_open:
        return False
    existing = db.session.scalar(
        select(Signature).where(Signature.campaign_id == state.id, Signature.email_hash == hashed)
    )
    if existing is None:
        return True  # deleted as expired a moment ago: nothing to tell anyone
    if existing.status == SignatureStatus.PENDING:
        if data.message:  # the message they write now is the one they mean
            existing.message, existing.is_message_public = data.message, data.is_message_public
        if existing.token_sent_at is None or existing.token_sent_at < now - RESEND_AFTER:
            existing.lang, existing.token_hash, existing.token_sent_at = data.lang, token_hash, now
            # an erasure may have blanked the stored address; the one just typed is the same mailbox
            _queue_confirmation(existing.id, existing.email or data.email, data.lang, token, token_hash)
        return True
    # to the address just typed: the one it was signed with is erased once confirmed (unless the
    # signer wanted updates or let the partner contact them), and the keyed hash says both are
    # the same mailbox; in the language they signed in, since whoever tried again may not be them
    queue_mail(
        "signature_already",
        data.email,
        existing.lang,
        key=f"signature-already:{existing.id}:{now:%Y-%m-%d}",
        payload={"signature_id": existing.id},
    )
    return True


def _confirm_key(token_hash: str) -> str:
    return f"signature-confirm:{token_hash}"


def _queue_confirmation(signature_id: int, email: str, lang: str, token: str, token_hash: str) -> None:
    queue_mail(
        _CONFIRM,
        email,
        lang,
        key=_confirm_key(token_hash),
        payload={"signature_id": signature_id, "token": token},
    )


def confirm(signature: Signature) -> bool:
    """Confirm a pending signature; return whether it was pending (so it now counts, unless it
    signed past the fraud threshold: then it waits for a moderator, held). The live count moves
    after the caller's commit."""
    if signature.status != SignatureStatus.PENDING:
        return False
    signature.status = SignatureStatus.HELD if signature.is_over_limit else SignatureStatus.CONFIRMED
    signature.confirmed_at = utcnow()
    _remember_supporter(signature)
    _hand_message_to_moderation(signature)
    if signature.is_counted:
        after_commit(counts.bump, signature.campaign_id, signature.country)
    if not (signature.wants_updates or signature.partner_may_contact):
        # nobody needs the address any more: the keyed hash still recognises a second signing
        signature.email = None
    return True


def _hand_message_to_moderation(signature: Signature) -> None:
    """The message written with the signature waits for a moderator now that its signer is
    known to hold the address; it carries their name only if they let us show it."""
    text, signature.message = signature.message, None
    is_public, signature.is_message_public = signature.is_message_public, False
    defender_id = signature.campaign.defender_id
    if not text or defender_id is None:  # a campaign without a defender offers no message field
        return
    messages.submit(
        defender_id=defender_id,
        campaign_id=signature.campaign_id,
        signature_id=signature.id,
        text=text,
        is_public=is_public,
        display_name=signature.name if signature.is_name_public else None,
        lang=signature.lang,
    )


def _remember_supporter(signature: Signature) -> None:
    """Keep the supporter's language, and their address only if they want updates."""
    address = signature.email if signature.wants_updates else None
    supporter = db.session.scalar(select(Supporter).where(Supporter.email_hash == signature.email_hash))
    if supporter is not None:
        supporter.lang = signature.lang
        if address is not None:
            supporter.email = address
        return
    try:
        with db.session.begin_nested():
            db.session.add(Supporter(email_hash=signature.email_hash, email=address, lang=signature.lang))
    except IntegrityError:
        log.info("supporter created concurrently; keeping theirs")


def expire_pending() -> int:
    """Periodic job: delete signatures never confirmed within PENDING_SIGNATURE_TTL_HOURS."""
    cutoff = utcnow() - timedelta(hours=current_app.config["PENDING_SIGNATURE_TTL_HOURS"])
    deleted = rowcount(
        db.session.execute(
            delete(Signature).where(
                Signature.status == SignatureStatus.PENDING, Signature.created_at < cutoff
            )
        )
    )
    db.session.commit()
    return deleted
