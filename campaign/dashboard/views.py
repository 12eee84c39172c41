"""The campaigners' dashboard: the list of campaigns, a campaign's figures, and its CSV exports.

Staff only. Every state change is a POST with a CSRF token; exports leave the request as a job.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign import csvfile
from campaign.accounts.access import staff_required
from campaign.accounts.forms import ActionForm
from campaign.accounts.models import Organisation
from campaign.audit import log as audit_log
from campaign.campaigns.models import Campaign
from campaign.campaigns.services import get_campaign
from campaign.dashboard import exports, figures, labels
from campaign.dashboard.models import STAFF, Export
from campaign.extensions import db
from campaign.i18n import current_lang
from campaign.links import absolute_url
from campaign.models_base import utcnow
from campaign.moderation import trending
from campaign.moderation.models import Invalidation
from campaign.moderation.services import audit
from campaign.signatures import counts

bp = Blueprint("dashboard", __name__, url_prefix="/<lang>/dashboard")

bp.app_context_processor(labels.context)

#: how many audit entries and invalidations a campaign's page lists
RECENT = 10
#: how many exports the exports page lists
RECENT_EXPORTS = 50


@bp.get("/")
@staff_required()
def index() -> tuple[str, int]:
    """Every campaign but the archived ones (``?archived=1``: the archived ones only), each with
    its total and the overview: today, the last 7 days and a period (``from``/``to``, UTC days,
    by default the last 30) with its confirmation rate. A bad period: the page, the default
    period's figures and a message, with 400."""
    show_archived = request.args.get("archived") == "1"
    campaigns = db.session.scalars(
        select(Campaign)
        .where(Campaign.is_archived if show_archived else ~Campaign.is_archived)
        .order_by(Campaign.created_at.desc())
    ).all()
    today = utcnow().date()
    default = (today - timedelta(days=figures.OVERVIEW_DEFAULT_DAYS - 1), today)
    period, error = overview_period(request.args.get("from"), request.args.get("to"), default)
    rows = figures.overview([c.id for c in campaigns], *period)
    return render_template(
        "dashboard/index.html",
        campaigns=campaigns,
        counts=counts.totals([c.id for c in campaigns]),
        show_archived=show_archived,
        overview=rows,
        overview_total=sum(rows.values(), figures.OverviewRow()),
        period=period,
        period_asked=(
            request.args.get("from", period[0].isoformat()),
            request.args.get("to", period[1].isoformat()),
        ),
        period_error=error,
        week_days=figures.WEEK_DAYS,
    ), (400 if error else 200)


#: the earliest and latest day the overview's period may name
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(9999, 12, 30)


def overview_period(
    asked_from: str | None, asked_to: str | None, default: tuple[date, date]
) -> tuple[tuple[date, date], str | None]:
    """The period the overview covers, and the message when the one asked for is not a period
    (then the default one)."""
    try:
        first = date.fromisoformat(asked_from) if asked_from else default[0]
        last = date.fromisoformat(asked_to) if asked_to else default[1]
    except ValueError:
        return default, _("Please give the dates as calendar days (year-month-day).")
    if not (EARLIEST_DAY <= first <= LATEST_DAY and EARLIEST_DAY <= last <= LATEST_DAY):
        return default, _("Please give the dates as calendar days (year-month-day).")
    if first > last:
        return default, _("The period's first day must not come after its last day.")
    return (first, last), None


def referral_links(campaign: Campaign, lang: str) -> list[tuple[Organisation, str]]:
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.slug)).all()
    return [
        (organisation, absolute_url("campaigns.show", lang=lang, slug=campaign.slug, ref=organisation.slug))
        for organisation in organisations
    ]


@bp.get("/campaigns/<slug>")
@staff_required()
def campaign(slug: str) -> str:
    found = get_campaign(slug)
    lang = found.default_lang
    found_figures = figures.cached(found)
    names = audit_log.Names(current_lang())
    return render_template(
        "dashboard/campaign.html",
        campaign=found,
        archive_form=ActionForm(),
        figures=found_figures,
        charts=labels.charts(found_figures),
        flags=trending.recent_flags(found.id),
        referral_links=referral_links(found, lang),
        invalidations=db.session.scalars(
            select(Invalidation)
            .where(Invalidation.campaign_id == found.id)
            .order_by(Invalidation.id.desc())
            .limit(RECENT)
        ).all(),
        audit_rows=[
            names.row(entry) for entry in audit_log.page(audit_log.AuditQuery(campaign_id=found.id))[:RECENT]
        ],
    )


