"""Sign-on requests: the public form and its emailed confirmation, and the coordinator's decision."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign import public_forms
from campaign.accounts.access import forbid
from campaign.extensions import csrf, db
from campaign.letters import requests, services
from campaign.letters.access import load, refuse_if_archived
from campaign.letters.forms import ActionForm, SignOnRequestForm
from campaign.letters.languages import changes_since
from campaign.letters.models import Letter, RequestStatus, SignOnRequest
from campaign.letters.views import ERRORS, render_workspace
from campaign.throttle import rate_limit

bp = Blueprint("letter_requests", __name__, url_prefix="/<lang>/letters")


def _public_letter(slug: str) -> Letter:
    letter = db.session.scalar(select(Letter).where(Letter.slug == slug)) if len(slug) <= 80 else None
    if letter is None:
        abort(404)
    refuse_if_archived(letter)
    if not requests.accepts_requests(letter):
        abort(404)
    return letter


def _render_form(letter: Letter, form: SignOnRequestForm, status: int = 200, error: str | None = None):
    frozen = letter.frozen_versions()
    return (
        render_template(
            "letters/request.html",
            letter=letter,
            version=letter.frozen_text(g.lang)[0],  # type: ignore[index]
            frozen=frozen,
            digest=services.frozen_digest(letter),
            form=form,
            error=error,
        ),
        status,
    )


@bp.route("/<slug>/request", methods=["GET", "POST"])
@csrf.exempt  # a public form, for visitors without a session: see campaign.public_forms
@rate_limit("5 per hour; 20 per day", methods=["POST"])
def request_sign_on(slug: str):
    """The same answer for any organisation and address: the form reveals nobody's presence."""
    letter = _public_letter(slug)
    form = SignOnRequestForm()
    if request.method == "GET":
        return _render_form(letter, form)
    public_forms.check("sign-on-request")
    if not form.validate():
        return _render_form(letter, form, 422)
    if form.digest.data != services.frozen_digest(letter):
        return _render_form(letter, form, 409, str(ERRORS["changed"]))
    requests.submit(
        letter,
        requests.RequestInput(
            organisation=form.organisation.data,
            city=form.city.data,
            country=form.country.data,
            website=form.website.data or "",
            representative=form.representative.data,
            title=form.title.data or "",
            email=form.email.data,
        ),
        g.lang,
    )
    db.session.commit()
    return render_template("letters/request_sent.html", letter=letter), 200


@bp.route("/requests/<token>", methods=["GET", "POST"])
@csrf.exempt  # a public form: see campaign.public_forms
@rate_limit("30 per hour", methods=["POST"])
def confirm_request(token: str):
    """GET shows what is confirmed (changing nothing: mail scanners follow links); POST confirms."""
    found = requests.find(token)
    if (
        found is None
        or found.status not in (RequestStatus.UNCONFIRMED, RequestStatus.PENDING)
        or not requests.accepts_requests(found.letter)
    ):
        return render_template("letters/request_invalid.html"), 404
    letter = found.letter
    changes = changes_since(letter, found.hashes) if requests.is_outdated(found) else []
    context = {"found": found, "letter": letter, "changes": changes, "frozen": letter.frozen_versions()}
    if request.method == "GET":
        return render_template("letters/request_confirm.html", **context), 200
    public_forms.check("sign-on-confirm")
    requests.confirm(found)
    db.session.commit()
    return render_template("letters/request_confirmed.html", letter=letter), 200


def _request(letter: Letter, request_id: int) -> SignOnRequest:
    found = db.session.get(SignOnRequest, request_id)
    if found is None or found.letter_id != letter.id:
        forbid()
    return found


@bp.post("/<slug>/requests/<int:request_id>/<decision>")
def decide_request(slug: str, request_id: int, decision: str) -> Response | tuple[str, int]:
    access = load(slug, "can_manage")
    found = _request(access.letter, request_id)
    if decision not in ("approve", "decline"):
        forbid()
    if not ActionForm().validate():
        return render_workspace(access, 400)
    try:
        if decision == "approve":
            requests.approve(found, current_user._get_current_object())
        else:
            requests.decline(found, current_user._get_current_object())
    except services.LetterError:
        db.session.rollback()
        return render_workspace(access, 409, error=ERRORS["status"])
    db.session.commit()
    flash(
        _("Approved: the organisation is created, its representative invited, its signature recorded.")
        if decision == "approve"
        else _("The request is declined; the requester is told."),
        "success",
    )
    return redirect(url_for("letters.workspace", slug=slug), 303)
