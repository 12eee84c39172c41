"""Public pages: the list of live campaigns and a defender's campaign page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, select
from werkzeug.wrappers import Response as WerkzeugResponse

from campaign.accounts.models import Organisation
from campaign.campaigns.labels import CAMPAIGN_STATUS
from campaign.campaigns.models import Campaign, CampaignStatus
from campaign.defenders import related
from campaign.errors import gone
from campaign.extensions import csrf, db
from campaign.i18n import best_language
from campaign.links import absolute_url
from campaign.page_cache import public_page
from campaign.paper import services as paper
from campaign.request_guards import refuses_control_characters
from campaign.signatures import counts
from campaign.signatures import views as signing
from campaign.signatures.forms import SignForm
from campaign.signatures.models import Signature
from campaign.source_versions import is_outdated
from campaign.text import render_markdown

bp = Blueprint("campaigns", __name__)


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {
        "campaign_status": CAMPAIGN_STATUS,
        "markdown": render_markdown,
    }


#: how many of the latest signers who agreed to be shown are listed
RECENT_SIGNERS = 10


@bp.get("/")
def root() -> WerkzeugResponse:
    return redirect(url_for("campaigns.home", lang=best_language()))


@bp.get("/<lang>/")
@public_page
def home() -> str:
    live = db.session.scalars(
        select(Campaign)
        .where(Campaign.is_public, Campaign.status == CampaignStatus.LIVE)
        .order_by(Campaign.created_at.desc())
    ).all()
    return render_template("campaigns/home.html", campaigns=live, counts=counts.totals([c.id for c in live]))


#: the archive's tabs: which campaigns each lists
ARCHIVE = (CampaignStatus.LIVE, CampaignStatus.WON, CampaignStatus.CLOSED)


@bp.get("/<lang>/campaigns")
@public_page
def index() -> tuple[str, int]:
    """Every public campaign by status: live ones, and the archive of won and closed ones."""
    status = request.args.get("status", CampaignStatus.LIVE)
    code = 200 if status in ARCHIVE else 400
    if code != 200:
        status = CampaignStatus.LIVE
    found = db.session.scalars(
        select(Campaign)
        .where(Campaign.is_public, Campaign.status == status)
        .order_by(Campaign.created_at.desc())
    ).all()
    return render_template(
        "campaigns/index.html", campaigns=found, counts=counts.totals([c.id for c in found]), status=status
    ), code


def get_public_campaign(slug: str) -> Campaign:
    """The public campaign, or a 404 (unknown, a draft) or a 410 (archived: every page of it)."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None or campaign.status == CampaignStatus.DRAFT:
        abort(404)
    refuse_if_archived(campaign)
    return campaign


def refuse_if_archived(campaign: Campaign) -> None:
    """An archived campaign's pages, signing and confirmations answer 410 with this message."""
    if campaign.is_archived:
        gone(_("This campaign has been archived: it is no longer published and takes no signatures."))


def _recent_public(query: Any, campaign_id: int) -> Any:
    """Read off the end of ``ix_signature_recent_signers``: its cost does not grow with the
    campaign's pending signatures."""
    return (
        query.where(
            Signature.campaign_id == campaign_id,
            Signature.is_counted,
            Signature.is_name_public.is_(True),
        )
        .order_by(Signature.confirmed_at.desc())
        .limit(RECENT_SIGNERS)
    )


def recent_public_signers_query(campaign_id: int) -> Select[str, str, datetime | None]:
    return _recent_public(select(Signature.name, Signature.country, Signature.confirmed_at), campaign_id)


def recent_public_signatures(campaign_id: int) -> list[Signature]:
    """The signatures behind the public list of recent signers, for staff to hide one."""
    return list(db.session.scalars(_recent_public(select(Signature), campaign_id)))


def recent_public_signers(campaign_id: int) -> list[tuple[str, str, datetime | None]]:
    # rows are tuples at run time; SQLAlchemy types them as Row, not as the tuple they are
    return db.session.execute(recent_public_signers_query(campaign_id)).all()  # type: ignore[return-value]


@dataclass(frozen=True)
class CountryShare:
    """One row of the campaign page's country breakdown."""

    #: an ISO code, or "" for the countries folded into "other"
    code: str
    count: int
    #: of all signatures counted
    share: float
    #: of the largest row, for the bar's length
    relative: float


def country_breakdown(campaign_id: int) -> list[CountryShare]:
    """The counted signatures by country, largest first, small countries folded into "other"
    last (COUNTRY_COUNT_MIN, as the API does); empty while no country is large enough to name."""
    grouped = counts.group_small_countries(
        counts.by_country(campaign_id), current_app.config["COUNTRY_COUNT_MIN"]
    )
    other = grouped.pop("other")
    if not grouped:
        return []
    total = sum(grouped.values()) + other
    rows = sorted(grouped.items(), key=lambda row: (-row[1], row[0])) + ([("", other)] if other else [])
    peak = max(count for _, count in rows)
    return [CountryShare(code, count, count / total, count / peak) for code, count in rows]


def render_campaign_page(
    campaign: Campaign, form: SignForm, status: int = 200, notice: str = "", is_preview: bool = False
) -> tuple[str, int]:
    text, is_fallback = campaign.text(g.lang)
    ref = request.values.get("ref", "")[:80]
    defender_text = campaign.defender.text(g.lang) if campaign.defender else (None, False)
    keep_ref = {"ref": ref} if ref else {}
    return (
        render_template(
            "campaigns/campaign.html",
            campaign=campaign,
            text=text,
            is_fallback=is_fallback,
            is_outdated=not is_fallback and is_outdated(campaign.translations, g.lang, campaign.default_lang),
            defender=campaign.defender,
            defender_text=defender_text[0],
            count=counts.total(campaign.id),
            offline_count=paper.offline_count(campaign.id),
            recent_signers=recent_public_signers(campaign.id),
            countries=country_breakdown(campaign.id),
            country_minimum=current_app.config["COUNTRY_COUNT_MIN"],
            updates=related.items("updates", [campaign.id], g.lang),
            letters=related.items("letters", [campaign.id], g.lang),
            page_url=absolute_url("campaigns.show", lang=g.lang, slug=campaign.slug),
            share_url=absolute_url("campaigns.show", lang=g.lang, slug=campaign.slug, **keep_ref),
            form=form,
            ref=ref,
            partner=db.session.scalar(select(Organisation).where(Organisation.slug == ref)) if ref else None,
            notice=notice,
            is_preview=is_preview,
        ),
        status,
    )


@bp.route("/<lang>/campaigns/<slug>", methods=["GET", "POST"])
@public_page  # its GET: the POST is the signing
@refuses_control_characters  # the signing form says it itself
@csrf.exempt  # the signing form is a public form, with a token of its own: see campaign.public_forms
def show(slug: str) -> WerkzeugResponse | tuple[str, int]:
    """The campaign page; its signing form posts back to it."""
    if request.method == "POST":
        return signing.sign(slug)
    draft = db.session.scalar(select(Campaign).where(Campaign.slug == slug, ~Campaign.is_public))
    if draft is not None and current_user.is_authenticated and current_user.is_staff:
        return render_campaign_page(draft, SignForm(), is_preview=True)  # exactly as the public will see it
    campaign = get_public_campaign(slug)
    return render_campaign_page(campaign, SignForm())
