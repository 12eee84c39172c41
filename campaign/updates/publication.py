"""Publishing an update on the campaign's and the defender's pages (and in their feeds).

Publishing is the campaigner's choice, apart from mailing: an update may be mailed only,
published only, or both. Its public text is its text in each language, as the email's is.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, redirect, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.defenders.related import Item, provide
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.updates.forms import ConfirmForm
from campaign.updates.models import Update
from campaign.updates.views import _campaign, _update, bp


def publish(update: Update) -> bool:
    """Make it public; False if it already was. Services flush only."""
    if update.published_at is not None:
        return False
    update.published_at = utcnow()
    db.session.flush()
    db.session.info.setdefault("update_published", []).append(update.id)
    return True


def unpublish(update: Update) -> None:
    update.published_at = None
    db.session.flush()


@bp.post("/<int:update_id>/publish")
@staff_required()
def publish_view(slug: str, update_id: int) -> Response:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    if not ConfirmForm().validate():
        abort(400)
    done = "published" if publish(update) else "already_published"
    db.session.commit()
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done=done), 303)  # type: ignore[return-value]


@bp.post("/<int:update_id>/unpublish")
@staff_required()
def unpublish_view(slug: str, update_id: int) -> Response:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    if not ConfirmForm().validate():
        abort(400)
    unpublish(update)
    db.session.commit()
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done="unpublished"), 303)  # type: ignore[return-value]


def published_updates(campaign_ids: Sequence[int], limit: int = 50) -> list[Update]:
    return list(
        db.session.scalars(
            select(Update)
            .where(Update.campaign_id.in_(campaign_ids), Update.published_at.is_not(None))
            .order_by(Update.published_at.desc())
            .limit(limit)
        )
    )


@provide("updates")
def public_updates(campaign_ids: Sequence[int], lang: str) -> list[Item]:
    items = []
    for update in published_updates(campaign_ids):
        text, _ = update.text(lang)
        url = url_for("campaigns.show", lang=lang, slug=update.campaign.slug, _anchor=f"update-{update.id}")
        key = f"update-{update.id}"
        items.append(Item(text.subject, url, update.published_at, body=text.body, lang=text.lang, key=key))
    return items
