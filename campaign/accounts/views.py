"""Login in two steps (password, then TOTP or a recovery code), second-factor setup, logout.

Between the steps the session holds only the user's session token and when the password
step passed; the user is logged in (and the session renewed) only after the second factor.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import segno
from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts import invitations, services
from campaign.accounts.forms import CodeForm, LoginForm, SetupTOTPForm
from campaign.accounts.labels import ORG_ROLE
from campaign.accounts.models import User
from campaign.extensions import db, login_manager
from campaign.models_base import utcnow
from campaign.security import ip_hash, keyed_hash
from campaign.throttle import Limit, ThrottleUnavailable, count_attempts, rate_limit

bp = Blueprint("accounts", __name__, url_prefix="/<lang>/account")

#: seconds between the password step and the second factor
SECOND_STEP_SECONDS = 300
#: password attempts per account per 15 minutes, whatever address they come from
ACCOUNT_ATTEMPTS = 10
PENDING = "login_pending"


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {"org_roles": ORG_ROLE}


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.session_token == session_token, User.is_active.is_(True))
    )


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not pending or time.time() - pending["at"] > SECOND_STEP_SECONDS:
        return None
    return load_user(pending["token"])


def begin_second_step(user: User, next_url: str | None = None) -> Response:
    """The password (or an invitation) is done: on to the second factor, or to setting one up."""
    session.clear()
    session[PENDING] = {"token": user.session_token, "at": time.time(), "next": safe_next(next_url)}
    return redirect(url_for("accounts.verify" if user.has_totp else "accounts.setup_totp"))


def attempt_refusal(*counters: tuple[str, str, int]) -> tuple[str, int] | None:
    """Count one attempt on each (name, key, limit) over 15 minutes; say why it may not go on, if not.

    Fails closed: when the counters are unreachable, nothing is checked, and the page says so
    rather than blaming the person for too many attempts.
    """
    try:
        allowed = all(count_attempts([Limit(name, key, limit, 900) for name, key, limit in counters]))
    except ThrottleUnavailable:
        return _("Logging in is not possible for a moment. Please try again in a few minutes."), 503
    return None if allowed else (_("Too many attempts. Please wait 15 minutes."), 429)


def _finish_login(user: User) -> Response:
    next_url = session.get(PENDING, {}).get("next")
    session.clear()  # a fresh session for the logged-in user
    login_user(user)
    user.last_login_at = utcnow()
    user.lang = g.get("lang") or user.lang  # the language they log in in: their notifications' language
    db.session.commit()
    return redirect(safe_next(next_url) or url_for("accounts.home"))


@bp.route("/login", methods=["GET", "POST"])
@rate_limit("20 per minute;100 per hour", methods=["POST"])
def login() -> Response | tuple[str, int] | str:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 422 if form.is_submitted() else 200
    email = form.email.data.strip().lower()
    refusal = attempt_refusal(
        ("login", keyed_hash("login", email), ACCOUNT_ATTEMPTS), ("login-ip", ip_hash(), 50)
    )
    if refusal is not None:
        message, status = refusal
        return render_template("accounts/login.html", form=form, error=message), status
    user = services.authenticate(email, form.password.data)
    if user is None:
        return render_template("accounts/login.html", form=form, error=_("Email or password is wrong.")), 401
    db.session.commit()  # a rehashed password
    return begin_second_step(user, request.args.get("next"))


@bp.route("/login/verify", methods=["GET", "POST"])
@rate_limit("20 per minute", methods=["POST"])
def verify() -> Response | tuple[str, int] | str:
    user = _pending_user()
    if user is None or not user.has_totp:
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/verify.html", form=form), 422 if form.is_submitted() else 200
    code = form.code.data
    refusal = attempt_refusal(("totp", str(user.id), 10))
    if refusal is not None:
        return render_template("accounts/verify.html", form=form, error=refusal[0]), refusal[1]
    if services.verify_totp(user, code) or services.use_recovery_code(user, code):
        return _finish_login(user)
    db.session.rollback()
    return render_template(
        "accounts/verify.html", form=form, error=_("This code is not valid. Try the next one.")
    ), 401


def _qr_data_uri(uri: str) -> str:
    # a standalone SVG document (with its xmlns): svg_inline() leaves it out, and browsers show
    # an SVG image without it as broken
    return segno.make(uri, error="m").svg_data_uri(scale=4)


@bp.route("/setup-2fa", methods=["GET", "POST"])
def setup_totp() -> Response | tuple[str, int] | str:
    """Every account sets up its second factor at first login, before anything else."""
    user = _pending_user()
    if user is None or user.has_totp:
        return redirect(url_for("accounts.login"))
    secret = session.get("totp_secret") or services.new_totp_secret()
    session["totp_secret"] = secret
    form = SetupTOTPForm()
    uri = services.provisioning_uri(user, secret)
    context = {"form": form, "secret": secret, "qr": _qr_data_uri(uri)}
    if not form.validate_on_submit():
        return render_template("accounts/setup_totp.html", **context), 422 if form.is_submitted() else 200
    if not services.verify_totp(user, form.code.data, secret=secret):
        error = _("This code does not match. Check the time on your phone and try the next code.")
        return render_template("accounts/setup_totp.html", error=error, **context), 422
    codes = services.enable_totp(user, secret)
    _finish_login(user)
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.post("/logout")
@login_required
def logout() -> Response:
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("campaigns.home"))


@bp.get("/")
@login_required
def home() -> str:
    return render_template("accounts/home.html", invitations=invitations.pending_for(current_user))
