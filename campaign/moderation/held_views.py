"""The held-for-review page: held signatures by campaign and by address, released or
invalidated in bulk by staff (each decision in the audit log)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.campaigns.services import get_campaign
from campaign.extensions import db
from campaign.moderation import held

bp = Blueprint("held", __name__, url_prefix="/<lang>/dashboard/held")

IP_HASH_LENGTH = 32


@bp.get("/")
@staff_required()
def index() -> str:
    slug = request.args.get("campaign")
    campaign = get_campaign(slug) if slug else None
    return render_template(
        "moderation/held.html",
        campaign=campaign,
        campaigns=held.by_campaign(),
        groups=held.by_address(campaign.id if campaign else None),
        done=request.args.get("done") if request.args.get("done") in ("released", "invalidated") else None,
        affected=request.args.get("n", type=int),
    )


@bp.post("/<action>")
@staff_required()
def decide(action: str) -> Response:
    if action not in ("release", "invalidate"):
        abort(404)
    campaign = get_campaign(request.form.get("campaign", ""))
    ip_hash = request.form.get("ip_hash", "").strip().lower() or None
    if ip_hash is not None and (len(ip_hash) != IP_HASH_LENGTH or not ip_hash.isalnum()):
        abort(400)
    decide_on = held.release if action == "release" else held.invalidate
    affected = decide_on(campaign.id, ip_hash, current_user.id)
    db.session.commit()
    held.recount(campaign.id)
    back = request.form.get("back") == "campaign"
    return redirect(
        url_for(
            "held.index",
            campaign=campaign.slug if back else None,
            done="released" if action == "release" else "invalidated",
            n=affected,
        ),
        303,
    )
