"""A partner organisation's own slice: its referral links, the signatures that came through
them, and an export of those signers who agreed to hear from it.

Everything is scoped by the organisation in the URL, and the current user must belong to it;
anything else answers 404 (``require_org_role``), so one partner never learns of another's data.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import require_org_role
from campaign.accounts.models import Organisation
from campaign.campaigns.models import Campaign
from campaign.dashboard import exports, figures, labels
from campaign.dashboard.models import PARTNER, Export
from campaign.dashboard.views import send_export
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.moderation.services import audit

bp = Blueprint("partner", __name__, url_prefix="/<lang>/partner")

#: organisation roles that may download their signers' addresses
EXPORT_ROLES = ("owner", "editor")


def _organisation(org: str, *roles: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == org))
    if organisation is None:
        abort(404)
    require_org_role(organisation.id, *roles)
    return organisation


def _public_campaign(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug, Campaign.is_public))
    if campaign is None:
        abort(404)
    return campaign


@bp.get("/")
@login_required
def index() -> str:
    campaigns = db.session.scalars(
        select(Campaign).where(Campaign.is_public).order_by(Campaign.created_at.desc())
    ).all()
    return render_template(
        "partner/index.html",
        memberships=current_user.memberships,
        campaigns=campaigns,
    )


@bp.get("/<org>/campaigns/<slug>")
@login_required
def campaign(org: str, slug: str) -> str:
    organisation = _organisation(org)
    found = _public_campaign(slug)
    slice_ = figures.cached(found, organisation.slug)
    return render_template(
        "partner/campaign.html",
        organisation=organisation,
        campaign=found,
        figures=slice_,
        charts=labels.charts(slice_),
        referral_url=absolute_url(
            "campaigns.show", lang=found.default_lang, slug=found.slug, ref=organisation.slug
        ),
        may_export=current_user.role_in(organisation.id) in EXPORT_ROLES,
    )


@bp.post("/<org>/campaigns/<slug>/exports")
@login_required
def request_export(org: str, slug: str) -> Response:
    organisation = _organisation(org, *EXPORT_ROLES)
    found = _public_campaign(slug)
    export = exports.request_export(found.id, current_user.id, organisation.id, organisation.slug)
    audit(
        "export.requested",
        current_user.id,
        found.id,
        {"export_id": export.id, "kind": PARTNER, "organisation_id": organisation.id},
    )
    db.session.commit()
    return redirect(url_for("partner.export", org=org, export_id=export.id), 303)


def _own_export(organisation: Organisation, export_id: int) -> Export:
    export = db.session.get(Export, export_id)
    if export is None or export.kind != PARTNER or export.organisation_id != organisation.id:
        abort(404)
    return export


@bp.get("/<org>/exports/<int:export_id>")
@login_required
def export(org: str, export_id: int) -> str:
    organisation = _organisation(org, *EXPORT_ROLES)
    found = _own_export(organisation, export_id)
    ready = found.status == "done" and not exports.is_expired(found)
    return render_template(
        "dashboard/export.html",
        export=found,
        campaign=db.session.get(Campaign, found.campaign_id),
        download_url=url_for("partner.download", org=org, token=exports.download_token(found))
        if ready
        else None,
        max_age_minutes=current_app.config["EXPORT_LINK_MAX_AGE"] // 60,
    )


@bp.get("/<org>/exports/download/<token>")
@login_required
def download(org: str, token: str) -> Response:
    organisation = _organisation(org, *EXPORT_ROLES)
    found = exports.export_for_token(token)
    if found is None or found.kind != PARTNER or found.organisation_id != organisation.id:
        abort(404)
    return send_export(found)
