"""After delivery: each recipient's follow-up page (outcome, deadline, publication, hand delivery,
redelivery, a prepared update for supporters) and the page of every answer still awaited.

Organisations in the letter record outcomes and hand deliveries; the coordinator (or staff) sets
deadlines, chooses what is public, redelivers and prepares updates. Every change is a POST with
a CSRF token; a private note is shown only to the organisation that wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response

from campaign.accounts.access import forbid
from campaign.accounts.models import Organisation
from campaign.campaigns.models import Campaign
from campaign.errors import handle_http_error
from campaign.extensions import db
from campaign.letters import outcomes, scans
from campaign.letters.access import LetterAccess, load
from campaign.letters.forms import ActionForm
from campaign.letters.labels import CHANNEL_LABELS, STATUS_LABELS
from campaign.letters.models import Delivery, Letter, LetterStatus
from campaign.letters.outcome_forms import (
    DeadlineForm,
    HandedForm,
    OutcomeForm,
    PublicationForm,
    RedeliverForm,
)
from campaign.letters.outcome_models import FollowUp, FollowUpEvent
from campaign.models_base import utcnow
from campaign.paper.services import ScanError
from campaign.request_guards import accepts_files
from campaign.throttle import rate_limit

bp = Blueprint("letter_outcomes", __name__, url_prefix="/<lang>/letters")

WRITE_LIMIT = "60 per hour"
SCAN_REFUSALS = {
    "too-large": _l(
        "The scan is larger than %(size)d MB. Please upload a smaller file: a picture at a lower "
        "resolution, or a PDF of fewer pages.",
        size=scans.MAX_MB,
    ),
    "format": _l("The scan must be a PDF file or a JPEG or PNG picture."),
    "pdf-broken": _l(
        "This PDF cannot be read: it is damaged or incomplete. Please save it again and upload it once more."
    ),
    "pdf-encrypted": _l(
        "This PDF is encrypted or protected by a password. Please upload a copy without the protection."
    ),
    "pdf-pages": _l("A PDF must have between 1 and %(max)d pages.", max=scans.MAX_PDF_PAGES),
}
#: how a stored scan is served, by its name's suffix: a PDF always as a download
SCAN_TYPES = {"jpg": (scans.JPEG_SUFFIX, "image/jpeg"), "pdf": (scans.PDF_SUFFIX, "application/pdf")}


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {"outcome_labels": STATUS_LABELS, "channel_labels": CHANNEL_LABELS}


def _follow_up(access: LetterAccess, delivery_id: int) -> FollowUp:
    follow_up = db.session.scalar(select(FollowUp).where(FollowUp.delivery_id == delivery_id))
    if follow_up is None or follow_up.delivery.letter_id != access.letter.id:
        forbid()
    return follow_up


def _render(access: LetterAccess, follow_up: FollowUp, status: int = 200, **forms: object) -> tuple[str, int]:
    defaults: dict[str, object] = {
        "outcome_form": OutcomeForm(formdata=None, outcome=follow_up.outcome),
        "deadline_form": DeadlineForm(formdata=None, days=follow_up.deadline_days),
        "publication_form": PublicationForm(
            formdata=None,
            registration=follow_up.is_registration_public,
            response=follow_up.is_response_public,
        ),
        "handed_form": HandedForm(formdata=None),
        "redeliver_form": RedeliverForm(formdata=None, email=follow_up.delivery.recipient.email),
    }
    now = utcnow()
    letter = access.letter
    ids = {event.organisation_id for event in follow_up.events if event.organisation_id}
    campaign = db.session.get(Campaign, letter.campaign_id) if letter.campaign_id else None
    return (
        render_template(
            "letters/follow_up.html",
            access=access,
            letter=access.letter,
            follow_up=follow_up,
            delivery=follow_up.delivery,
            now=now,
            events=outcomes.visible_events(
                follow_up, access.organisation.id if access.organisation else None
            ),
            organisations={
                o.id: o.name(g.lang)
                for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids or {-1})))
            },
            campaign_slug=campaign.slug if campaign else None,
            has_news=campaign is not None and outcomes.has_news(follow_up, now),
            action=ActionForm(formdata=None),
            **(defaults | forms),
        ),
        status,
    )


#: the forms that carry a scan, by the view that receives them, and their name on the page
SCAN_FORMS: dict[str, tuple[str, type[OutcomeForm] | type[HandedForm]]] = {
    "letter_outcomes.record_outcome": ("outcome_form", OutcomeForm),
    "letter_outcomes.record_handed": ("handed_form", HandedForm),
}


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A scan past the request's size limit, refused before any view reads it: the follow-up page
    again, with the form's scan field saying how large a scan may be (never the generic page)."""
    found = SCAN_FORMS.get(request.endpoint or "")
    args = request.view_args or {}
    if found is None or "slug" not in args or "delivery_id" not in args:
        return handle_http_error(error)
    name, form_class = found
    try:
        access = load(args["slug"], "can_write")
        follow_up = _follow_up(access, args["delivery_id"])
    except HTTPException as refused:  # not logged in, or not theirs: as the view would answer
        return refused.response if refused.response is not None else handle_http_error(refused)
    form = form_class(formdata=None)
    form.scan.errors = [str(SCAN_REFUSALS["too-large"])]
    return _render(access, follow_up, 413, **{name: form})


