"""Creating and editing defenders and campaigns from the dashboard's forms. Services flush only."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select

from campaign.campaigns.forms import CampaignBase, DefenderBase
from campaign.campaigns.models import (
    Campaign,
    CampaignTranslation,
    Defender,
    DefenderTranslation,
    Source,
    TimelineEvent,
)
from campaign.extensions import db

CAMPAIGN_TEXT = ("title", "summary", "body", "demand", "target")
DEFENDER_TEXT = ("name", "occupation", "charges", "sentence", "bio")


def slug_taken(model: type[Campaign] | type[Defender], slug: str, own_id: int | None) -> bool:
    found = db.session.scalar(select(model.id).where(model.slug == slug))
    return found is not None and found != own_id


def _sync_translations(
    translations: dict[str, Any], form: CampaignBase | DefenderBase, fields: tuple[str, ...], make: Any
) -> None:
    """Write each filled language block; drop a language whose block was emptied."""
    for lang, text in form.texts().items():
        if not text.is_filled():  # type: ignore[attr-defined]
            translations.pop(lang, None)
            continue
        translation = translations.get(lang) or make(lang=lang)
        for name in fields:
            setattr(translation, name, getattr(text, name).data or "")
        translations[lang] = translation


def apply_campaign(campaign: Campaign, form: CampaignBase) -> None:
    campaign.slug = form.slug.data
    campaign.defender_id = form.defender_id.data or None
    campaign.status = form.status.data
    campaign.default_lang = form.default_lang.data
    campaign.goal = form.goal.data
    campaign.opens_at, campaign.closes_at = form.opens_at.data, form.closes_at.data
    _sync_translations(campaign.translations, form, CAMPAIGN_TEXT, CampaignTranslation)


def campaign_data(campaign: Campaign) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": campaign.slug,
        "defender_id": campaign.defender_id or 0,
        "status": campaign.status,
        "default_lang": campaign.default_lang,
        "goal": campaign.goal,
        "opens_at": campaign.opens_at,
        "closes_at": campaign.closes_at,
    }
    for lang, text in campaign.translations.items():
        data[f"text_{lang}"] = {name: getattr(text, name) for name in CAMPAIGN_TEXT}
    return data


def apply_defender(defender: Defender, form: DefenderBase) -> None:
    defender.slug = form.slug.data
    defender.country = form.country.data
    defender.status = form.status.data
    defender.default_lang = form.default_lang.data
    _sync_translations(defender.translations, form, DEFENDER_TEXT, DefenderTranslation)
    languages = current_app.config["LANGUAGES"]
    events = []
    for row in form.timeline:  # type: ignore[attr-defined]
        texts = {lang: getattr(row.form, f"text_{lang}").data for lang in languages}
        if row.form.happened_on.data:
            events.append((row.form.happened_on.data, {lang: text for lang, text in texts.items() if text}))
    defender.timeline = [
        TimelineEvent(happened_on=day, texts=texts)
        for day, texts in sorted(events, key=lambda event: event[0])
    ]
    defender.sources = [
        Source(url=row.form.url.data, title=row.form.title.data)
        for row in form.sources  # type: ignore[attr-defined]
        if row.form.url.data
    ]


def defender_data(defender: Defender) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": defender.slug,
        "country": defender.country,
        "status": defender.status,
        "default_lang": defender.default_lang,
        "timeline": [_event_data(event.happened_on, event.texts) for event in defender.timeline],
        "sources": [{"url": source.url, "title": source.title} for source in defender.sources],
    }
    for lang, text in defender.translations.items():
        data[f"text_{lang}"] = {name: getattr(text, name) for name in DEFENDER_TEXT}
    return data


def _event_data(happened_on: date, texts: dict[str, str]) -> dict[str, Any]:
    return {"happened_on": happened_on} | {f"text_{lang}": text for lang, text in texts.items()}
