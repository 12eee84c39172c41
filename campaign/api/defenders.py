"""The defenders' register in JSON: ``/api/v1/defenders`` (filters as the page's) and one defender.

A blueprint of its own under /api/v1, with the same cache headers as the campaigns API; ``create_app``
registers it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from campaign.api.views import _lang, cacheable
from campaign.defenders.models import DEFENDER_STATUSES, Defender
from campaign.defenders.services import filtered, public_campaigns, public_defenders
from campaign.extensions import db
from campaign.links import absolute_url

bp = Blueprint("api_defenders", __name__, url_prefix="/api/v1")
bp.after_request(cacheable)


def _summary(defender: Defender, lang: str) -> dict[str, object]:
    verified = defender.status_verified_on
    return {
        "slug": defender.slug,
        "name": defender.text(lang)[0].name,
        "country": defender.country,
        "status": defender.status,
        "status_verified_on": verified.isoformat() if verified else None,
        "url": absolute_url("defenders.show", lang=lang, slug=defender.slug),
    }


@bp.get("/defenders")
def defenders() -> Response | tuple[Response, int]:
    country = request.args.get("country", "").strip().upper()
    status = request.args.get("status", "")
    if status and status not in DEFENDER_STATUSES:
        return jsonify(error="unknown status", status=400), 400
    query = request.args.get("q", "")[:200]
    lang = _lang()
    found = db.session.scalars(filtered(country[:2], status, "", query).order_by(Defender.slug)).all()
    return jsonify(defenders=[_summary(defender, lang) for defender in found])


@bp.get("/defenders/<slug>")
def defender(slug: str) -> Response | tuple[Response, int]:
    found = db.session.scalar(public_defenders().where(Defender.slug == slug[:80]))
    if found is None:
        return jsonify(error="not found", status=404), 404
    lang = _lang()
    text = found.text(lang)[0]
    return jsonify(
        _summary(found, lang)
        | {
            "occupation": text.occupation,
            "status_history": [
                {"status": fact.status, "date": fact.when.iso() if fact.when else None}
                for fact in found.status_history
            ],
            "campaigns": [campaign.slug for campaign in public_campaigns([found.id])],
        }
    )
