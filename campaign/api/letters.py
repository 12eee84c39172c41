"""The public letters API (DESIGN.md section 4): a blueprint of its own under /api/v1, with the
same cache headers as the campaigns API; ``create_app`` registers it."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, jsonify
from sqlalchemy import select

from campaign.api.views import _lang, cacheable
from campaign.extensions import db
from campaign.letters import evidence
from campaign.letters.models import Delivery, Letter
from campaign.letters.outcome_models import FollowUp
from campaign.letters.outcomes import public_outcome
from campaign.links import absolute_url

bp = Blueprint("api_letters", __name__, url_prefix="/api/v1")
bp.after_request(cacheable)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def _title(letter: Letter, lang: str) -> str:
    frozen = letter.frozen_text(lang)
    return frozen[0].title if frozen else letter.slug


@bp.get("/letters")
def letters() -> Response:
    lang = _lang()
    rows = db.session.scalars(select(Letter).where(Letter.is_public).order_by(Letter.opened_at.desc())).all()
    return jsonify(
        letters=[
            {
                "slug": letter.slug,
                "title": _title(letter, lang),
                "status": letter.status,
                "url": absolute_url("letters.public", lang=lang, slug=letter.slug),
            }
            for letter in rows
        ]
    )


@bp.get("/letters/<slug>")
def letter(slug: str) -> Response | tuple[Response, int]:
    lang = _lang()
    found = db.session.scalar(select(Letter).where(Letter.slug == slug, Letter.is_public))
    if found is None:
        return jsonify(error="not found", status=404), 404
    if found.is_private:  # under embargo: that it exists and is open for sign-on, nothing more
        return jsonify(
            slug=found.slug,
            title=_title(found, lang),
            status=found.status,
            embargoed=True,
            recipients=[],
            deliveries=[],
        )
    deliveries = db.session.scalars(
        select(Delivery).where(Delivery.letter_id == found.id).order_by(Delivery.id)
    ).all()
    follow_ups = {
        follow_up.delivery_id: follow_up
        for follow_up in db.session.scalars(
            select(FollowUp).where(FollowUp.delivery_id.in_([delivery.id for delivery in deliveries]))
        )
    }
    sealed = _evidence(found)
    return jsonify(
        slug=found.slug,
        title=_title(found, lang),
        status=found.status,
        embargoed=False,
        recipients=[
            {
                "name": recipient.name_in(lang),
                "title": recipient.title(lang),
                "country": recipient.country,
                "lang": recipient.lang,
            }
            for recipient in found.recipients
        ],
        signatories=[
            {
                "organisation": sign_on.organisation.name(lang),
                "representative": sign_on.representative,
                "signed_at": _iso(sign_on.signed_at),
            }
            for sign_on in found.signatories()
        ],
        deliveries=[
            {
                "recipient": delivery.recipient.name_in(lang),
                "status": delivery.status,
                "sent_at": _iso(delivery.sent_at),
                "channel": delivery.channel,
                "lang": delivery.lang,
                "outcome": public_outcome(follow_ups[delivery.id]) if delivery.id in follow_ups else None,
            }
            for delivery in deliveries
        ],
        **({"evidence": sealed} if sealed else {}),  # only once delivered and tied to a campaign
    )


def _evidence(letter: Letter) -> dict[str, object] | None:
    """The Merkle root sealed at delivery over the tied campaign's confirmed signatures."""
    found = evidence.for_letter(letter.id)
    if found is None or not found.is_done:
        return None
    return {
        "merkle_root": found.root,
        "signature_count": found.leaf_count,
        "computed_at": _iso(found.finished_at),
    }
