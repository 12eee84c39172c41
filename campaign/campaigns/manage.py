"""Creating and editing campaigns from the dashboard's form. Services flush only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from campaign.accounts.models import Organisation
from campaign.campaigns.forms import CampaignBase
from campaign.campaigns.models import Campaign, CampaignTranslation
from campaign.extensions import db
from campaign.forms import sync_translations

CAMPAIGN_TEXT = ("title", "summary", "body", "demand", "target")


def apply_campaign(campaign: Campaign, form: CampaignBase) -> None:
    campaign.slug = form.slug.data
    campaign.defender_id = form.defender_id.data or None
    campaign.status = form.status.data
    campaign.default_lang = form.default_lang.data
    campaign.goal = form.goal.data
    campaign.opens_at, campaign.closes_at = form.opens_at.data, form.closes_at.data
    campaign.retention_days = form.retention_days.data
    campaign.sender_name = form.sender_name.data or None
    campaign.reply_to = form.reply_to.data or None
    campaign.partners = list(
        db.session.scalars(select(Organisation).where(Organisation.id.in_(form.partner_ids.data or [])))
    )
    sync_translations(campaign.translations, form, CAMPAIGN_TEXT, CampaignTranslation)


def campaign_data(campaign: Campaign) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": campaign.slug,
        "defender_id": campaign.defender_id or 0,
        "status": campaign.status,
        "default_lang": campaign.default_lang,
        "goal": campaign.goal,
        "opens_at": campaign.opens_at,
        "closes_at": campaign.closes_at,
        "retention_days": campaign.retention_days,
        "sender_name": campaign.sender_name or "",
        "reply_to": campaign.reply_to or "",
        "partner_ids": [organisation.id for organisation in campaign.partners],
    }
    for lang, text in campaign.translations.items():
        data[f"text_{lang}"] = {name: getattr(text, name) for name in CAMPAIGN_TEXT}
    return data
