"""An organisation's profile and members, for its owners and for staff; and its logo, for everyone.

Who sees what (every other access answers 404 and is logged by ``access.forbid``):
- owners of the organisation and staff (admin, campaigner) edit the profile, invite, change
  roles, remove members and revoke invitations;
- editors and signers of the organisation see the member list read-only (names and roles,
  no addresses, no invitations): they work with these people in letters;
- members of other organisations see none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts import invitations, logos, organisations
from campaign.accounts.access import forbid, require_org_role, staff_required
from campaign.accounts.account_forms import InviteForm, RoleForm
from campaign.accounts.forms import ActionForm
from campaign.accounts.models import Invitation, Membership, Organisation
from campaign.accounts.organisation_form import profile_form
from campaign.extensions import db
from campaign.images import ImageRefused
from campaign.request_guards import accepts_files
from campaign.throttle import rate_limit

bp = Blueprint("organisations", __name__, url_prefix="/<lang>/account/organisations")
media = Blueprint("media", __name__)


def _organisation(organisation_id: int, *, manage: bool) -> Organisation:
    """The organisation, if the current user may see it (``manage``: and change it)."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        forbid()
    if not current_user.is_staff:
        require_org_role(organisation.id, *(("owner",) if manage else ()))
    return organisation


def _can_manage(organisation: Organisation) -> bool:
    return current_user.is_staff or current_user.role_in(organisation.id) == "owner"


@bp.get("/")
@staff_required()
def index() -> str:
    rows = db.session.scalars(
        select(Organisation).order_by(Organisation.archived_at.is_not(None), Organisation.slug)
    )
    return render_template("accounts/organisations.html", organisations=list(rows), action=ActionForm())


