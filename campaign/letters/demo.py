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
from campaign.letters import recipients, services
from campaign.letters.models import Letter, LetterParticipant, LetterStatus, RecipientContact
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
    # fields that came later: filled in on an older demo database, never overwriting an edit
    organisation.cities = organisation.cities or entry.get("cities", {})
    organisation.contact_email = organisation.contact_email or entry.get("contact_email", "")
    organisation.postal_addresses = organisation.postal_addresses or entry.get("postal_addresses", {})
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


def _recipient_input(recipient: dict[str, Any]) -> recipients.RecipientInput:
    return recipients.RecipientInput(
        name=recipient["name"],
        country=recipient["country"],
        email=recipient["email"],
        lang=recipient["lang"],
        names=recipient.get("names", {}),
        titles=recipient["titles"],
        salutations=recipient.get("salutations", {}),
    )


def _upgrade_recipients(letter: Letter, spec: dict[str, Any]) -> None:
    """A letter seeded before recipients had languages and salutations gets them, until delivered."""
    if letter.status == LetterStatus.DELIVERED:
        return
    by_email = {recipient["email"]: recipient for recipient in spec["recipients"]}
    for recipient in letter.recipients:
        entry = by_email.get(recipient.email)
        if entry is not None and not recipient.salutations:
            recipients.update_recipient(recipient, _recipient_input(entry))


def seed_letter(spec: dict[str, Any], organisations: dict[str, dict[str, Any]], is_open: bool) -> Letter:
    letter = db.session.scalar(select(Letter).where(Letter.slug == spec["slug"]))
    if letter is not None:
        _upgrade_recipients(letter, spec)
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
        recipients.add_recipient(letter, _recipient_input(recipient))
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
            titles = entry["representative_title"]
            data = services.SignOnInput(
                entry["representative"], titles.get(spec["default_lang"], ""), titles=dict(titles)
            )
            services.sign_on(letter, organisation, signer, data)
    db.session.flush()
    return letter


def seed_address_book() -> None:
    """The heads of state the demo letters go to, kept for the next letter."""
    from campaign.letters.demo_central_asia import PRESIDENTS
    from campaign.letters.demo_data import LETTER, LETTER_DRAFT

    known = set(db.session.scalars(select(RecipientContact.email)))
    for entry in [*PRESIDENTS, *LETTER["recipients"], *LETTER_DRAFT["recipients"]]:
        if entry["email"] not in known:
            recipients.save_contact(None, _recipient_input(entry))
            known.add(entry["email"])


def seed_letters() -> int:
    from campaign.letters import demo_central_asia
    from campaign.letters.demo_data import LETTER, LETTER_DRAFT, ORGANISATIONS

    every = [*ORGANISATIONS, *demo_central_asia.ORGANISATIONS]
    by_slug = {entry["slug"]: entry for entry in every}
    for entry in every:
        seed_organisation(entry)
    seed_letter(LETTER, by_slug, is_open=True)
    seed_letter(LETTER_DRAFT, by_slug, is_open=False)
    seed_letter(demo_central_asia.LETTER, by_slug, is_open=True)
    seed_address_book()
    return len(every)
