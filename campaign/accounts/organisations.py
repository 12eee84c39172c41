"""An organisation's profile and its members' roles, as its owners (and staff) manage them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from campaign.accounts.models import ORG_ROLES, Membership, Organisation
from campaign.extensions import db


class LastOwnerError(Exception):
    """An organisation must keep at least one owner."""


@dataclass(frozen=True)
class Profile:
    #: language code -> text; empty entries are dropped
    names: dict[str, str]
    descriptions: dict[str, str]
    city: str
    country: str
    website: str
    #: language code -> city / postal address; empty entries are dropped
    cities: dict[str, str] = field(default_factory=dict)
    postal_addresses: dict[str, str] = field(default_factory=dict)
    contact_email: str = ""


def update_profile(organisation: Organisation, profile: Profile) -> None:
    organisation.names = {lang: text for lang, text in profile.names.items() if text}
    organisation.description = {lang: text for lang, text in profile.descriptions.items() if text}
    organisation.city = profile.city
    organisation.country = profile.country
    organisation.website = profile.website
    organisation.cities = {lang: text for lang, text in profile.cities.items() if text}
    organisation.postal_addresses = {lang: text for lang, text in profile.postal_addresses.items() if text}
    organisation.contact_email = profile.contact_email.lower()
    if organisation.names and organisation.default_lang not in organisation.names:
        organisation.default_lang = next(iter(organisation.names))


def create(profile: Profile, lang: str) -> Organisation:
    """A new organisation from its profile; its short name comes from its name, made unique."""
    from campaign.accounts.services import slugify

    name = profile.names.get(lang) or next(text for text in profile.names.values() if text)
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 1
    while db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    organisation = Organisation(slug=slug, default_lang=lang if profile.names.get(lang) else "en")
    db.session.add(organisation)
    update_profile(organisation, profile)
    db.session.flush()
    return organisation


def set_archived(organisation: Organisation, archived: bool) -> None:
    """Archived organisations are offered nowhere (invitations to letters), their history stays."""
    from campaign.models_base import utcnow

    organisation.archived_at = (organisation.archived_at or utcnow()) if archived else None


def members(organisation: Organisation) -> list[Membership]:
    rows = db.session.scalars(
        select(Membership).where(Membership.organisation_id == organisation.id).order_by(Membership.id)
    )
    return list(rows)


def _owners(organisation_id: int) -> int:
    """How many owners the organisation has; its row stays locked (on PostgreSQL) until the commit,
    so two owners demoting each other at once cannot leave it with none."""
    db.session.execute(select(Organisation.id).where(Organisation.id == organisation_id).with_for_update())
    return db.session.execute(
        select(func.count())
        .select_from(Membership)
        .where(Membership.organisation_id == organisation_id, Membership.role == "owner")
    ).scalar_one()


def change_role(membership: Membership, role: str) -> None:
    if role not in ORG_ROLES:
        raise ValueError(f"unknown role {role!r}")
    if membership.role == "owner" and role != "owner" and _owners(membership.organisation_id) <= 1:
        raise LastOwnerError
    membership.role = role


def remove_member(membership: Membership) -> None:
    if membership.role == "owner" and _owners(membership.organisation_id) <= 1:
        raise LastOwnerError
    db.session.delete(membership)
