"""Reading the register: which defenders and campaigns the public sees, and the register's filters."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from campaign.campaigns.models import Campaign
from campaign.defenders.models import Defender, DefenderTranslation
from campaign.defenders.search import like_pattern
from campaign.errors import gone
from campaign.extensions import db


def public_defenders() -> Select[Defender]:
    """Those in the register: public and not archived."""
    return select(Defender).where(Defender.is_listed)


def get_public_defender(slug: str) -> Defender:
    """A defender of the register, or a 404 (unknown, not public) or a 410 (archived)."""
    defender = db.session.scalar(select(Defender).where(Defender.slug == slug)) if len(slug) <= 80 else None
    if defender is None or not defender.is_public:
        abort(404)
    if defender.is_archived:
        gone(_("This defender's page has been archived and is no longer published."))
    return defender


def public_campaigns(defender_ids: list[int]) -> list[Campaign]:
    if not defender_ids:
        return []
    return list(
        db.session.scalars(
            select(Campaign)
            .where(Campaign.defender_id.in_(defender_ids), Campaign.is_public)
            .order_by(Campaign.created_at.desc())
        )
    )


def filtered(country: str, status: str, occupation: str, query: str) -> Select[Defender]:
    """The register's query for the given filters (each ignored when empty)."""
    found = public_defenders()
    if country:
        found = found.where(Defender.country == country)
    if status:
        found = found.where(Defender.status == status)
    if occupation:
        found = found.where(
            Defender.translations.any(func.lower(DefenderTranslation.occupation) == occupation.lower())
        )
    pattern = like_pattern(query) if query else None
    if pattern:
        found = found.where(Defender.search_names.like(pattern))
    return found
