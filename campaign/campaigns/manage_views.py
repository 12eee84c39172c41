"""Staff pages to create and edit defenders and campaigns, in every supported language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from campaign.accounts.access import staff_required
from campaign.campaigns import manage, photos
from campaign.campaigns.forms import campaign_form, defender_form
from campaign.campaigns.models import Campaign, Defender
from campaign.campaigns.services import get_campaign
from campaign.extensions import db
from campaign.forms import choices
from campaign.moderation.services import audit

bp = Blueprint("manage", __name__, url_prefix="/<lang>/dashboard")


def _defender_choices() -> list[SelectChoice]:
    defenders = db.session.scalars(select(Defender).order_by(Defender.slug)).all()
    return choices([(0, _("No defender")), *((d.id, d.text(d.default_lang)[0].name) for d in defenders)])


def _campaign_page(form: Any, campaign: Campaign | None, status: int = 200) -> tuple[str, int]:
    return render_template("dashboard/campaign_form.html", form=form, campaign=campaign), status


def _save_campaign(campaign: Campaign | None) -> Response | tuple[str, int]:
    data = manage.campaign_data(campaign) if campaign and request.method == "GET" else None
    form = campaign_form(data=data)
    form.defender_id.choices = _defender_choices()
    if request.method == "GET":
        return _campaign_page(form, campaign)
    if not form.validate():
        return _campaign_page(form, campaign, 422)
    if manage.slug_taken(Campaign, form.slug.data, campaign.id if campaign else None):
        form.slug.errors.append(_("Another campaign already uses this address."))
        return _campaign_page(form, campaign, 409)
    is_new = campaign is None
    campaign = campaign or Campaign()
    manage.apply_campaign(campaign, form)
    db.session.add(campaign)
    db.session.flush()
    action = "campaign.created" if is_new else "campaign.updated"
    audit(action, current_user.id, campaign.id, {"slug": campaign.slug, "status": campaign.status})
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("manage.edit_campaign", slug=campaign.slug), 303)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@staff_required()
def new_campaign() -> Response | tuple[str, int]:
    return _save_campaign(None)


@bp.route("/campaigns/<slug>/edit", methods=["GET", "POST"])
@staff_required()
def edit_campaign(slug: str) -> Response | tuple[str, int]:
    return _save_campaign(get_campaign(slug))


@bp.get("/defenders")
@staff_required()
def defenders() -> str:
    found = db.session.scalars(select(Defender).order_by(Defender.slug)).all()
    return render_template("dashboard/defenders.html", defenders=found)


def _defender_page(form: Any, defender: Defender | None, status: int = 200) -> tuple[str, int]:
    return render_template("dashboard/defender_form.html", form=form, defender=defender), status


def _save_defender(defender: Defender | None) -> Response | tuple[str, int]:
    if request.method == "GET":
        data = manage.defender_data(defender) if defender else None
        rows = len(defender.timeline) if defender else 0
        sources = len(defender.sources) if defender else 0
        return _defender_page(defender_form(rows, sources, data=data), defender)
    form = defender_form()
    if not form.validate():
        return _defender_page(form, defender, 422)
    if manage.slug_taken(Defender, form.slug.data, defender.id if defender else None):
        form.slug.errors.append(_("Another defender already uses this address."))
        return _defender_page(form, defender, 409)
    upload = request.files.get(form.photo.name)
    new_photo = None
    if upload and upload.filename:
        try:
            new_photo = photos.save_photo(upload)
        except photos.PhotoError as error:
            form.photo.errors.append(str(error))
            return _defender_page(form, defender, 422)
    is_new = defender is None
    defender = defender or Defender()
    manage.apply_defender(defender, form)
    old_photo = defender.photo if new_photo else None
    if new_photo:
        defender.photo = new_photo
    db.session.add(defender)
    db.session.flush()
    action = "defender.created" if is_new else "defender.updated"
    audit(action, current_user.id, None, {"defender_id": defender.id, "slug": defender.slug})
    db.session.commit()
    photos.delete_photo(old_photo)
    flash(_("Saved."))
    return redirect(url_for("manage.edit_defender", slug=defender.slug), 303)


@bp.route("/defenders/new", methods=["GET", "POST"])
@staff_required()
def new_defender() -> Response | tuple[str, int]:
    return _save_defender(None)


@bp.route("/defenders/<slug>/edit", methods=["GET", "POST"])
@staff_required()
def edit_defender(slug: str) -> Response | tuple[str, int]:
    defender = db.session.scalar(select(Defender).where(Defender.slug == slug))
    if defender is None:
        abort(404)
    return _save_defender(defender)
