"""The public, read-only JSON API (DESIGN.md section 4): cacheable by any CDN."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select

from campaign.api import openapi
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.paper import services as paper
from campaign.signatures import counts

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: a count may be this many seconds stale; a CDN may serve it stale while refetching
CACHE_CONTROL = "public, max-age=5, stale-while-revalidate=30"


def _lang() -> str:
    lang = request.args.get("lang", "")
    return lang if lang in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.after_request
def cacheable(response: Response) -> Response:
    if response.status_code == 200:
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.add_etag()  # a poller that has the latest count gets a 304 of no body
        response.make_conditional(request)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept-Encoding")
    return response


def _public_campaign(slug: str) -> Campaign | None:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug, Campaign.is_public))


@bp.get("/campaigns")
def campaigns() -> Response:
    lang = _lang()
    rows = db.session.scalars(
        select(Campaign).where(Campaign.is_public).order_by(Campaign.created_at.desc())
    ).all()
    totals = counts.totals([campaign.id for campaign in rows])
    return jsonify(
        campaigns=[
            {
                "slug": campaign.slug,
                "title": campaign.text(lang)[0].title,
                "signature_count": totals[campaign.id],
                "goal": campaign.goal,
                "url": absolute_url("campaigns.show", lang=lang, slug=campaign.slug),
            }
            for campaign in rows
        ]
    )


@bp.get("/campaigns/<slug>")
def campaign(slug: str) -> Response | tuple[Response, int]:
    found = _public_campaign(slug)
    if found is None:
        return jsonify(error="not found", status=404), 404
    by_country = counts.by_country(found.id)
    return jsonify(
        slug=found.slug,
        title=found.text(_lang())[0].title,
        status=found.status,
        goal=found.goal,
        signature_count=sum(by_country.values()),
        offline_signature_count=paper.offline_count(found.id),
        signatures_by_country=counts.group_small_countries(
            by_country, current_app.config["COUNTRY_COUNT_MIN"]
        ),
        held_for_review=counts.held(found.id),
        updated_at=found.updated_at.isoformat() + "Z",
    )


@bp.get("/openapi.json")
def openapi_document() -> Response:
    served = {rule.rule for rule in current_app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    return jsonify(openapi.document(served, current_app.config["BASE_URL"]))