def _profile(form: Any) -> organisations.Profile:
    return organisations.Profile(
        names=form.names(),
        descriptions=form.descriptions(),
        city=form.city.data or "",
        country=form.country.data or "",
        website=form.website.data or "",
        cities=form.cities(),
        postal_addresses=form.postal_addresses(),
        contact_email=form.contact_email.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@accepts_files("logo")
@staff_required()
@rate_limit("30 per hour", methods=["POST"])
def new() -> str | tuple[str, int] | Response:
    """Staff add an organisation, then invite its first owner from its members page."""
    form = profile_form()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("accounts/organisation_new.html", form=form), status
    organisation = organisations.create(_profile(form), g.lang)
    upload = form.logo.data
    if upload is not None and upload.filename:
        try:
            organisation.logo = logos.store(
                organisation.id, logos.reencode(logos.read_limited(upload.stream))
            )
        except ImageRefused as error:
            db.session.rollback()
            message, status = _logo_error(error.reason)
            form.logo.errors = [message]
            return render_template("accounts/organisation_new.html", form=form), status
    db.session.commit()
    return redirect(url_for("organisations.members", organisation_id=organisation.id), 303)


@bp.post("/<int:organisation_id>/archive")
@staff_required()
def archive(organisation_id: int) -> Response:
    organisation = _organisation(organisation_id, manage=True)
    if not ActionForm().validate():
        abort(400)
    organisations.set_archived(organisation, request.form.get("archived") == "1")
    db.session.commit()
    return redirect(url_for("organisations.index"), 303)


def _profile_data(organisation: Organisation) -> dict[str, str]:
    data = {
        "city": organisation.city,
        "country": organisation.country,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
    }
    for lang, text in organisation.cities.items():
        data[f"city_{lang}"] = text
    for lang, text in organisation.postal_addresses.items():
        data[f"address_{lang}"] = text
    for lang, text in organisation.names.items():
        data[f"name_{lang}"] = text
    for lang, text in organisation.description.items():
        data[f"description_{lang}"] = text
    return data


def _logo_error(reason: str) -> tuple[str, int]:
    if reason == "size":
        return _("This image is too large. Please upload a logo of at most 2 MB."), 413
    return _("This file is not an image we can use. Please upload a PNG, JPEG, GIF or WebP file."), 422


@bp.route("/<int:organisation_id>/profile", methods=["GET", "POST"])
@accepts_files("logo")
@login_required
@rate_limit("30 per minute", methods=["POST"])
def profile(organisation_id: int) -> str | tuple[str, int] | Response:
    organisation = _organisation(organisation_id, manage=True)
    form = profile_form() if request.method == "POST" else profile_form(data=_profile_data(organisation))
    context = {"organisation": organisation, "form": form}
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("accounts/organisation_profile.html", **context), status
    new_logo = None
    upload = form.logo.data
    if upload is not None and upload.filename:
        try:
            new_logo = logos.store(organisation.id, logos.reencode(logos.read_limited(upload.stream)))
        except ImageRefused as error:
            message, status = _logo_error(error.reason)
            form.logo.errors = [message]
            return render_template("accounts/organisation_profile.html", **context), status
    organisations.update_profile(
        organisation,
        _profile(form),
    )
    old_logo = organisation.logo
    if new_logo is not None:
        organisation.logo = new_logo
    db.session.commit()
    if new_logo is not None:
        logos.remove(old_logo)
    return redirect(url_for("organisations.profile", organisation_id=organisation.id, saved=1), 303)


def _render_members(
    organisation: Organisation,
    invite_form: InviteForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    manage = _can_manage(organisation)
    return (
        render_template(
            "accounts/organisation_members.html",
            organisation=organisation,
            members=organisations.members(organisation),
            manage=manage,
            pending=invitations.pending_in(organisation) if manage else [],
            invite_form=invite_form or InviteForm(lang=g.lang, formdata=None),
            error=error,
        ),
        status,
    )


@bp.get("/<int:organisation_id>/members")
@login_required
def members(organisation_id: int) -> tuple[str, int]:
    return _render_members(_organisation(organisation_id, manage=False))


def _membership(organisation: Organisation, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        forbid()
    return membership


def _back(organisation: Organisation) -> Response:
    return redirect(url_for("organisations.members", organisation_id=organisation.id), 303)


@bp.post("/<int:organisation_id>/members/<int:membership_id>/role")
@login_required
def change_role(organisation_id: int, membership_id: int) -> Response | tuple[str, int]:
    organisation = _organisation(organisation_id, manage=True)
    membership = _membership(organisation, membership_id)
    form = RoleForm()
    if not form.validate():
        return _render_members(organisation, error=_("Please choose a role from the list."), status=422)
    return _keeping_an_owner(organisation, lambda: organisations.change_role(membership, form.role.data))


@bp.post("/<int:organisation_id>/members/<int:membership_id>/remove")
@login_required
def remove_member(organisation_id: int, membership_id: int) -> Response | tuple[str, int]:
    organisation = _organisation(organisation_id, manage=True)
    membership = _membership(organisation, membership_id)
    return _keeping_an_owner(organisation, lambda: organisations.remove_member(membership))


def _keeping_an_owner(organisation: Organisation, change: Callable[[], object]) -> Response | tuple[str, int]:
    """Make a change to the members and commit it, unless it would leave the organisation
    without an owner (409, nothing changed)."""
    try:
        change()
    except organisations.LastOwnerError:
        db.session.rollback()
        return _render_members(
            organisation, error=_("The organisation needs at least one owner."), status=409
        )
    db.session.commit()
    return _back(organisation)


@bp.post("/<int:organisation_id>/invitations")
@login_required
@rate_limit("30 per hour")
def invite(organisation_id: int) -> Response | tuple[str, int]:
    organisation = _organisation(organisation_id, manage=True)
    form = InviteForm()
    if not form.validate():
        return _render_members(organisation, invite_form=form, status=422)
    invitations.invite(
        form.email.data,
        form.role.data,
        form.lang.data,
        organisation=organisation,
        invited_by=current_user._get_current_object(),
    )
    db.session.commit()
    return _back(organisation)


@bp.post("/<int:organisation_id>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke(organisation_id: int, invitation_id: int) -> Response:
    organisation = _organisation(organisation_id, manage=True)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation.id:
        forbid()
    invitations.revoke(invitation)
    db.session.commit()
    return _back(organisation)


@media.get("/media/logos/<name>")
def logo(name: str) -> Response:
    """Only our own re-encoded PNGs, by their generated names, as PNG and never sniffed."""
    if not logos.FILE_NAME.fullmatch(name):
        abort(404)
    response = send_from_directory(logos.folder(), name, mimetype="image/png", max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response
