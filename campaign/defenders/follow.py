"""Following a case: asking, confirming through the emailed link's page, unfollowing, being told.

Services flush; the caller commits. Each event mails each confirmed follower once: the outbox
row's idempotency key names the follower and the event, so a retried request, a second
publication of the same update or a crashed worker never mails anyone twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select

from campaign.defenders.models import Defender, Follower
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.outbox import queue_mail
from campaign.security import hash_token, keyed_hash, new_token, signing_keys
from campaign.signatures.services import normalise_email

UNFOLLOW_SALT = "campaign.defenders.unfollow"


def ask_to_follow(defender: Defender, email: str, lang: str) -> None:
    """Mail a confirmation link, unless this address already follows (then nothing happens, and
    the visitor sees the same page: the form tells no one who follows whom)."""
    hashed = keyed_hash("email", normalise_email(email))
    follower = db.session.scalar(
        select(Follower).where(Follower.defender_id == defender.id, Follower.email_hash == hashed)
    )
    if follower is not None and follower.confirmed_at is not None:
        return
    token, token_hash = new_token()
    if follower is None:
        follower = Follower(defender_id=defender.id, email=email, email_hash=hashed, lang=lang, token_hash="")
        db.session.add(follower)
    # a fresh link starts a fresh confirmation window
    follower.email, follower.lang, follower.token_hash = email, lang, token_hash
    follower.created_at = utcnow()
    db.session.flush()
    queue_mail(
        "follow_confirm", email, lang, f"follow-confirm:{follower.id}:{token_hash[:16]}", {"token": token}
    )


def _unconfirmed_cutoff() -> datetime:
    """Asked to follow before this and never confirmed: the request is void."""
    return utcnow() - timedelta(hours=current_app.config["PENDING_FOLLOWER_TTL_HOURS"])


def find_by_token(token: str) -> Follower | None:
    """The follower whose confirmation link this is, unless its window has passed."""
    if not token or len(token) > 100:
        return None
    follower = db.session.scalar(select(Follower).where(Follower.token_hash == hash_token(token)))
    if follower is None or (follower.confirmed_at is None and follower.created_at < _unconfirmed_cutoff()):
        return None
    return follower


def forget_unconfirmed_followers() -> None:
    """Delete the requests to follow that were never confirmed within
    ``PENDING_FOLLOWER_TTL_HOURS``: their addresses are kept no longer than the link works (flushes)."""
    db.session.execute(
        delete(Follower)
        .where(Follower.confirmed_at.is_(None), Follower.created_at < _unconfirmed_cutoff())
        .execution_options(synchronize_session=False)
    )


def confirm(follower: Follower) -> None:
    if follower.confirmed_at is None:
        follower.confirmed_at = utcnow()
    db.session.flush()


def unfollow(follower: Follower) -> None:
    db.session.delete(follower)
    db.session.flush()


@lru_cache(maxsize=4)
def _serializer_for(keys: tuple[str, ...]) -> URLSafeSerializer:
    return URLSafeSerializer(list(keys), salt=UNFOLLOW_SALT)


def _serializer() -> URLSafeSerializer:
    """Signs with SECRET_KEY and reads links signed with a key in SECRET_KEY_FALLBACKS: a
    rotated key must not break the unfollow link in every mail already sent."""
    return _serializer_for(tuple(signing_keys()))


def unfollow_token(follower_id: int) -> str:
    """Signed, not expiring: a link in a mail must keep working, and unfollowing twice is harmless."""
    return _serializer().dumps(follower_id)


def read_unfollow_token(token: str) -> Follower | None:
    if len(token) > 200:
        return None
    try:
        follower_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(Follower, follower_id) if isinstance(follower_id, int) else None


def notify_followers(defender_id: int, kind: str, event_id: int, **details: str) -> int:
    """Queue one mail of ``kind`` (``follow_status``, ``follow_update``) about event ``event_id``
    (a status fact, an update) for each confirmed follower; the number queued now. ``details``
    go into the payload (ids and codes only, never a name or an address)."""
    followers = db.session.execute(
        select(Follower.id, Follower.email, Follower.lang).where(
            Follower.defender_id == defender_id, Follower.confirmed_at.is_not(None)
        )
    ).all()
    queued = 0
    for follower_id, email, lang in followers:
        key = f"{kind}:{follower_id}:{event_id}"
        payload = {"follower_id": follower_id, "defender_id": defender_id, "event_id": event_id, **details}
        if queue_mail(kind, email, lang, key, payload, queue="bulk") is not None:
            queued += 1
    return queued