@dataclass(frozen=True)
class _Step:
    """A follow-up form as posted: the participant's access, the follow-up, its stored scan; or
    the ``page`` to answer with instead (the follow-up again, the form's errors shown)."""

    access: LetterAccess
    found: FollowUp
    scan: str | None = None
    page: tuple[str, int] | None = None


def _submitted(
    slug: str, delivery_id: int, need: str, form: FlaskForm, name: str, status: int = 422
) -> _Step:
    """Load what the form changes for someone who ``need``s a right, validate it, save its scan."""
    access = load(slug, need)
    found = _follow_up(access, delivery_id)
    if not form.validate():
        return _Step(access, found, page=_render(access, found, status, **{name: form}))
    if not isinstance(form, OutcomeForm | HandedForm):
        return _Step(access, found)
    try:
        return _Step(access, found, scan=_scan(form))
    except ScanError:
        return _Step(access, found, page=_render(access, found, 422, **{name: form}))


def _done(slug: str, delivery_id: int, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("letter_outcomes.follow_up", slug=slug, delivery_id=delivery_id), 303)


def _scan(form: OutcomeForm | HandedForm) -> str | None:
    """The uploaded scan saved (a picture re-encoded, a PDF rewritten without active content),
    or None; a refusal lands in the field's errors."""
    if not form.scan.data:
        return None
    try:
        return scans.save(form.scan.data, scans.scan_dir())
    except ScanError as refused:
        form.scan.errors = [str(SCAN_REFUSALS[str(refused)])]
        raise


@bp.get("/<slug>/deliveries/<int:delivery_id>")
def follow_up(slug: str, delivery_id: int) -> tuple[str, int]:
    access = load(slug)
    return _render(access, _follow_up(access, delivery_id))


@bp.post("/<slug>/deliveries/<int:delivery_id>/outcome")
@accepts_files("scan")
@rate_limit(WRITE_LIMIT)
def record_outcome(slug: str, delivery_id: int) -> Response | tuple[str, int]:
    form = OutcomeForm()
    step = _submitted(slug, delivery_id, "can_write", form, "outcome_form")
    if step.page:
        return step.page
    data = outcomes.OutcomeInput(
        form.outcome.data,
        form.occurred_on.data,
        form.registration_number.data or "",
        form.response.data or "",
        form.note.data or "",
        step.scan,
    )
    outcomes.record_outcome(step.found, data, current_user, step.access.organisation)
    db.session.commit()
    return _done(slug, delivery_id, _("The outcome is recorded."))


@bp.post("/<slug>/deliveries/<int:delivery_id>/deadline")
def set_deadline(slug: str, delivery_id: int) -> Response | tuple[str, int]:
    form = DeadlineForm()
    step = _submitted(slug, delivery_id, "can_deliver", form, "deadline_form")
    if step.page:
        return step.page
    outcomes.set_deadline(step.found, form.days.data, current_user, step.access.organisation)
    db.session.commit()
    return _done(slug, delivery_id, _("The deadline is changed."))


@bp.post("/<slug>/deliveries/<int:delivery_id>/publication")
def set_publication(slug: str, delivery_id: int) -> Response | tuple[str, int]:
    form = PublicationForm()
    step = _submitted(slug, delivery_id, "can_deliver", form, "publication_form", status=400)
    if step.page:
        return step.page
    outcomes.set_publication(
        step.found, form.registration.data, form.response.data, current_user, step.access.organisation
    )
    db.session.commit()
    return _done(slug, delivery_id, _("The public page shows what you chose."))


