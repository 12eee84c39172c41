"""Creating and editing defenders and their case records from the dashboard's form. Services flush only."""

from __future__ import annotations

from datetime import date
from typing import Any

from campaign.defenders.dates import DAY, PartialDate
from campaign.defenders.forms import DefenderBase
from campaign.defenders.models import (
    FACT_KINDS,
    STATUS,
    CaseFact,
    Defender,
    DefenderTranslation,
    Source,
    TimelineEvent,
)
from campaign.defenders.record_forms import is_empty, row_texts
from campaign.defenders.search import names_key
from campaign.forms import languages, sync_translations
from campaign.models_base import utcnow

DEFENDER_TEXT = ("name", "occupation", "bio")


def apply_defender(defender: Defender, form: DefenderBase) -> bool:
    """Write the form onto ``defender``; True when its present status changed (followers are told)."""
    old_status = defender.status
    defender.slug = form.slug.data
    defender.country = form.country.data
    defender.status = form.status.data
    defender.default_lang = form.default_lang.data
    defender.is_public = bool(form.is_public.data)
    sync_translations(defender.translations, form, DEFENDER_TEXT, DefenderTranslation)
    defender.search_names = names_key(text.name for text in defender.translations.values())
    events = []
    for row in form.timeline:
        texts = row_texts(row.form, "text")
        if row.form.happened_on.data:
            events.append((row.form.happened_on.data, texts))
    defender.timeline = [
        TimelineEvent(happened_on=when.day, precision=when.precision, texts=texts)
        for when, texts in sorted(events, key=lambda event: event[0].day)
    ]
    defender.sources = [
        Source(url=row.form.url.data, title=row.form.title.data) for row in form.sources if row.form.url.data
    ]
    facts = [
        _fact(kind, row.form)
        for kind in FACT_KINDS
        for row in getattr(form, f"facts_{kind}")
        if not is_empty(row.form, kind)
    ]
    statuses = sorted(
        (fact for fact in facts if fact.kind == STATUS),
        key=lambda f: (f.happened_on is not None, f.happened_on),
    )
    if not statuses or statuses[-1].status != defender.status:
        today = utcnow().date()
        facts.append(
            CaseFact(kind=STATUS, status=defender.status, happened_on=today, precision=DAY, verified_on=today)
        )
    defender.facts = facts
    return old_status is not None and old_status != defender.status


def _fact(kind: str, row: Any) -> CaseFact:
    when: PartialDate | None = row.happened_on.data
    return CaseFact(
        kind=kind,
        status=row.status.data if kind == STATUS else None,
        happened_on=when.day if when else None,
        precision=when.precision if when else DAY,
        article=row.article.data if hasattr(row, "article") else "",
        texts=row_texts(row, "text"),
        outcomes=row_texts(row, "outcome"),
        source_url=row.source_url.data or "",
        source_title=row.source_title.data or "",
        verified_on=row.verified_on.data,
    )


def defender_data(defender: Defender) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": defender.slug,
        "country": defender.country,
        "status": defender.status,
        "default_lang": defender.default_lang,
        "is_public": defender.is_public,
        "timeline": [_texts_data(event.when, event.texts) for event in defender.timeline],
        "sources": [{"url": source.url, "title": source.title} for source in defender.sources],
    }
    for kind in FACT_KINDS:
        data[f"facts_{kind}"] = [_fact_data(fact) for fact in defender.facts_of(kind)]
    for lang, text in defender.translations.items():
        data[f"text_{lang}"] = {name: getattr(text, name) for name in DEFENDER_TEXT}
    return data


def _texts_data(when: PartialDate | None, texts: dict[str, str], prefix: str = "text") -> dict[str, Any]:
    return {"happened_on": when} | {
        f"{prefix}_{lang}": text for lang, text in texts.items() if lang in languages()
    }


def _fact_data(fact: CaseFact) -> dict[str, Any]:
    verified: date | None = fact.verified_on
    return (
        _texts_data(fact.when, fact.texts)
        | {f"outcome_{lang}": text for lang, text in fact.outcomes.items()}
        | {
            "status": fact.status or "",
            "article": fact.article,
            "source_url": fact.source_url,
            "source_title": fact.source_title,
            "verified_on": verified,
        }
    )
