"""The live count: read from Redis, bumped on confirmation, reconciled from the database.

The signature rows are the truth. Redis holds, per campaign, the number of counted
signatures and their split by country; a confirmation adds one to both right after its
commit (:func:`bump`, which the confirmation records with ``after_commit``), so the count
moves within a second, and a periodic job recomputes both from the rows to correct any drift
(a lost bump while Redis was down, an invalidation). When Redis has no figure, or is down,
the database answers.
"""

from __future__ import annotations

import logging

import redis
from sqlalchemy import func, select

from campaign.campaigns.models import Campaign
from campaign.extensions import db, queues
from campaign.signatures.models import Signature, SignatureStatus

log = logging.getLogger(__name__)


def _total_key(campaign_id: int) -> str:
    return f"campaign:count:{campaign_id}"


def _countries_key(campaign_id: int) -> str:
    return f"campaign:count:{campaign_id}:countries"


def _from_database(campaign_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Signature.country, func.count())
        .where(
            Signature.campaign_id == campaign_id,
            Signature.is_counted,
        )
        .group_by(Signature.country)
    ).all()
    return {country: count for country, count in rows}


def _store(campaign_id: int, by_country: dict[str, int]) -> None:
    with queues.connection.pipeline(transaction=True) as pipe:
        pipe.set(_total_key(campaign_id), sum(by_country.values()))
        pipe.delete(_countries_key(campaign_id))
        if by_country:
            pipe.hset(
                _countries_key(campaign_id), mapping={code: count for code, count in by_country.items()}
            )
        pipe.execute()


def _text(value: bytes | str) -> str:
    """Our client does not decode replies (RQ needs bytes): a hash's field names come as bytes."""
    return value.decode() if isinstance(value, bytes) else value


def group_small_countries(by_country: dict[str, int], minimum: int) -> dict[str, int]:
    """Hide countries with fewer than ``minimum`` signers in "other": a handful of signers
    inside a repressive state must not be countable from outside."""
    shown = {code: count for code, count in sorted(by_country.items()) if count >= minimum}
    shown["other"] = sum(count for count in by_country.values() if count < minimum)
    return shown


def by_country(campaign_id: int) -> dict[str, int]:
    """Counted signatures per country code."""
    try:
        cached = queues.connection.hgetall(_countries_key(campaign_id))
        if cached or queues.connection.exists(_total_key(campaign_id)):
            return {_text(code): int(count) for code, count in cached.items()}
    except (redis.RedisError, OSError):
        log.warning("count cache unavailable; counting in the database", exc_info=True)
        return _from_database(campaign_id)
    counts = _from_database(campaign_id)
    _store(campaign_id, counts)
    return counts


def total(campaign_id: int) -> int:
    try:
        cached = queues.connection.get(_total_key(campaign_id))
    except (redis.RedisError, OSError):
        log.warning("count cache unavailable; counting in the database", exc_info=True)
        return sum(_from_database(campaign_id).values())
    if cached is not None:
        return int(cached)
    return sum(by_country(campaign_id).values())


def totals(campaign_ids: list[int]) -> dict[int, int]:
    """Counts for many campaigns in one round trip."""
    if not campaign_ids:
        return {}
    try:
        cached = queues.connection.mget([_total_key(campaign_id) for campaign_id in campaign_ids])
    except (redis.RedisError, OSError):
        cached = [None] * len(campaign_ids)
    return {
        campaign_id: int(value) if value is not None else total(campaign_id)
        for campaign_id, value in zip(campaign_ids, cached, strict=True)
    }


def bump(campaign_id: int, country: str) -> None:
    """Add one confirmed signature (run after the confirmation's commit, where the session may
    not be used: a campaign with no figure in Redis is left to its next reading, which counts
    the committed rows, this one included)."""
    try:
        if not queues.connection.exists(_total_key(campaign_id)):
            return
        with queues.connection.pipeline(transaction=True) as pipe:
            pipe.incr(_total_key(campaign_id))
            pipe.hincrby(_countries_key(campaign_id), country, 1)
            pipe.execute()
    except (redis.RedisError, OSError):
        log.warning("could not bump the count of campaign %s; reconciling later", campaign_id, exc_info=True)


def held(campaign_id: int) -> int:
    """Signatures confirmed by their signers and waiting for a moderator (not counted)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Signature)
            .where(Signature.campaign_id == campaign_id, Signature.status == SignatureStatus.HELD)
        )
        or 0
    )


def reconcile(campaign_id: int) -> None:
    _store(campaign_id, _from_database(campaign_id))


def reconcile_all() -> None:
    """Periodic job: recount every campaign that is or was collecting signatures."""
    campaign_ids = db.session.scalars(select(Campaign.id).where(Campaign.is_public)).all()
    for campaign_id in campaign_ids:
        reconcile(campaign_id)
    db.session.rollback()
