"""Signatures held for review: confirmed by their signers, but signed past the fraud threshold
from one address, so not counted until a moderator releases or invalidates them.

A moderator sees them grouped by campaign and by IP hash, with a few samples of what each
group holds that names no one (time, country, language, mail domain: never an address, never
a name). Services flush; the caller commits, then calls :func:`recount`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update

from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.models_base import rowcount, utcnow
from campaign.moderation.services import audit
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus

#: samples shown for each group, and groups shown on one page (the largest first)
SAMPLES, GROUPS = 5, 100


@dataclass(frozen=True)
class Sample:
    created_at: datetime
    country: str
    lang: str
    email_domain: str


@dataclass(frozen=True)
class CampaignHeld:
    campaign: Campaign
    count: int


@dataclass
class AddressGroup:
    campaign: Campaign
    ip_hash: str
    count: int
    first_at: datetime
    last_at: datetime
    samples: list[Sample] = field(default_factory=list)


def by_campaign() -> list[CampaignHeld]:
    rows = db.session.execute(
        select(Signature.campaign_id, func.count())
        .where(Signature.status == SignatureStatus.HELD)
        .group_by(Signature.campaign_id)
        .order_by(func.count().desc())
    ).all()
    campaigns = {
        c.id: c for c in db.session.scalars(select(Campaign).where(Campaign.id.in_([r[0] for r in rows])))
    }
    return [CampaignHeld(campaigns[campaign_id], count) for campaign_id, count in rows]


def by_address(campaign_id: int | None = None) -> list[AddressGroup]:
    """The largest groups of held signatures sharing a campaign and an IP hash, with samples."""
    query = (
        select(
            Signature.campaign_id,
            Signature.ip_hash,
            func.count(),
            func.min(Signature.created_at),
            func.max(Signature.created_at),
        )
        .where(Signature.status == SignatureStatus.HELD)
        .group_by(Signature.campaign_id, Signature.ip_hash)
        .order_by(func.count().desc(), Signature.ip_hash)
        .limit(GROUPS)
    )
    if campaign_id is not None:
        query = query.where(Signature.campaign_id == campaign_id)
    rows = db.session.execute(query).all()
    campaigns = {
        c.id: c for c in db.session.scalars(select(Campaign).where(Campaign.id.in_({r[0] for r in rows})))
    }
    groups = [AddressGroup(campaigns[row[0]], *row[1:]) for row in rows]
    for group in groups:
        group.samples = [
            Sample(*sample)
            for sample in db.session.execute(
                select(Signature.created_at, Signature.country, Signature.lang, Signature.email_domain)
                .where(
                    Signature.campaign_id == group.campaign.id,
                    Signature.ip_hash == group.ip_hash,
                    Signature.status == SignatureStatus.HELD,
                )
                .order_by(Signature.created_at.desc())
                .limit(SAMPLES)
            )
        ]
    return groups


def _decide(action: str, campaign_id: int, ip_hash: str | None, user_id: int | None) -> int:
    condition = [Signature.campaign_id == campaign_id, Signature.status == SignatureStatus.HELD]
    if ip_hash:
        condition.append(Signature.ip_hash == ip_hash)
    values = (
        {"status": SignatureStatus.CONFIRMED, "is_over_limit": False}
        if action == "released"
        else {"status": SignatureStatus.INVALIDATED, "invalidated_at": utcnow()}
    )
    changed = rowcount(
        db.session.execute(
            update(Signature).where(*condition).values(**values).execution_options(synchronize_session=False)
        )
    )
    audit(f"held.{action}", user_id, campaign_id, {"ip_hash": ip_hash} if ip_hash else {}, changed)
    db.session.flush()
    return changed


def release(campaign_id: int, ip_hash: str | None, user_id: int | None) -> int:
    """Count the campaign's held signatures (from one IP hash, if given); how many."""
    return _decide("released", campaign_id, ip_hash, user_id)


def invalidate(campaign_id: int, ip_hash: str | None, user_id: int | None) -> int:
    """Invalidate them instead: never counted, and the signers are never told (a shadow ban)."""
    return _decide("invalidated", campaign_id, ip_hash, user_id)


def recount(campaign_id: int) -> None:
    """After the commit: the public count sees the decision at once (the staff figures see
    it by its audit entry)."""
    counts.reconcile(campaign_id)
