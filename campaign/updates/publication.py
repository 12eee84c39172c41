"""Publishing an update on the campaign's and the defender's pages (and in their feeds).

Publishing is the campaigner's choice, apart from mailing: an update may be mailed only,
published only, or both. Its public text is its text in each language, as the email's is.
The publish and unpublish buttons post to this module's own blueprint, ``update_publication``,
under the update pages' prefix; ``create_app`` registers it and :func:`public_updates`.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, redirect, url_for
from flask_mail import Message
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.defenders.emails import follower_message
from campaign.defenders.follow import notify_followers
from campaign.defenders.models import Defender, Follower
from campaign.defenders.related import Item
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.models_base import utcnow
from campaign.outbox import Claimed, MailKind
from campaign.text import render_markdown
from campaign.updates.forms import ConfirmForm
from campaign.updates.models import Update
from campaign.updates.personal import fallback_name, personalised
from campaign.updates.views import _campaign, _update

bp = Blueprint("update_publication", __name__, url_prefix="/<lang>/dashboard/campaigns/<slug>/updates")


def publish(update: Update) -> bool:
    """Make it public; False if it already was. Services flush only."""
    if update.published_at is not None:
        return False
    update.published_at = utcnow()
    db.session.flush()
    if update.campaign.defender_id is not None:
        notify_followers(update.campaign.defender_id, "follow_update", update.id)
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
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done=done), 303)


@bp.post("/<int:update_id>/unpublish")
@staff_required()
def unpublish_view(slug: str, update_id: int) -> Response:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    if not ConfirmForm().validate():
        abort(400)
    unpublish(update)
    db.session.commit()
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done="unpublished"), 303)


def published_updates(campaign_ids: Sequence[int], limit: int = 50) -> list[Update]:
    return list(
        db.session.scalars(
            select(Update)
            .where(Update.campaign_id.in_(campaign_ids), Update.published_at.is_not(None))
            .order_by(Update.published_at.desc())
            .limit(limit)
        )
    )


def public_text(subject: str, body: str, lang: str) -> tuple[str, str]:
    """An update's text for everyone (its page, feeds, followers): the neutral word for ``{name}``."""
    fallback = fallback_name(lang)
    return personalised(subject, fallback), personalised(body, fallback)


def public_updates(campaign_ids: Sequence[int], lang: str) -> list[Item]:
    items = []
    for update in published_updates(campaign_ids):
        text, _ = update.text(lang)
        subject, body = public_text(text.subject, text.body, text.lang)
        url = url_for("campaigns.show", lang=lang, slug=update.campaign.slug, _anchor=f"update-{update.id}")
        key = f"update-{update.id}"
        items.append(Item(subject, url, update.published_at, body=body, lang=text.lang, key=key))
    return items


def update_for_follower(row: Claimed) -> Message | None:
    """A published update, to someone who follows its campaign's defender (not a signer: they
    asked for news of the person, and get the public text, in their language if written)."""
    follower = db.session.get(Follower, row.payload["follower_id"])
    update = db.session.get(Update, row.payload["event_id"])
    if follower is None or follower.confirmed_at is None or update is None or update.published_at is None:
        return None
    defender = db.session.get(Defender, row.payload["defender_id"])
    if defender is None:
        return None
    text, _ = update.text(row.lang)
    subject, body = public_text(text.subject, text.body, text.lang)
    anchor = f"update-{update.id}"
    return follower_message(
        follower,
        subject,
        "follow_update",
        subject=subject,
        body=body,
        body_html=render_markdown(body),
        name=defender.text(row.lang)[0].name,
        page_url=absolute_url("campaigns.show", lang=row.lang, slug=update.campaign.slug) + f"#{anchor}",
    )


#: how each kind of mail this module writes is built (create_app registers them with the outbox)
BUILDERS = {
    "follow_update": MailKind(update_for_follower),
}
