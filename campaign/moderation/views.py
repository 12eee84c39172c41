"""Moderation pages: preview a filter's count, start a bulk invalidation, follow it, cancel it."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.campaigns.models import Campaign
from campaign.campaigns.services import get_campaign
from campaign.extensions import db
from campaign.moderation import services
from campaign.moderation.filters import SignatureFilter
from campaign.moderation.forms import FilterForm
from campaign.moderation.models import Invalidation

bp = Blueprint("moderation", __name__, url_prefix="/<lang>/dashboard")


@bp.get("/campaigns/<slug>/moderation")
@staff_required()
def preview(slug: str) -> tuple[str, int]:
    """The filter form; with a filter given, how many signatures it selects and a button to go on."""
    campaign = get_campaign(slug)
    form = FilterForm(request.args, meta={"csrf": False})
    submitted = any(request.args.get(name) for name in form.data)
    count = form.to_filter(campaign.id).count() if submitted and form.validate() else None
    status = 422 if submitted and count is None else 200
    return render_template("moderation/preview.html", campaign=campaign, form=form, count=count), status


@bp.post("/campaigns/<slug>/moderation")
@staff_required()
def start(slug: str) -> Response | tuple[str, int]:
    campaign = get_campaign(slug)
    form = FilterForm()
    if not form.validate():
        return render_template("moderation/preview.html", campaign=campaign, form=form, count=None), 422
    invalidation = services.start_invalidation(form.to_filter(campaign.id), current_user.id)
    db.session.commit()
    return redirect(url_for("moderation.progress", invalidation_id=invalidation.id), 303)


def _invalidation(invalidation_id: int) -> Invalidation:
    invalidation = db.session.get(Invalidation, invalidation_id)
    if invalidation is None:
        abort(404)
    return invalidation


@bp.get("/invalidations/<int:invalidation_id>")
@staff_required()
def progress(invalidation_id: int) -> str:
    invalidation = _invalidation(invalidation_id)
    return render_template(
        "moderation/progress.html",
        invalidation=invalidation,
        campaign=db.session.get(Campaign, invalidation.campaign_id),
        filter=SignatureFilter.from_json(invalidation.filter),
    )


@bp.post("/invalidations/<int:invalidation_id>/cancel")
@staff_required()
def cancel(invalidation_id: int) -> Response:
    invalidation = _invalidation(invalidation_id)
    services.cancel(invalidation, current_user.id)
    db.session.commit()
    return redirect(url_for("moderation.progress", invalidation_id=invalidation.id), 303)
