"""Demo partner organisations and letters for ``flask seed-demo`` (idempotent).

Owner accounts use the addresses in demo_data (all example.org) and the password in
``DEMO_PASSWORD``, else :data:`DEMO_PASSWORD_DEFAULT`; their second factor is not set up, so the
first login enrols it.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import select

from campaign.accounts import services as accounts
from campaign.accounts.models import Organisation, User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import Letter, LetterParticipant, Recipient
from campaign.models_base import utcnow

DEMO_PASSWORD_DEFAULT = "demo-partner-password"  # noqa: S105 - documented; example.org accounts only


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT


def seed_organisation(entry: dict[str, Any]) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == entry["slug"]))
    if organisation is None:
        organisation = Organisation(
            slug=entry["slug"],
            names=entry["names"],
            city=entry["city"],
            country=entry["country"],
            website=entry["website"],
            description=entry["description"],
            default_lang="ru" if entry["country"] in ("RU", "TJ") else "en",
        )
        db.session.add(organisation)
        db.session.flush()
    email = entry["owner_email"]
    if db.session.scalar(select(User.id).where(User.email == email)) is None:
        accounts.create_user(
            email,
            demo_password(),
            name=entry["representative"],
            organisation=organisation,
            org_role="owner",
        )
    return organisation


def seed_letter(spec: dict[str, Any], organisations: dict[str, dict[str, Any]], is_open: bool) -> Letter:
    letter = db.session.scalar(select(Letter).where(Letter.slug == spec["slug"]))
    if letter is not None:
        return letter
    coordinator = db.session.execute(
        select(Organisation).where(Organisation.slug == spec["coordinator"])
    ).scalar_one()
    owner = db.session.execute(
        select(User).where(User.email == organisations[spec["coordinator"]]["owner_email"])
    ).scalar_one()
    default = spec["translations"][spec["default_lang"]]
    letter = services.create_letter(
        spec["slug"], coordinator, owner, spec["default_lang"], default["title"], default["body"]
    )
    for lang, text in spec["translations"].items():
        if lang != spec["default_lang"]:
            services.save_version(letter, lang, text["title"], text["body"], owner, coordinator)
    if spec.get("campaign"):
        letter.campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.slug == spec["campaign"]))
    for recipient in spec["recipients"]:
        letter.recipients.append(
            Recipient(
                name=recipient["name"],
                titles=recipient["title"],
                country=recipient["country"],
                email=recipient["email"],
                lang=spec["default_lang"] if spec["default_lang"] in recipient["title"] else "en",
            )
        )
    if is_open:
        services.open_for_sign_on(letter)
        for slug in spec["signed_on"]:
            entry = organisations[slug]
            organisation = db.session.execute(
                select(Organisation).where(Organisation.slug == slug)
            ).scalar_one()
            if organisation.id != letter.coordinator_id:
                letter.participants.append(
                    LetterParticipant(organisation=organisation, invited_by_id=owner.id, accepted_at=utcnow())
                )
            signer = db.session.execute(select(User).where(User.email == entry["owner_email"])).scalar_one()
            title = entry["representative_title"].get(spec["default_lang"], "")
            services.sign_on(
                letter, organisation, signer, services.SignOnInput(entry["representative"], title)
            )
    db.session.flush()
    return letter


def seed_letters() -> int:
    from campaign.letters.demo_data import LETTER, LETTER_DRAFT, ORGANISATIONS

    by_slug = {entry["slug"]: entry for entry in ORGANISATIONS}
    for entry in ORGANISATIONS:
        seed_organisation(entry)
    seed_letter(LETTER, by_slug, is_open=True)
    seed_letter(LETTER_DRAFT, by_slug, is_open=False)
    return len(ORGANISATIONS)
