"""``flask seed-demo``: demo content drawn from the appeals in shared/seeds (idempotent)."""

from __future__ import annotations

import random
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from campaign.accounts.models import Organisation, User
from campaign.accounts.services import create_user
from campaign.campaigns.models import Campaign, CampaignTranslation
from campaign.defenders.dates import PartialDate
from campaign.defenders.models import (
    CHARGE,
    SENTENCE,
    STATUS,
    CaseFact,
    Defender,
    DefenderTranslation,
    SolidarityMessage,
    Source,
    TimelineEvent,
)
from campaign.defenders.search import names_key
from campaign.demo_data_more import DEMO_MESSAGES, OUTDATED, defenders
from campaign.extensions import db
from campaign.letters.demo import demo_password, seed_letters
from campaign.models_base import utcnow
from campaign.security import keyed_hash
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus, Supporter
from campaign.signatures.services import normalise_email
from campaign.source_versions import digest, follow_source

#: countries demo signers come from, weighted towards the region
DEMO_COUNTRIES = ("KZ", "KZ", "KZ", "RU", "RU", "DE", "FR", "GB", "US", "UZ", "KG", "TJ", "PL", "SE")
DEMO_NAMES = ("Aigerim", "Dmitry", "Anna", "Marat", "Claire", "Jonas", "Elena", "Timur", "Sarah", "Olga")


def seed_defender(entry: dict) -> Campaign:
    defender = db.session.scalar(select(Defender).where(Defender.slug == entry["slug"]))
    if defender is None:
        defender = Defender(
            slug=entry["slug"],
            country=entry["country"],
            status=entry["status"],
            default_lang=entry["default_lang"],
            is_public=True,
        )
        facts: dict[str, dict[str, str]] = {CHARGE: {}, SENTENCE: {}}
        for lang, fields in entry["translations"].items():
            facts[CHARGE][lang] = fields["charges"]
            facts[SENTENCE][lang] = fields["sentence"]
            defender.translations[lang] = DefenderTranslation(
                lang=lang, name=fields["name"], occupation=fields["occupation"], bio=fields["bio"]
            )
        follow_source(defender.translations, defender.default_lang, defender.translations)
        defender.search_names = names_key(text.name for text in defender.translations.values())
        defender.facts = [CaseFact(kind=STATUS, status=entry["status"])] + [
            CaseFact(kind=kind, texts=texts) for kind, texts in facts.items()
        ]
        defender.timeline = []
        for event in entry["timeline"]:
            when = PartialDate.parse(event["date"])
            texts = {lang: text for lang, text in event.items() if lang != "date"}
            defender.timeline.append(
                TimelineEvent(happened_on=when.day, precision=when.precision, texts=texts)
            )
        defender.sources = [Source(url=source["url"], title=source["title"]) for source in entry["sources"]]
        db.session.add(defender)
    spec = entry["campaign"]
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == spec["slug"]))
    if campaign is None:
        campaign = Campaign(
            slug=spec["slug"],
            defender=defender,
            status=spec["status"],
            default_lang=spec["default_lang"],
            goal=spec["goal"],
            opens_at=utcnow() - timedelta(days=30),
        )
        for lang, fields in spec["translations"].items():
            campaign.translations[lang] = CampaignTranslation(lang=lang, **fields)
        follow_source(campaign.translations, campaign.default_lang, campaign.translations)
        if spec["slug"] in OUTDATED:  # made from an earlier source text: the matrix shows the diff
            lang, earlier = OUTDATED[spec["slug"]]
            source_text = campaign.translations[campaign.default_lang].text_fields() | earlier
            campaign.translations[lang].source_text = source_text
            campaign.translations[lang].source_hash = digest(source_text)
        db.session.add(campaign)
    db.session.flush()
    return campaign


def seed_signatures(campaign: Campaign, how_many: int, rng: random.Random) -> None:
    """Confirmed demo signatures spread over the last thirty days, all at example.net, each
    signer a supporter as confirming makes them (so updates have an audience)."""
    if db.session.scalar(select(func.count()).where(Signature.campaign_id == campaign.id)):
        return
    now = utcnow()
    for number in range(how_many):
        address = f"demo-{campaign.slug}-{number}@example.net"
        hashed = keyed_hash("email", normalise_email(address))
        lang = rng.choice(("en", "ru", "kk"))
        signed_at = now - timedelta(minutes=rng.randint(5, 30 * 24 * 60))
        db.session.add(Supporter(email_hash=hashed, email=address, lang=lang, created_at=signed_at))
        db.session.add(
            Signature(
                campaign_id=campaign.id,
                name=f"{rng.choice(DEMO_NAMES)} {chr(ord('A') + number % 26)}.",
                email=address,
                email_hash=hashed,
                email_domain="example.net",
                country=rng.choice(DEMO_COUNTRIES),
                lang=lang,
                is_name_public=rng.random() < 0.4,
                wants_updates=rng.random() < 0.6,
                ip_hash=keyed_hash("ip", f"192.0.2.{number % 250}")[:32],
                status=SignatureStatus.CONFIRMED,
                created_at=signed_at - timedelta(minutes=3),
                confirmed_at=signed_at,
            )
        )


def seed_messages(campaigns: list[Campaign]) -> None:
    """A few messages to each demo defender: approved ones on their page and in their booklet,
    one private (booklet only) and one waiting in the moderation queue."""
    now = utcnow()
    for campaign in campaigns:
        defender_id = campaign.defender_id
        if defender_id is None or db.session.scalar(
            select(SolidarityMessage.id).where(SolidarityMessage.defender_id == defender_id).limit(1)
        ):
            continue
        for hours, (text, lang, name, is_public, status) in enumerate(DEMO_MESSAGES, start=1):
            db.session.add(
                SolidarityMessage(
                    defender_id=defender_id,
                    campaign_id=campaign.id,
                    text=text,
                    lang=lang,
                    display_name=name,
                    is_public=is_public,
                    status=status,
                    created_at=now - timedelta(hours=hours * 7),
                    decided_at=None if status == "pending" else now,
                )
            )


#: the demo's staff account (admin): the dashboard, campaign management, moderation, updates
DEMO_ADMIN = "admin@example.org"


def seed_staff() -> None:
    if db.session.scalar(select(User.id).where(User.email == DEMO_ADMIN)) is None:
        create_user(DEMO_ADMIN, demo_password(), name="Demo campaigner", staff_role="admin")


#: how many partner organisations each demo campaign names as supporting it
PARTNERS_PER_CAMPAIGN = 3


def seed_partners(campaigns: list[Campaign]) -> None:
    """Name a few partner organisations on each demo campaign that names none yet ("Supported by")."""
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
    for number, campaign in enumerate(campaigns):
        if not campaign.partners and organisations:
            start = number % len(organisations)
            chosen = (organisations[start:] + organisations[:start])[:PARTNERS_PER_CAMPAIGN]
            campaign.partners = chosen


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo defenders, campaigns and signatures (safe to run again)."""
    rng = random.Random(2026)
    campaigns = [seed_defender(entry) for entry in defenders()]
    for campaign in campaigns:
        seed_signatures(campaign, rng.randint(60, 400), rng)
    organisations = seed_letters()
    seed_partners(campaigns)
    seed_messages(campaigns)
    seed_staff()
    db.session.commit()
    for campaign in campaigns:
        counts.reconcile(campaign.id)
    click.echo(
        f"Demo content ready: {len(campaigns)} campaigns, {organisations} partner organisations, 3 letters."
    )
