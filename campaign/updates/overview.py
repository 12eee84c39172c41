"""Every campaign's updates on one page, so the feature is reached from the staff navigation."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from campaign.accounts.access import staff_required
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.updates.models import Update
from campaign.updates.views import UPDATE_STATUS

bp = Blueprint("updates_overview", __name__, url_prefix="/<lang>/dashboard/updates")


@bp.get("/")
@staff_required()
def index() -> str:
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())).all()
    updates = db.session.scalars(select(Update).order_by(Update.created_at.desc())).all()
    by_campaign: dict[int, list[Update]] = {}
    for update in updates:
        by_campaign.setdefault(update.campaign_id, []).append(update)
    return render_template(
        "updates/dashboard/overview.html",
        campaigns=campaigns,
        by_campaign=by_campaign,
        update_status=UPDATE_STATUS,
    )
