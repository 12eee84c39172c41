"""Reading campaigns: by slug for staff pages, and the few columns the signing hot path needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import select

from campaign.campaigns.models import Campaign, takes_signatures
from campaign.extensions import db
from campaign.models_base import utcnow


@dataclass(frozen=True)
class SigningState:
    """What the signing request needs to know of its campaign: four columns, no translations."""

    id: int
    status: str
    opens_at: datetime | None
    closes_at: datetime | None

    @property
    def is_open(self) -> bool:
        return takes_signatures(self.status, self.opens_at, self.closes_at, utcnow())


def signing_state(slug: str) -> SigningState | None:
    """The public campaign's state, or None for an unknown slug or a draft."""
    campaigns = Campaign.__table__  # Core, not ORM: this runs on every signing request
    row = db.session.execute(
        select(campaigns.c.id, campaigns.c.status, campaigns.c.opens_at, campaigns.c.closes_at).where(
            campaigns.c.slug == slug, Campaign.is_public
        )
    ).one_or_none()
    return SigningState(*row) if row else None


def get_campaign(slug: str) -> Campaign:
    """Any campaign by its slug, drafts included (for staff pages), or a 404."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        abort(404)
    return campaign
