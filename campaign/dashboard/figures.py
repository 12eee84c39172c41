"""A campaign's figures for the dashboard, each from one aggregate query.

Nothing here loops over signature rows in Python: every figure is a GROUP BY that the
indexes on ``signature`` answer (see migration 0006_dashboard), so a campaign with a million
signatures still renders its dashboard quickly. Loops below run over buckets or groups.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import redis
from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.expression import ColumnElement

from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign
from campaign.dashboard.buckets import as_datetime, truncate
from campaign.extensions import db, queues
from campaign.models_base import utcnow
from campaign.signatures.models import Signature, SignatureStatus

log = logging.getLogger(__name__)

#: the hourly chart covers this many hours, the current one included
HOURLY_BUCKETS = 48


def hourly_since() -> datetime:
    """The start of the first hour of the hourly chart, so every bucket is a whole hour."""
    return utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURLY_BUCKETS - 1)


@dataclass(frozen=True)
class StatusCounts:
    #: confirmed and counted
    confirmed: int = 0
    pending: int = 0
    invalidated: int = 0
    #: confirmed, but signed past the fraud threshold: not counted until a moderator releases them
    held: int = 0

    @property
    def total(self) -> int:
        return self.confirmed + self.pending + self.invalidated + self.held

    @property
    def confirmation_rate(self) -> float | None:
        """Share of kept signatures whose email was confirmed (pending ones expire and are deleted)."""
        decided = self.total
        return (self.total - self.pending) / decided if decided else None


@dataclass(frozen=True)
class Figures:
    campaign_id: int
    goal: int
    statuses: StatusCounts
    hourly: list[tuple[datetime, int]]
    daily: list[tuple[datetime, int]]
    by_country: list[tuple[str, int]] = field(default_factory=list)
    by_language: list[tuple[str, int]] = field(default_factory=list)
    by_source: list[tuple[str | None, int]] = field(default_factory=list)
    #: when these figures were computed (they may be served from the cache for a while)
    computed_at: datetime | None = field(default=None, compare=False)

    @property
    def progress(self) -> float:
        return self.statuses.confirmed / self.goal if self.goal else 0.0


def counted(campaign_id: int, source: str | None = None) -> ColumnElement[bool]:
    """The condition for a signature that counts, optionally only those from one referral code."""
    condition = and_(
        Signature.campaign_id == campaign_id,
        Signature.is_counted,
    )
    return and_(condition, Signature.source == source) if source is not None else condition


def status_counts(campaign_id: int, source: str | None = None) -> StatusCounts:
    query = (
        select(Signature.status, func.count())
        .where(Signature.campaign_id == campaign_id)
        .group_by(Signature.status)
    )
    if source is not None:
        query = query.where(Signature.source == source)
    found: dict[str, int] = {state: count for state, count in db.session.execute(query).all()}
    return StatusCounts(
        confirmed=found.get(SignatureStatus.CONFIRMED, 0),
        pending=found.get(SignatureStatus.PENDING, 0),
        invalidated=found.get(SignatureStatus.INVALIDATED, 0),
        held=found.get(SignatureStatus.HELD, 0),
    )


def over_time(
    campaign_id: int, unit: str, since: datetime | None = None, source: str | None = None
) -> list[tuple[datetime, int]]:
    """Counted signatures per hour or day of confirmation, with empty buckets filled in."""
    bucket = truncate(unit, Signature.confirmed_at)
    query = select(bucket, func.count()).where(counted(campaign_id, source)).group_by(bucket)
    if since is not None:
        query = query.where(Signature.confirmed_at >= since)
    found = {as_datetime(start): count for start, count in db.session.execute(query).all()}
    return _fill(found, unit, since)


def _fill(found: dict[datetime, int], unit: str, since: datetime | None) -> list[tuple[datetime, int]]:
    step = timedelta(hours=1) if unit == "hour" else timedelta(days=1)
    now = utcnow()
    end = now.replace(minute=0, second=0, microsecond=0)
    if unit == "day":
        end = end.replace(hour=0)
    if since is not None:
        start = since
    elif found:
        start = min(found)
    else:
        return []
    series = []
    while start <= end:
        series.append((start, found.get(start, 0)))
        start += step
    return series


def breakdown(campaign_id: int, column: Any, source: str | None = None) -> list[tuple[Any, int]]:
    """Counted signatures per value of ``column``, largest first."""
    total = func.count().label("total")
    rows = db.session.execute(
        select(column, total)
        .where(counted(campaign_id, source))
        .group_by(column)
        .order_by(total.desc(), column)
    ).all()
    return [(value, count) for value, count in rows]


def cached(campaign: Campaign, source: str | None = None) -> Figures:
    """The figures, computed at most once per DASHBOARD_CACHE_SECONDS per campaign (and partner).

    With a million signatures the aggregates take seconds (see bench/dashboard_figures.py); a
    dashboard left open with many campaigners must not recompute them on every view. The key
    holds the campaign's latest audit entry, so a moderator's decision shows at once.
    """
    key = _cache_key(campaign.id, source, _last_decision(campaign.id))
    try:
        hit = queues.connection.get(key)
    except (redis.RedisError, OSError):
        log.warning("figures cache unavailable", exc_info=True)
        hit = None
    if hit is not None:
        return _loads(hit)
    found = for_partner(campaign, source) if source is not None else for_campaign(campaign)
    try:
        queues.connection.set(key, _dumps(found), ex=int(current_app.config["DASHBOARD_CACHE_SECONDS"]))
    except (redis.RedisError, OSError):
        log.warning("figures cache unavailable", exc_info=True)
    return found


def _cache_key(campaign_id: int, source: str | None, decided: int) -> str:
    # v2: "held", not "fraudulent"
    return f"campaign:dashboard:figures:v2:{campaign_id}:{source or ''}:{decided}"


def _last_decision(campaign_id: int) -> int:
    """The campaign's latest audit entry: every moderation decision (an invalidation finished,
    held signatures released) writes one, so figures cached before it are not shown after it."""
    return (
        db.session.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.campaign_id == campaign_id)) or 0
    )


def forget(campaign_id: int) -> None:
    """Drop the staff figures cached for the campaign, so the next view computes them afresh."""
    try:
        queues.connection.delete(_cache_key(campaign_id, None, _last_decision(campaign_id)))
    except redis.RedisError:
        log.warning("figures cache unavailable", exc_info=True)


def _dumps(found: Figures) -> str:
    data = asdict(found)
    for name in ("hourly", "daily"):
        data[name] = [(start.isoformat(), count) for start, count in data[name]]
    data["computed_at"] = found.computed_at.isoformat() if found.computed_at else None
    return json.dumps(data)


def _loads(raw: bytes | str) -> Figures:
    data = json.loads(raw)
    data["statuses"] = StatusCounts(**data["statuses"])
    for name in ("hourly", "daily"):
        data[name] = [(datetime.fromisoformat(start), count) for start, count in data[name]]
    for name in ("by_country", "by_language", "by_source"):
        data[name] = [tuple(row) for row in data[name]]
    data["computed_at"] = datetime.fromisoformat(data["computed_at"]) if data.get("computed_at") else None
    return Figures(**data)


def for_campaign(campaign: Campaign) -> Figures:
    return Figures(
        campaign_id=campaign.id,
        goal=campaign.goal,
        statuses=status_counts(campaign.id),
        hourly=over_time(campaign.id, "hour", since=hourly_since()),
        daily=over_time(campaign.id, "day"),
        by_country=breakdown(campaign.id, Signature.country),
        by_language=breakdown(campaign.id, Signature.lang),
        by_source=breakdown(campaign.id, Signature.source),
        computed_at=utcnow(),
    )


def for_partner(campaign: Campaign, source: str) -> Figures:
    """The slice a partner may see: only signatures that came through its own referral code."""
    return Figures(
        campaign_id=campaign.id,
        goal=campaign.goal,
        statuses=status_counts(campaign.id, source),
        hourly=over_time(campaign.id, "hour", since=hourly_since(), source=source),
        daily=over_time(campaign.id, "day", source=source),
        by_country=breakdown(campaign.id, Signature.country, source),
        by_language=breakdown(campaign.id, Signature.lang, source),
        computed_at=utcnow(),
    )


#: the overview's period when none is chosen: the last 30 days, today included
OVERVIEW_DEFAULT_DAYS = 30
#: "this week" on the overview: the last 7 days, today included
WEEK_DAYS = 7


@dataclass(frozen=True)
class OverviewRow:
    """One campaign's line of the cross-campaign overview (all counts are UTC days)."""

    #: counted signatures confirmed since midnight UTC
    today: int = 0
    #: counted signatures confirmed in the last 7 days, today included
    week: int = 0
    #: counted signatures confirmed within the chosen period
    in_range: int = 0
    #: signatures made within the period whose email was confirmed (counted or held for review)
    made_confirmed: int = 0
    #: signatures made within the period, invalidated ones left out (confirmed, held or pending)
    made: int = 0

    @property
    def confirmation_rate(self) -> float | None:
        """Share of the signatures made in the period whose signer confirmed the email."""
        return self.made_confirmed / self.made if self.made else None

    def __add__(self, other: OverviewRow) -> OverviewRow:
        return OverviewRow(
            self.today + other.today,
            self.week + other.week,
            self.in_range + other.in_range,
            self.made_confirmed + other.made_confirmed,
            self.made + other.made,
        )


