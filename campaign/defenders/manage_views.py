"""Staff pages to create and edit defenders and their case records, in every supported language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.accounts.forms import ActionForm
from campaign.after_commit import after_commit
from campaign.archiving import archive_or_restore
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
    """Every defender but the archived ones; ``?archived=1``: the archived ones only."""
    show_archived = request.args.get("archived") == "1"
    found = db.session.scalars(
        select(Defender)
        .where(Defender.is_archived if show_archived else ~Defender.is_archived)
        .order_by(Defender.slug)
    ).all()
    return render_template("defenders/manage_list.html", defenders=found, show_archived=show_archived)


def _defender_page(form: Any, defender: Defender | None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "defenders/manage_form.html",
        form=form,
        defender=defender,
        record_text_label=TEXT_LABEL,
        archive_form=ActionForm(),
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


def _get_defender(slug: str) -> Defender:
    defender = db.session.scalar(select(Defender).where(Defender.slug == slug))
    if defender is None:
        abort(404)
    return defender


@bp.route("/defenders/<slug>/edit", methods=["GET", "POST"])
@accepts_files("photo")
@staff_required()
def edit(slug: str) -> Response | tuple[str, int]:
    return _save_defender(_get_defender(slug))


@bp.route("/defenders/<slug>/archive", methods=["GET", "POST"])
@staff_required()
def archive(slug: str) -> Response | str:
    """GET asks for confirmation (and changes nothing); its POST archives."""
    defender = _get_defender(slug)
    form = ActionForm()
    if request.method == "GET":
        return render_template(
            "archive_confirm.html",
            form=form,
            heading=_("Archive the page of %(name)s?", name=defender.text(g.lang)[0].name),
            explanation=_(
                "They disappear from the register, the API and the feeds, and their page says it was "
                "archived. Their record, photo and followers are kept: restoring brings the page back "
                "as it was. Their campaigns are not archived with them."
            ),
            button=_("Archive the page"),
            action=url_for("manage_defenders.archive", slug=slug),
            back=url_for("manage_defenders.edit", slug=slug),
        )
    return _set_archived(defender, form, archived=True)


@bp.post("/defenders/<slug>/restore")
@staff_required()
def restore(slug: str) -> Response:
    return _set_archived(_get_defender(slug), ActionForm(), archived=False)


def _set_archived(defender: Defender, form: ActionForm, archived: bool) -> Response:
    if not form.validate():
        abort(400)
    back = url_for("manage_defenders.edit", slug=defender.slug)
    details = {"defender_id": defender.id, "slug": defender.slug}
    return archive_or_restore(defender, archived, "defender", back, details=details)
