"""Public pages of the defenders' register: the list, a defender's case, a country."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template, request, url_for
from sqlalchemy import func, select

from campaign.defenders import messages, related
from campaign.defenders.forms import FollowForm
from campaign.defenders.labels import DEFENDER_STATUS
from campaign.defenders.models import DEFENDER_STATUSES, Defender, DefenderTranslation
from campaign.defenders.services import filtered, get_public_defender, public_campaigns, public_defenders
from campaign.extensions import db
from campaign.i18n import country_name, is_country
from campaign.page_cache import public_page

bp = Blueprint("defenders", __name__, url_prefix="/<lang>")

#: defenders on one page of the register
PAGE_SIZE = 24


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {"defender_status": DEFENDER_STATUS}


def _occupations(lang: str) -> list[str]:
    rows = db.session.execute(
        select(DefenderTranslation.occupation)
        .join(Defender)
        .where(
            Defender.is_listed,
            DefenderTranslation.lang == lang,
            DefenderTranslation.occupation != "",
        )
        .distinct()
    ).scalars()
    return sorted(rows, key=str.casefold)


def _countries() -> list[str]:
    return sorted(
        db.session.scalars(select(Defender.country).where(Defender.is_listed).distinct()),
        key=lambda code: country_name(code),
    )


def _page_url(filters: dict[str, str], number: int) -> str:
    values: dict[str, Any] = {key: value for key, value in filters.items() if value}
    return url_for("defenders.index", page=number, **values)


@bp.get("/defenders")
@public_page
def index() -> tuple[str, int]:
    country = request.args.get("country", "").strip().upper()[:2]
    status = request.args.get("status", "")
    occupation = request.args.get("occupation", "").strip()[:200]
    query = request.args.get("q", "").strip()[:200]
    errors = []
    if country and not is_country(country):
        errors.append("country")
        country = ""
    if status and status not in DEFENDER_STATUSES:
        errors.append("status")
        status = ""
    page = request.args.get("page", "1")
    page_number = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    found = filtered(country, status, occupation, query)
    total = db.session.scalar(select(func.count()).select_from(found.subquery())) or 0
    defenders = db.session.scalars(
        found.order_by(Defender.slug).offset((page_number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    pages = max(1, -(-total // PAGE_SIZE))
    filters = {"country": country, "status": status, "occupation": occupation, "q": query}
    return render_template(
        "defenders/index.html",
        defenders=defenders,
        total=total,
        page=page_number,
        pages=pages,
        filters=filters,
        page_url=lambda number: _page_url(filters, number),
        countries=_countries(),
        occupations=_occupations(g.lang),
        errors=errors,
    ), 400 if errors else 200


def render_defender(defender: Defender, follow_form: Any = None, status: int = 200) -> tuple[str, int]:
    campaigns = public_campaigns([defender.id])
    campaign_ids = [campaign.id for campaign in campaigns]
    text, is_fallback = defender.text(g.lang)
    return render_template(
        "defenders/show.html",
        defender=defender,
        text=text,
        is_fallback=is_fallback,
        campaigns=campaigns,
        letters=related.items("letters", campaign_ids, g.lang),
        updates=related.items("updates", campaign_ids, g.lang),
        follow_form=follow_form or FollowForm(formdata=None),
        messages=messages.on_page(defender.id),
    ), status


@bp.get("/defenders/<slug>")
@public_page
def show(slug: str) -> tuple[str, int]:
    return render_defender(get_public_defender(slug))


@bp.get("/countries/<cc>")
@public_page
def country(cc: str) -> str:
    code = cc.upper()
    if len(code) != 2 or not is_country(code):
        abort(404)
    defenders = db.session.scalars(
        public_defenders().where(Defender.country == code).order_by(Defender.slug)
    ).all()
    campaigns = public_campaigns([defender.id for defender in defenders])
    campaign_ids = [campaign.id for campaign in campaigns]
    return render_template(
        "defenders/country.html",
        code=code,
        defenders=defenders,
        campaigns=campaigns,
        letters=related.items("letters", campaign_ids, g.lang),
        updates=related.items("updates", campaign_ids, g.lang)[:10],
    )
