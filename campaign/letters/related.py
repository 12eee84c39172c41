"""The public letters of a set of campaigns, for the defender and country pages (see defenders/related.py;
``create_app`` registers :func:`public_letters`)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from sqlalchemy import select

from campaign.defenders.related import Item
from campaign.extensions import db
from campaign.letters.models import Letter


def public_letters(campaign_ids: Sequence[int], lang: str) -> list[Item]:
    letters = db.session.scalars(
        select(Letter)
        .where(Letter.campaign_id.in_(campaign_ids), Letter.is_public)
        .order_by(Letter.created_at.desc())
    ).all()
    items = []
    for letter in letters:
        text = letter.frozen_text(lang)
        if text is None:
            continue
        version, _ = text
        published = letter.delivered_at or letter.opened_at
        url = url_for("letters.public", lang=lang, slug=letter.slug)
        items.append(Item(version.title, url, published, lang=version.lang, key=f"letter-{letter.id}"))
    return items
