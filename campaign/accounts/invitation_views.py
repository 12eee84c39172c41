"""Using an invitation: a new account (name, password, then the second factor), or accepting it
from an existing account's page; and the admin's form inviting staff.

An address that already has an account gets no second account: the invitation waits on its
account page, where the person accepts or declines it after logging in (documented choice:
nobody is added to an organisation without saying yes).
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from campaign.accounts import invitations
from campaign.accounts.access import forbid, staff_required
from campaign.accounts.account_forms import AcceptInvitationForm, StaffInviteForm
from campaign.accounts.invitations import InvitationError
from campaign.accounts.models import Invitation
from campaign.accounts.views import begin_second_step
from campaign.extensions import db
from campaign.throttle import rate_limit

bp = Blueprint("invitations", __name__, url_prefix="/<lang>/account")


@bp.route("/invite/<token>", methods=["GET", "POST"])
@rate_limit("20 per minute", methods=["POST"])
def show(token: str) -> str | tuple[str, int] | Response:
    """GET only shows the form (mail scanners open links); the POST uses the invitation."""
    invitation = invitations.find_by_token(token)
    if invitation is None:
        return render_template("accounts/link_invalid.html"), 404
    if invitations.account_exists(invitation.email):
        return render_template("accounts/invite_existing.html", invitation=invitation)
    form = AcceptInvitationForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("accounts/invite_accept.html", form=form, invitation=invitation), status
    try:
        user = invitations.accept_as_new_account(invitation, form.name.data, form.password.data)
        db.session.commit()
    except (InvitationError, IntegrityError):  # used meanwhile, or an account was made for the address
        db.session.rollback()
        return render_template("accounts/link_invalid.html"), 404
    return begin_second_step(user)


def _own_pending(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.email != current_user.email or not invitation.is_pending:
        forbid()
    return invitation


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def accept(invitation_id: int) -> Response:
    invitation = _own_pending(invitation_id)
    try:
        invitations.accept_as(invitation, current_user._get_current_object())
        db.session.commit()
    except InvitationError:
        db.session.rollback()
        forbid()
    return redirect(url_for("accounts.home"), 303)


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline(invitation_id: int) -> Response:
    invitation = _own_pending(invitation_id)
    invitations.revoke(invitation)
    db.session.commit()
    return redirect(url_for("accounts.home"), 303)


@bp.route("/staff/invite", methods=["GET", "POST"])
@staff_required("admin")
@rate_limit("30 per hour", methods=["POST"])
def invite_staff() -> str | tuple[str, int]:
    form = StaffInviteForm(lang=g.lang)
    if not form.validate_on_submit():
        return render_template("accounts/invite_staff.html", form=form), 422 if form.is_submitted() else 200
    invitations.invite(
        form.email.data,
        form.role.data,
        form.lang.data,
        organisation=None,
        invited_by=current_user._get_current_object(),
    )
    db.session.commit()
    notice = _("The invitation is on its way to %(email)s.", email=form.email.data)
    return render_template(
        "accounts/invite_staff.html", form=StaffInviteForm(lang=g.lang, formdata=None), notice=notice
    )
