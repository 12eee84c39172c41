"""Creating and editing defenders from the dashboard's form. Services flush only."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app

from campaign.defenders.forms import DefenderBase
from campaign.defenders.models import Defender, DefenderTranslation, Source, TimelineEvent
from campaign.forms import sync_translations

DEFENDER_TEXT = ("name", "occupation", "charges", "sentence", "bio")


def apply_defender(defender: Defender, form: DefenderBase) -> None:
    defender.slug = form.slug.data
    defender.country = form.country.data
    defender.status = form.status.data
    defender.default_lang = form.default_lang.data
    sync_translations(defender.translations, form, DEFENDER_TEXT, DefenderTranslation)
    languages = current_app.config["LANGUAGES"]
    events = []
    for row in form.timeline:
        texts = {lang: getattr(row.form, f"text_{lang}").data for lang in languages}
        if row.form.happened_on.data:
            events.append((row.form.happened_on.data, {lang: text for lang, text in texts.items() if text}))
    defender.timeline = [
        TimelineEvent(happened_on=day, texts=texts)
        for day, texts in sorted(events, key=lambda event: event[0])
    ]
    defender.sources = [
        Source(url=row.form.url.data, title=row.form.title.data) for row in form.sources if row.form.url.data
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