def overview(campaign_ids: list[int], first: date, last: date) -> dict[int, OverviewRow]:
    """Today's, this week's and the period's figures of many campaigns in ONE grouped query.

    ``first`` and ``last`` are UTC days, both included. Conditional aggregation
    (``COUNT(*) FILTER (WHERE ...)``) over ``signature`` grouped by ``campaign_id``; the WHERE
    keeps only rows confirmed since the earliest start or made within the period, which
    ``ix_signature_campaign_confirmed_at`` (campaign_id, confirmed_at) and
    ``ix_signature_status_created_at`` (status, created_at) answer. A campaign without any such
    signature gets an empty row.
    """
    if not campaign_ids:
        return {}
    today = datetime.combine(utcnow().date(), time())
    week_start = today - timedelta(days=WEEK_DAYS - 1)
    start = datetime.combine(first, time())
    end = datetime.combine(last, time()) + timedelta(days=1)
    counted_status = Signature.status == SignatureStatus.CONFIRMED
    kept = Signature.status.in_((SignatureStatus.CONFIRMED, SignatureStatus.HELD, SignatureStatus.PENDING))
    made = and_(kept, Signature.created_at >= start, Signature.created_at < end)
    query = (
        select(
            Signature.campaign_id,
            func.count().filter(counted_status, Signature.confirmed_at >= today),
            func.count().filter(counted_status, Signature.confirmed_at >= week_start),
            func.count().filter(
                counted_status, Signature.confirmed_at >= start, Signature.confirmed_at < end
            ),
            func.count().filter(made, Signature.confirmed_at.is_not(None)),
            func.count().filter(made),
        )
        .where(
            Signature.campaign_id.in_(campaign_ids),
            or_(Signature.confirmed_at >= min(week_start, start), made),
        )
        .group_by(Signature.campaign_id)
    )
    found = {row[0]: OverviewRow(*row[1:]) for row in db.session.execute(query).all()}
    return {campaign_id: found.get(campaign_id, OverviewRow()) for campaign_id in campaign_ids}
