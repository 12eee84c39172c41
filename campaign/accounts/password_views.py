"""Password reset by email, password change, and fresh recovery codes.

The reset request answers the same page whether or not the address has an account, and mails
only real accounts. Resetting or changing a password ends every session; neither touches the
second factor.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, session
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from campaign.accounts import passwords, services
from campaign.accounts.account_forms import (
    ChangePasswordForm,
    NewPasswordForm,
    ResetRequestForm,
)
from campaign.accounts.forms import TOTPCodeForm
from campaign.accounts.views import attempt_refusal
from campaign.extensions import db
from campaign.security import keyed_hash
from campaign.throttle import rate_limit, throttle

bp = Blueprint("passwords", __name__, url_prefix="/<lang>/account")

#: reset mails per address per hour; past it the page answers the same and sends nothing
RESETS_PER_ADDRESS_HOUR = 3


@bp.route("/password/reset", methods=["GET", "POST"])
@rate_limit("5 per minute;30 per hour", methods=["POST"])
def request_reset() -> str | tuple[str, int]:
    form = ResetRequestForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("accounts/reset_request.html", form=form), status
    email = form.email.data.strip().lower()
    if throttle("reset", keyed_hash("reset", email), RESETS_PER_ADDRESS_HOUR, 3600, fail_closed=False):
        passwords.request_reset(email, g.lang)
        db.session.commit()
    return render_template("accounts/reset_sent.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@rate_limit("20 per minute", methods=["POST"])
def reset(token: str) -> str | tuple[str, int]:
    """GET only shows the form (mail scanners open links); the POST spends the link."""
    reset = passwords.find_reset(token)
    if reset is None:
        return render_template("accounts/link_invalid.html"), 404
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/reset.html", form=form), 422 if form.is_submitted() else 200
    if not passwords.reset_password(reset, form.password.data):
        db.session.rollback()
        return render_template("accounts/link_invalid.html"), 404
    db.session.commit()
    session.clear()
    return render_template("accounts/password_changed.html")


def _unless_submitted_in_time(
    template: str, form: FlaskForm, attempts: str
) -> tuple[str, int] | tuple[str, int, dict[str, str]] | None:
    """The logged-in user's page again, unless ``form`` was submitted valid and within the
    ``attempts`` counter's 10 tries per account (a 429 past it); None: go on with the form."""
    if not form.validate_on_submit():
        return render_template(template, form=form), 422 if form.is_submitted() else 200
    refusal = attempt_refusal((attempts, str(current_user.id), 10))
    if refusal is not None:
        return render_template(template, form=form, error=refusal.message), refusal.status, refusal.headers
    return None


@bp.route("/password", methods=["GET", "POST"])
@login_required
@rate_limit("10 per minute", methods=["POST"])
def change() -> str | tuple[str, int] | tuple[str, int, dict[str, str]] | Response:
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if (
        page := _unless_submitted_in_time("accounts/change_password.html", form, "password-change")
    ) is not None:
        return page
    if not passwords.change_password(user, form.current.data, form.password.data):
        db.session.rollback()
        form.current.errors = [*form.current.errors, _("This is not your current password.")]
        return render_template("accounts/change_password.html", form=form), 422
    db.session.commit()
    session.clear()
    login_user(user)  # this browser stays logged in, under the new session token
    return render_template("accounts/password_changed.html", still_logged_in=True)


@bp.route("/recovery-codes", methods=["GET", "POST"])
@login_required
@rate_limit("10 per minute", methods=["POST"])
def recovery_codes() -> str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """New recovery codes replace the old ones; a current TOTP code proves the phone is at hand."""
    form = TOTPCodeForm()
    user = current_user._get_current_object()
    if (page := _unless_submitted_in_time("accounts/new_recovery_codes.html", form, "totp")) is not None:
        return page
    if not services.verify_totp(user, form.code.data):
        db.session.rollback()
        error = _("This code is not valid. Try the next one.")
        return render_template("accounts/new_recovery_codes.html", form=form, error=error), 422
    codes = services.new_recovery_codes(user)
    db.session.commit()
    return render_template("accounts/recovery_codes.html", codes=codes)
