"""Before a letter goes out: the preview of each recipient's exact email and PDF, the
confirmation that names how many recipients and signatories, delivery now or at a set time, and
the embargo that keeps the letter private until it is delivered."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from campaign.accounts.access import forbid
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.access import LetterAccess, load
from campaign.letters.compose import Outgoing, compose
from campaign.letters.forms import ActionForm, ScheduleForm
from campaign.letters.jobs import confirmation_digest, deliver_letter
from campaign.letters.models import LetterStatus, Recipient
from campaign.letters.views import ERRORS, render_workspace
from campaign.models_base import utcnow

bp = Blueprint("letter_delivery", __name__, url_prefix="/<lang>/letters")

#: the letter can be previewed and delivered
DELIVERABLE = (LetterStatus.OPEN, LetterStatus.CLOSED, LetterStatus.DELIVERED)


def _dated(access: LetterAccess) -> datetime:
    letter = access.letter
    return letter.delivered_at or letter.deliver_at or utcnow()


def _outgoing(access: LetterAccess, recipient_id: int) -> Outgoing:
    letter = access.letter
    recipient = db.session.get(Recipient, recipient_id)
    if recipient is None or recipient.letter_id != letter.id or letter.status not in DELIVERABLE:
        forbid()
    lang = recipient.lang if recipient.lang in letter.frozen else letter.default_lang
    with force_locale(lang):
        outgoing = compose(letter, recipient, _dated(access))
    if outgoing is None:
        abort(404)
    return outgoing


@bp.get("/<slug>/preview")
def preview(slug: str) -> str:
    """Every recipient's email as it will go out, with links to its HTML part and its PDF."""
    access = load(slug, "can_deliver")
    if access.letter.status not in DELIVERABLE:
        forbid()
    recipients = access.letter.recipients
    outgoing = {recipient.id: _outgoing(access, recipient.id) for recipient in recipients}
    return render_template(
        "letters/preview.html", access=access, letter=access.letter, recipients=recipients, outgoing=outgoing
    )


@bp.get("/<slug>/preview/<int:recipient_id>/html")
def preview_html(slug: str, recipient_id: int) -> Response:
    """The HTML part alone, sandboxed: it is shown exactly as the recipient's mail program would."""
    outgoing = _outgoing(load(slug, "can_deliver"), recipient_id)
    response = Response(outgoing.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.get("/<slug>/preview/<int:recipient_id>/pdf")
def preview_pdf(slug: str, recipient_id: int) -> Response:
    outgoing = _outgoing(load(slug, "can_deliver"), recipient_id)
    response = Response(outgoing.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{outgoing.filename}"'
    return response


def _render_confirm(access: LetterAccess, status: int = 200, **context: object) -> tuple[str, int]:
    letter = access.letter
    return (
        render_template(
            "letters/confirm.html",
            access=access,
            letter=letter,
            signatories=letter.signatories(),
            digest=confirmation_digest(letter),
            schedule_form=context.pop("schedule_form", None) or ScheduleForm(),
            action=ActionForm(),
            **context,
        ),
        status,
    )


@bp.get("/<slug>/deliver")
def confirm_delivery(slug: str) -> tuple[str, int]:
    access = load(slug, "can_deliver")
    if access.letter.status not in DELIVERABLE:
        return render_workspace(access, 409, error=ERRORS["status"])
    return _render_confirm(access)


def _confirmed(access: LetterAccess) -> bool:
    return request.form.get("confirm") == confirmation_digest(access.letter)


@bp.post("/<slug>/deliver")
def deliver(slug: str) -> BaseResponse | tuple[str, int]:
    """Close the letter and send it to every recipient (as ``flask deliver-letter`` does), once the
    coordinator has confirmed exactly these recipients and signatories."""
    access = load(slug, "can_deliver")
    if not ActionForm().validate():
        return _render_confirm(access, 400)
    if access.letter.status not in DELIVERABLE:
        return render_workspace(access, 409, error=ERRORS["status"])
    if not _confirmed(access):
        return _render_confirm(access, 409, error=ERRORS["confirm"])
    try:
        deliver_letter(access.letter.id)
    except services.LetterError as error:
        db.session.rollback()
        return render_workspace(access, 409, error=ERRORS[str(error)])
    flash(_("The letter is on its way to its recipients."), "success")
    return redirect(url_for("letters.deliveries", slug=slug), 303)


@bp.post("/<slug>/schedule")
def schedule(slug: str) -> BaseResponse | tuple[str, int]:
    """Set (or, with ``cancel``, clear) the time the periodic job delivers the letter."""
    access = load(slug, "can_deliver")
    letter = access.letter
    form = ScheduleForm()
    if letter.status not in (LetterStatus.OPEN, LetterStatus.CLOSED):
        return render_workspace(access, 409, error=ERRORS["status"])
    if request.form.get("cancel"):
        if not ActionForm().validate():
            return _render_confirm(access, 400)
        letter.deliver_at = None
        db.session.commit()
        flash(_("The scheduled delivery is cancelled."), "success")
        return redirect(url_for("letters.workspace", slug=slug), 303)
    if not form.validate():
        return _render_confirm(access, 422, schedule_form=form)
    if not _confirmed(access):
        return _render_confirm(access, 409, schedule_form=form, error=ERRORS["confirm"])
    letter.deliver_at = form.deliver_at.data
    db.session.commit()
    flash(_("The letter will be delivered at the time you set."), "success")
    return redirect(url_for("letters.workspace", slug=slug), 303)


@bp.post("/<slug>/embargo")
def embargo(slug: str) -> BaseResponse | tuple[str, int]:
    """Keep the letter's text and signatories private until delivery, or lift that."""
    access = load(slug, "can_manage")
    if not ActionForm().validate():
        return render_workspace(access, 400)
    if access.letter.status not in (LetterStatus.DRAFTING, LetterStatus.OPEN, LetterStatus.CLOSED):
        return render_workspace(access, 409, error=ERRORS["status"])
    access.letter.is_embargoed = request.form.get("embargoed") == "1"
    db.session.commit()
    flash(
        _("The letter stays private until it is delivered.")
        if access.letter.is_embargoed
        else _("The letter's text and signatories are public."),
        "success",
    )
    return redirect(url_for("letters.workspace", slug=slug, lang=g.lang), 303)
