"""The campaigners' dashboard: the list of campaigns, a campaign's figures, and its CSV exports.

Staff only. Every state change is a POST with a CSRF token; exports leave the request as a job.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.accounts.models import Organisation
from campaign.campaigns.models import Campaign
from campaign.campaigns.services import get_campaign
from campaign.dashboard import exports, figures, labels
from campaign.dashboard.models import STAFF, Export
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.moderation import trending
from campaign.moderation.models import AuditEntry, Invalidation
from campaign.moderation.services import audit
from campaign.signatures import counts

bp = Blueprint("dashboard", __name__, url_prefix="/<lang>/dashboard")

bp.app_context_processor(labels.context)

#: how many audit entries and invalidations a campaign's page lists
RECENT = 10


@bp.get("/")
@staff_required()
def index() -> str:
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())).all()
    return render_template(
        "dashboard/index.html", campaigns=campaigns, counts=counts.totals([c.id for c in campaigns])
    )


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
    return render_template(
        "dashboard/campaign.html",
        campaign=found,
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
        audit_entries=db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.campaign_id == found.id)
            .order_by(AuditEntry.id.desc())
            .limit(RECENT)
        ).all(),
    )


@bp.post("/campaigns/<slug>/exports")
@staff_required()
def request_export(slug: str) -> Response:
    found = get_campaign(slug)
    export = exports.request_export(found.id, current_user.id)
    audit("export.requested", current_user.id, found.id, {"export_id": export.id, "kind": STAFF})
    db.session.commit()
    return redirect(url_for("dashboard.export", export_id=export.id), 303)


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
