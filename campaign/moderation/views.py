"""Moderation pages: preview a filter's count, start a bulk invalidation, follow it, cancel it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.campaigns.models import Campaign
from campaign.campaigns.services import get_campaign
from campaign.campaigns.views import recent_public_signatures
from campaign.defenders import messages
from campaign.extensions import db
from campaign.moderation import services, trending
from campaign.moderation.filters import SignatureFilter
from campaign.moderation.forms import FilterForm, FindForm
from campaign.moderation.models import Invalidation
from campaign.signatures import counts
from campaign.signatures.models import Signature

bp = Blueprint("moderation", __name__, url_prefix="/<lang>/dashboard")

#: how many invalidations the overview lists
RECENT = 20


@bp.get("/moderation")
@staff_required()
def index() -> str:
    """Every campaign's way into moderation, what is signing unusually fast, the latest invalidations."""
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())).all()
    invalidations = db.session.scalars(
        select(Invalidation).order_by(Invalidation.id.desc()).limit(RECENT)
    ).all()
    return render_template(
        "moderation/index.html",
        campaigns=campaigns,
        flags={campaign.id: trending.recent_flags(campaign.id) for campaign in campaigns},
        invalidations=invalidations,
        messages_waiting=messages.waiting(),
        titles={campaign.id: campaign.text(campaign.default_lang)[0].title for campaign in campaigns},
    )


@bp.get("/campaigns/<slug>/moderation")
@staff_required()
def preview(slug: str) -> tuple[str, int]:
    """The filter form; with a filter given, how many signatures it selects and a button to go on."""
    campaign = get_campaign(slug)
    form = FilterForm(request.args, meta={"csrf": False})
    submitted = any(request.args.get(name) for name in form.data)
    valid = submitted and form.validate()
    chosen = form.to_filter(campaign.id) if valid else None
    count = chosen.count() if chosen else None
    status = 422 if submitted and count is None else 200
    return _preview(campaign, form, count, chosen.sample() if chosen and count else [], status)


def _preview(
    campaign: Campaign,
    form: FilterForm,
    count: int | None,
    sample: list[Any],
    status: int = 200,
    find_form: FindForm | None = None,
    found: Signature | None = None,
    searched: bool = False,
) -> tuple[str, int]:
    return (
        render_template(
            "moderation/preview.html",
            campaign=campaign,
            form=form,
            count=count,
            sample=sample,
            undoable=services.undoable(campaign.id),
            find_form=find_form or FindForm(formdata=None),
            found=found,
            searched=searched,
            public_signers=recent_public_signatures(campaign.id),
            done=request.args.get("done") if request.args.get("done") in services.ONE_ACTIONS else None,
        ),
        status,
    )


@bp.post("/campaigns/<slug>/moderation")
@staff_required()
def start(slug: str) -> Response | tuple[str, int]:
    campaign = get_campaign(slug)
    form = FilterForm()
    if not form.validate():
        return _preview(campaign, form, None, [], 422)
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
        undo=services.undo_of(invalidation),
    )


@bp.post("/invalidations/<int:invalidation_id>/cancel")
@staff_required()
def cancel(invalidation_id: int) -> Response:
    invalidation = _invalidation(invalidation_id)
    services.cancel(invalidation, current_user.id)
    db.session.commit()
    return redirect(url_for("moderation.progress", invalidation_id=invalidation.id), 303)


@bp.post("/invalidations/<int:invalidation_id>/undo")
@staff_required()
def undo(invalidation_id: int) -> Response:
    """Give back what the campaign's latest invalidation took (a job); an older one is no longer
    undoable."""
    invalidation = _invalidation(invalidation_id)
    try:
        services.start_undo(invalidation, current_user.id)
    except ValueError:
        db.session.rollback()
        abort(409)
    db.session.commit()
    return redirect(url_for("moderation.progress", invalidation_id=invalidation.id), 303)


@bp.post("/invalidations/<int:invalidation_id>/undo/cancel")
@staff_required()
def cancel_undo(invalidation_id: int) -> Response:
    """Cancel the undo while it waits for a worker; once it runs it goes to its end (409)."""
    undo = services.undo_of(_invalidation(invalidation_id))
    if undo is None or not services.cancel_undo(undo, current_user.id):
        db.session.rollback()
        abort(409)
    db.session.commit()
    return redirect(url_for("moderation.progress", invalidation_id=invalidation_id), 303)


@bp.post("/campaigns/<slug>/moderation/find")
@staff_required()
def find(slug: str) -> tuple[str, int]:
    campaign = get_campaign(slug)
    form = FindForm()
    empty = FilterForm(formdata=None, meta={"csrf": False})
    if not form.validate():
        return _preview(campaign, empty, None, [], 422, find_form=form)
    found = services.find_signature(campaign.id, form.email.data)
    return _preview(campaign, empty, None, [], 200, find_form=form, found=found, searched=True)


@bp.post("/signatures/<int:signature_id>/<action>")
@staff_required()
def one(signature_id: int, action: str) -> Response:
    """Invalidate, restore or erase one signature found by its address, or hide its name from
    the public list of recent signers."""
    signature = db.session.get(Signature, signature_id)
    if signature is None or action not in services.ONE_ACTIONS:
        abort(404)
    campaign = db.session.get(Campaign, signature.campaign_id)
    assert campaign is not None
    services.set_one(signature, action, current_user.id)
    db.session.commit()
    counts.reconcile(campaign.id)
    return redirect(url_for("moderation.preview", slug=campaign.slug, done=action), 303)
