"""The staff team page: who is on the staff, their role, last login and second factor; and, for
admins, changing roles, deactivating and reactivating accounts, and resetting second factors."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts import team
from campaign.accounts.access import staff_required
from campaign.accounts.account_forms import STAFF_ROLE
from campaign.accounts.models import Invitation, User
from campaign.accounts.team_forms import ConfirmForm, RoleForm
from campaign.extensions import db
from campaign.models_base import utcnow

bp = Blueprint("team", __name__, url_prefix="/<lang>/dashboard/staff")

#: what the page says after a redirect (``?done=``): only these fixed messages, never request text
NOTICES = {
    "role": lambda: _("The role is changed."),
    "deactivated": lambda: _("The account is deactivated; its sessions have ended."),
    "reactivated": lambda: _("The account is active again."),
    "reset": lambda: _("The second factor is reset; it will be set up again at the next login."),
}
REFUSALS = {
    "last-admin": lambda: _("The last active administrator cannot lose that role or be deactivated."),
    "self": lambda: _("You cannot deactivate your own account."),
}


def _page(status: int = 200, error: str | None = None) -> tuple[str, int]:
    notice = NOTICES.get(request.args.get("done", ""))
    pending = db.session.scalars(
        select(Invitation)
        .where(
            Invitation.organisation_id.is_(None),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at.desc())
    ).all()
    return (
        render_template(
            "accounts/team.html",
            members=team.staff_members(),
            invitations=pending,
            staff_roles=STAFF_ROLE,
            role_form=RoleForm(),
            confirm_form=ConfirmForm(),
            notice=notice() if notice else None,
            error=error,
        ),
        status,
    )


def _member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.staff_role is None:
        abort(404)
    return user


def _done(done: str) -> Response:
    return redirect(url_for("team.index", done=done), 303)


@bp.get("/")
@staff_required()
def index() -> tuple[str, int]:
    return _page()


@bp.post("/<int:user_id>/role")
@staff_required("admin")
def change_role(user_id: int) -> Response | tuple[str, int]:
    user = _member(user_id)
    form = RoleForm()
    if not form.validate():
        return _page(422, error=_("Please choose a role."))
    try:
        team.change_role(user, form.role.data, actor_id=current_user.id)
    except team.TeamError as refused:
        db.session.rollback()
        return _page(409, error=REFUSALS[refused.reason]())
    db.session.commit()
    return _done("role")


def _confirmed() -> None:
    if not ConfirmForm().validate():
        abort(400)


@bp.post("/<int:user_id>/deactivate")
@staff_required("admin")
def deactivate(user_id: int) -> Response | tuple[str, int]:
    _confirmed()
    user = _member(user_id)
    try:
        team.deactivate(user, actor_id=current_user.id)
    except team.TeamError as refused:
        db.session.rollback()
        return _page(409, error=REFUSALS[refused.reason]())
    db.session.commit()
    return _done("deactivated")


@bp.post("/<int:user_id>/reactivate")
@staff_required("admin")
def reactivate(user_id: int) -> Response:
    _confirmed()
    team.reactivate(_member(user_id), actor_id=current_user.id)
    db.session.commit()
    return _done("reactivated")


@bp.post("/<int:user_id>/reset-2fa")
@staff_required("admin")
def reset_second_factor(user_id: int) -> Response:
    _confirmed()
    team.reset_second_factor(_member(user_id), actor_id=current_user.id)
    db.session.commit()
    return _done("reset")
