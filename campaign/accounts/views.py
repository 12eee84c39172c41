"""Login in two steps (password, then TOTP or a recovery code), second-factor setup, logout.

Between the steps the session holds only the user's session token and when the password
step passed; the user is logged in (and the session renewed) only after the second factor.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import segno
from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts import invitations, login_throttle, services
from campaign.accounts.forms import CodeForm, LoginForm, TOTPCodeForm
from campaign.accounts.labels import ORG_ROLE
from campaign.accounts.models import User
from campaign.audit.services import record
from campaign.extensions import db, login_manager
from campaign.models_base import utcnow
from campaign.throttle import Limit, ThrottleUnavailable, count_attempts, rate_limit, wait_for

bp = Blueprint("accounts", __name__, url_prefix="/<lang>/account")

#: seconds between the password step and the second factor
SECOND_STEP_SECONDS = 300
#: seconds over which second-factor and password-change attempts are counted
ATTEMPT_WINDOW = 900
UNAVAILABLE = _l("Logging in is not possible for a moment. Please try again in a few minutes.")
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


@dataclass(frozen=True)
class Refusal:
    """Why an attempt may not go on: the page's message, its status, its headers."""

    message: str
    status: int
    headers: dict[str, str]


def attempt_refusal(*counters: tuple[str, str, int]) -> Refusal | None:
    """Count one attempt on each (name, key, limit) over 15 minutes; say why it may not go on, if not.

    Fails closed: when the counters are unreachable, nothing is checked, and the page says so
    rather than blaming the person for too many attempts. A 429 says when to come back.
    """
    limits = [Limit(name, key, limit, ATTEMPT_WINDOW) for name, key, limit in counters]
    try:
        allowed = count_attempts(limits)
    except ThrottleUnavailable:
        return Refusal(str(UNAVAILABLE), 503, {})
    if retry_after := wait_for(limits, allowed):
        message = _("Too many attempts. Please wait %(time)s and try again.", time=_duration(retry_after))
        return Refusal(message, 429, {"Retry-After": str(retry_after)})
    return None


def _duration(seconds: int) -> str:
    return format_timedelta(timedelta(seconds=seconds), threshold=1.1)


def _finish_login(user: User) -> Response:
    next_url = session.get(PENDING, {}).get("next")
    session.clear()  # a fresh session for the logged-in user
    login_user(user)
    user.last_login_at = utcnow()
    record("user.logged_in", user_id=user.id)
    user.lang = g.get("lang") or user.lang  # the language they log in in: their notifications' language
    db.session.commit()
    return redirect(safe_next(next_url) or url_for("accounts.home"))


@bp.route("/login", methods=["GET", "POST"])
@rate_limit("20 per minute;100 per hour", methods=["POST"])
def login() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]] | str:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 422 if form.is_submitted() else 200
    email = form.email.data.strip().lower()
    keys = login_throttle.counters(email)
    try:
        wait = login_throttle.wait_seconds(keys)
    except ThrottleUnavailable:
        return render_template("accounts/login.html", form=form, error=UNAVAILABLE), 503
    if wait:
        error = _("Too many attempts. Please wait %(time)s and try again.", time=_duration(wait))
        return render_template("accounts/login.html", form=form, error=error), 429, {"Retry-After": str(wait)}
    user = services.authenticate(email, form.password.data)
    if user is None:
        with contextlib.suppress(ThrottleUnavailable):  # the next attempt's check fails closed
            login_throttle.record_failure(keys)
        return render_template("accounts/login.html", form=form, error=_("Email or password is wrong.")), 401
    login_throttle.forget(keys[1])
    db.session.commit()  # a rehashed password
    return begin_second_step(user, request.args.get("next"))


@bp.route("/login/verify", methods=["GET", "POST"])
@rate_limit("20 per minute", methods=["POST"])
def verify() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]] | str:
    user = _pending_user()
    if user is None or not user.has_totp:
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/verify.html", form=form), 422 if form.is_submitted() else 200
    code = form.code.data
    refusal = attempt_refusal(("totp", str(user.id), 10))
    if refusal is not None:
        return (
            render_template("accounts/verify.html", form=form, error=refusal.message),
            refusal.status,
            refusal.headers,
        )
    if services.verify_totp(user, code) or services.use_recovery_code(user, code):
        return _finish_login(user)
    db.session.rollback()
    return render_template(
        "accounts/verify.html", form=form, error=_("This code is not valid. Try the next one.")
    ), 401


#: screen pixels per module of the QR code: a whole number keeps its edges sharp to scan
QR_SCALE = 4


def _qr_image(uri: str) -> tuple[str, int]:
    """The QR code as an SVG data URI and its side in pixels. A standalone SVG document (with
    its xmlns: svg_inline() leaves it out, and browsers show an SVG image without it as broken)
    drawn in a viewBox of one unit per module, so it scales down on a narrow screen."""
    code = segno.make(uri, error="m")
    side, _ = code.symbol_size(scale=QR_SCALE)
    return code.svg_data_uri(scale=1, omitsize=True), int(side)


@bp.route("/setup-2fa", methods=["GET", "POST"])
def setup_totp() -> Response | tuple[str, int] | str:
    """Every account sets up its second factor at first login, before anything else."""
    user = _pending_user()
    if user is None or user.has_totp:
        return redirect(url_for("accounts.login"))
    secret = session.get("totp_secret") or services.new_totp_secret()
    session["totp_secret"] = secret
    form = TOTPCodeForm()
    uri = services.provisioning_uri(user, secret)
    qr, qr_side = _qr_image(uri)
    context = {"form": form, "secret": secret, "qr": qr, "qr_side": qr_side}
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