@bp.post("/<slug>/deliveries/<int:delivery_id>/handed")
@accepts_files("scan")
@rate_limit(WRITE_LIMIT)
def record_handed(slug: str, delivery_id: int) -> Response | tuple[str, int]:
    form = HandedForm()
    step = _submitted(slug, delivery_id, "can_write", form, "handed_form")
    if step.page:
        return step.page
    data = outcomes.HandedInput(
        form.channel.data,
        form.delivered_on.data,
        form.by_whom.data,
        form.place.data or "",
        form.tracking.data or "",
        form.note.data or "",
        step.scan,
    )
    outcomes.record_handed(step.found, data, current_user, step.access.organisation)
    db.session.commit()
    return _done(slug, delivery_id, _("The delivery is recorded."))


@bp.post("/<slug>/deliveries/<int:delivery_id>/redeliver")
@rate_limit("20 per hour")
def redeliver(slug: str, delivery_id: int) -> Response | tuple[str, int]:
    """Send the letter again to this recipient only, at the corrected address."""
    access = load(slug, "can_deliver")
    found = _follow_up(access, delivery_id)
    form = RedeliverForm()
    if not form.validate():
        return _render(access, found, 422, redeliver_form=form)
    if found.delivery.status not in outcomes.REDELIVERABLE:
        return _render(access, found, 409, error=_("Only a delivery the server refused can be sent again."))
    try:
        outcomes.redeliver(found, form.email.data, current_user, access.organisation)
    except ValueError:
        db.session.rollback()
        return _render(access, found, 409, error=_("Only a delivery the server refused can be sent again."))
    db.session.commit()
    return _done(slug, delivery_id, _("The letter is on its way to this recipient again."))


@bp.post("/<slug>/deliveries/<int:delivery_id>/update")
def prepare_update(slug: str, delivery_id: int) -> Response | tuple[str, int]:
    """A draft update to the campaign's supporters, for staff to review, test and send."""
    access = load(slug, "can_deliver")
    found = _follow_up(access, delivery_id)
    if not ActionForm().validate():
        return _render(access, found, 400)
    if access.letter.campaign_id is None or not outcomes.has_news(found, utcnow()):
        return _render(access, found, 409, error=_("There is nothing to tell the campaign's supporters yet."))
    outcomes.prepare_update(found, current_user, access.organisation)
    db.session.commit()
    return _done(slug, delivery_id, _("A draft update is prepared."))


def _send_scan(name: str | None, kind: str, download_name: str, max_age: int) -> Response:
    """The stored scan, if it is of the kind the URL names; a PDF as an attachment, never
    opened inside our pages (the browser's viewer would run in our origin)."""
    suffix, mimetype = SCAN_TYPES[kind]
    if not name or not name.endswith(suffix):
        abort(404)
    response = send_file(
        scans.scan_dir() / name,
        mimetype=mimetype,
        as_attachment=kind == "pdf",
        download_name=f"{download_name}{suffix}",
        max_age=max_age,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<slug>/deliveries/<int:delivery_id>/scans/<int:event_id>.<any(jpg, pdf):kind>")
def scan(slug: str, delivery_id: int, event_id: int, kind: str) -> Response:
    access = load(slug)
    found = _follow_up(access, delivery_id)
    event = db.session.get(FollowUpEvent, event_id)
    if event is None or event.follow_up_id != found.id:
        abort(404)
    return _send_scan(event.scan, kind, f"{slug}-scan-{event_id}", 0)


@bp.get("/<slug>/answers/<int:delivery_id>.<any(jpg, pdf):kind>")
def public_answer(slug: str, delivery_id: int, kind: str) -> Response:
    """The scan of an answer the coordinator published, on the public letter page."""
    letter = db.session.scalar(
        select(Letter).where(Letter.slug == slug, Letter.status == LetterStatus.DELIVERED)
    )
    found = db.session.scalar(select(FollowUp).where(FollowUp.delivery_id == delivery_id))
    if (
        letter is None
        or found is None
        or found.delivery.letter_id != letter.id
        or not found.is_response_public
    ):
        abort(404)
    return _send_scan(found.response_scan, kind, f"{slug}-answer-{delivery_id}", 300)


@bp.get("/awaiting")
@login_required
def awaiting() -> str:
    """Across every letter the user's organisations take part in: each recipient still owed an
    answer (or whose email was refused), with the days left or overdue."""
    now = utcnow()
    letter_ids = (
        None
        if current_user.is_staff
        else outcomes.letters_of([m.organisation_id for m in current_user.memberships])
    )
    rows = outcomes.awaiting(letter_ids, now)
    letters = {
        letter.id: letter
        for letter in db.session.scalars(
            select(Letter).where(Letter.id.in_({row.delivery.letter_id for row in rows} or {-1}))
        )
    }
    return render_template("letters/awaiting.html", rows=rows, letters=letters, now=now, Delivery=Delivery)