#: the figures a campaign's page offers as CSV: file part -> (header, rows of the figures)
FIGURE_FILES = ("daily", "hourly", "countries", "languages", "partners")


@bp.get("/campaigns/<slug>/figures/<kind>.csv")
@staff_required()
def figures_csv(slug: str, kind: str) -> Response:
    """The numbers behind the charts and tables, exact as of now (aggregates only: no person)."""
    if kind not in FIGURE_FILES:
        abort(404)
    found = get_campaign(slug)
    exact = figures.for_campaign(found)
    names = partner_names(current_lang())
    header: tuple[str, ...]
    rows: list[tuple[object, ...]]
    if kind == "daily":
        header, rows = (
            ("day_utc", "confirmed_signatures"),
            [(d.date().isoformat(), n) for d, n in exact.daily],
        )
    elif kind == "hourly":
        header = ("hour_utc", "confirmed_signatures")
        rows = [(h.strftime("%Y-%m-%d %H:00"), n) for h, n in exact.hourly]
    elif kind == "countries":
        header, rows = ("country", "confirmed_signatures"), list(exact.by_country)
    elif kind == "languages":
        header, rows = ("language", "confirmed_signatures"), list(exact.by_language)
    else:
        header = ("partner", "partner_name", "confirmed_signatures")
        rows = [
            (source or "", names.get(source or "", "") if source else "", n) for source, n in exact.by_source
        ]
    return csvfile.download(f"{found.slug}-{kind}-{utcnow():%Y-%m-%d}.csv", header, rows)


@bp.post("/campaigns/<slug>/figures/refresh")
@staff_required()
def refresh_figures(slug: str) -> Response:
    """Drop the cached figures, so the page computes them afresh."""
    found = get_campaign(slug)
    figures.forget(found.id)
    return redirect(url_for("dashboard.campaign", slug=found.slug), 303)


def partner_names(lang: str) -> dict[str, str]:
    """Each partner's referral code and its name, so breakdowns show names rather than slugs."""
    return {org.slug: org.name(lang) for org in db.session.scalars(select(Organisation))}


@bp.post("/campaigns/<slug>/exports")
@staff_required()
def request_export(slug: str) -> Response:
    found = get_campaign(slug)
    export = exports.request_export(found.id, current_user.id)
    audit("export.requested", current_user.id, found.id, {"export_id": export.id, "kind": STAFF})
    db.session.commit()
    return redirect(url_for("dashboard.export", export_id=export.id), 303)


@bp.get("/exports/")
@staff_required()
def exports_index() -> str:
    """The latest staff exports across campaigns, with their state and a way to each file."""
    found = db.session.scalars(
        select(Export).where(Export.kind == STAFF).order_by(Export.id.desc()).limit(RECENT_EXPORTS)
    ).all()
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())).all()
    return render_template(
        "dashboard/exports.html",
        exports=found,
        campaigns=campaigns,
        by_id={campaign.id: campaign for campaign in campaigns},
    )


def _staff_export(export_id: int) -> Export:
    export = db.session.get(Export, export_id)
    if export is None or export.kind != STAFF:
        abort(404)
    return export


@bp.get("/exports/<int:export_id>")
@staff_required()
def export(export_id: int) -> str:
    found = _staff_export(export_id)
    return render_template(
        "dashboard/export.html",
        export=found,
        campaign=db.session.get(Campaign, found.campaign_id),
        download_url=url_for("dashboard.download", token=exports.download_token(found))
        if found.status == "done" and not exports.is_expired(found)
        else None,
        max_age_minutes=current_app.config["EXPORT_LINK_MAX_AGE"] // 60,
    )


@bp.post("/exports/<int:export_id>/cancel")
@staff_required()
def cancel_export(export_id: int) -> Response:
    """Cancel an export still waiting for a worker (one that started finishes: it only reads)."""
    found = _staff_export(export_id)
    if exports.cancel(found):
        audit("export.cancelled", current_user.id, found.campaign_id, {"export_id": found.id})
    db.session.commit()
    return redirect(url_for("dashboard.export", export_id=found.id), 303)


@bp.get("/exports/download/<token>")
@staff_required()
def download(token: str) -> Response:
    found = exports.export_for_token(token)
    if found is None or found.kind != STAFF:
        abort(404)
    return send_export(found)


def send_export(export: Export) -> Response:
    campaign = db.session.get(Campaign, export.campaign_id)
    name = f"{campaign.slug if campaign else 'campaign'}-signatures-{export.created_at:%Y-%m-%d}.csv"
    response = send_file(
        exports.export_dir() / str(export.file_name),
        mimetype="text/csv",
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
