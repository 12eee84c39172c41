"""Staff pages to create and edit defenders and their case records, in every supported language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.after_commit import after_commit
from campaign.defenders import follow, manage, photos
from campaign.defenders.forms import defender_form
from campaign.defenders.models import Defender
from campaign.defenders.record_forms import TEXT_LABEL
from campaign.extensions import db
from campaign.forms import slug_taken, wants_preview
from campaign.moderation.services import audit
from campaign.request_guards import accepts_files

bp = Blueprint("manage_defenders", __name__, url_prefix="/<lang>/dashboard")


@bp.get("/defenders")
@staff_required()
def index() -> str:
    found = db.session.scalars(select(Defender).order_by(Defender.slug)).all()
    return render_template("defenders/manage_list.html", defenders=found)


def _defender_page(form: Any, defender: Defender | None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "defenders/manage_form.html", form=form, defender=defender, record_text_label=TEXT_LABEL
    ), status


def _save_defender(defender: Defender | None) -> Response | tuple[str, int]:
    if request.method == "GET":
        data = manage.defender_data(defender) if defender else None
        return _defender_page(defender_form(defender, data=data), defender)
    form = defender_form()
    if wants_preview():
        return _defender_page(form, defender)
    if not form.validate():
        return _defender_page(form, defender, 422)
    if slug_taken(Defender, form.slug.data, defender.id if defender else None):
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
    status_changed = manage.apply_defender(defender, form)
    old_photo = defender.photo if new_photo or form.remove_photo.data else None
    if new_photo or form.remove_photo.data:
        defender.photo = new_photo
    db.session.add(defender)
    db.session.flush()
    if status_changed:
        change = defender.status_history[-1]
        follow.notify_followers(defender.id, "follow_status", change.id, status=defender.status)
    action = "defender.created" if is_new else "defender.updated"
    details: dict[str, Any] = {"defender_id": defender.id, "slug": defender.slug}
    if old_photo:
        details["photo"] = "replaced" if new_photo else "removed"
    audit(action, current_user.id, None, details)
    if old_photo:
        after_commit(photos.delete_photo, old_photo)  # the page shows the old one until then
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("manage_defenders.edit", slug=defender.slug), 303)


@bp.route("/defenders/new", methods=["GET", "POST"])
@accepts_files("photo")
@staff_required()
def new() -> Response | tuple[str, int]:
    return _save_defender(None)


@bp.route("/defenders/<slug>/edit", methods=["GET", "POST"])
@accepts_files("photo")
@staff_required()
def edit(slug: str) -> Response | tuple[str, int]:
    defender = db.session.scalar(select(Defender).where(Defender.slug == slug))
    if defender is None:
        abort(404)
    return _save_defender(defender)
