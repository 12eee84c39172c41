"""A letter's recipients (added, picked from the address book, edited, removed until delivery)
and the address book itself, which staff keep.

A blueprint of its own (``letter_recipients``), registered by ``create_app`` beside ``letters``.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from campaign.accounts.access import forbid, staff_required
from campaign.extensions import db
from campaign.letters import recipients
from campaign.letters.access import LetterAccess, load
from campaign.letters.forms import ActionForm, PickContactForm, recipient_form
from campaign.letters.models import Recipient, RecipientContact
from campaign.letters.services import LetterError
from campaign.letters.views import ERRORS, contact_choices, recipient_languages, render_workspace
from campaign.throttle import rate_limit

bp = Blueprint("letter_recipients", __name__, url_prefix="/<lang>/letters")

WRITE_LIMIT = "60 per hour"


def _done(slug: str, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("letters.workspace", slug=slug), 303)


def _recipient(access: LetterAccess, recipient_id: int) -> Recipient:
    recipient = db.session.get(Recipient, recipient_id)
    if recipient is None or recipient.letter_id != access.letter.id:
        forbid()
    return recipient


@bp.post("/<slug>/recipients")
@rate_limit(WRITE_LIMIT)
def add_recipient(slug: str) -> Response | tuple[str, int]:
    access = load(slug, "can_manage")
    form = recipient_form(recipient_languages(access.letter))
    if not form.validate():
        return render_workspace(access, 422, recipient_form=form)
    try:
        recipients.add_recipient(access.letter, form.input())
    except LetterError:
        return render_workspace(access, 409, recipient_form=form, error=ERRORS["status"])
    db.session.commit()
    return _done(slug, _("Recipient added."))


@bp.post("/<slug>/recipients/pick")
@rate_limit(WRITE_LIMIT)
def pick_recipient(slug: str) -> Response | tuple[str, int]:
    access = load(slug, "can_manage")
    form = PickContactForm(contact_choices())
    if not form.validate():
        return render_workspace(access, 422, pick_form=form)
    contact = db.session.get(RecipientContact, form.contact_id.data)
    if contact is None:
        forbid()
    try:
        recipients.add_from_contact(access.letter, contact)
    except LetterError:
        return render_workspace(access, 409, pick_form=form, error=ERRORS["status"])
    db.session.commit()
    return _done(slug, _("Recipient added."))


@bp.route("/<slug>/recipients/<int:recipient_id>", methods=["GET", "POST"])
@rate_limit(WRITE_LIMIT, methods=["POST"])
def edit_recipient(slug: str, recipient_id: int) -> Response | tuple[str, int]:
    access = load(slug, "can_manage")
    recipient = _recipient(access, recipient_id)
    languages = recipient_languages(access.letter)
    if request.method == "GET":
        form = recipient_form(languages, data=recipients.input_from(recipient))
        return render_template("letters/recipient.html", access=access, letter=access.letter, form=form), 200
    form = recipient_form(languages)
    if not form.validate():
        return render_template("letters/recipient.html", access=access, letter=access.letter, form=form), 422
    try:
        recipients.update_recipient(recipient, form.input())
    except LetterError:
        return render_workspace(access, 409, error=ERRORS["status"])
    db.session.commit()
    return _done(slug, _("Recipient saved."))


@bp.post("/<slug>/recipients/<int:recipient_id>/delete")
def remove_recipient(slug: str, recipient_id: int) -> Response | tuple[str, int]:
    access = load(slug, "can_manage")
    recipient = _recipient(access, recipient_id)
    if not ActionForm().validate():
        return render_workspace(access, 400)
    try:
        recipients.remove_recipient(recipient)
    except LetterError:
        return render_workspace(access, 409, error=ERRORS["status"])
    db.session.commit()
    return _done(slug, _("Recipient removed."))


# -- the address book ---------------------------------------------------------------------------


def _languages() -> list[str]:
    from flask import current_app

    return list(current_app.config["LANGUAGES"])


@bp.get("/address-book")
@staff_required()
def address_book() -> str:
    contacts = db.session.scalars(
        db.select(RecipientContact).order_by(RecipientContact.country, RecipientContact.name)
    )
    return render_template("letters/address_book.html", contacts=list(contacts), action=ActionForm())


def _render_contact(form: object, contact: RecipientContact | None, status: int) -> tuple[str, int]:
    return render_template("letters/contact.html", form=form, contact=contact, action=ActionForm()), status


@bp.route("/address-book/new", methods=["GET", "POST"])
@staff_required()
@rate_limit(WRITE_LIMIT, methods=["POST"])
def new_contact() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _render_contact(recipient_form(_languages(), with_notes=True), None, 200)
    form = recipient_form(_languages(), with_notes=True)
    if not form.validate():
        return _render_contact(form, None, 422)
    recipients.save_contact(None, form.input())
    db.session.commit()
    flash(_("Saved in the address book."), "success")
    return redirect(url_for("letter_recipients.address_book"), 303)


def _contact(contact_id: int) -> RecipientContact:
    contact = db.session.get(RecipientContact, contact_id)
    if contact is None:
        forbid()
    return contact


@bp.route("/address-book/<int:contact_id>", methods=["GET", "POST"])
@staff_required()
@rate_limit(WRITE_LIMIT, methods=["POST"])
def edit_contact(contact_id: int) -> Response | tuple[str, int]:
    contact = _contact(contact_id)
    if request.method == "GET":
        form = recipient_form(_languages(), with_notes=True, data=recipients.input_from(contact))
        return _render_contact(form, contact, 200)
    form = recipient_form(_languages(), with_notes=True)
    if not form.validate():
        return _render_contact(form, contact, 422)
    recipients.save_contact(contact, form.input())
    db.session.commit()
    flash(_("Saved in the address book."), "success")
    return redirect(url_for("letter_recipients.address_book"), 303)


@bp.post("/address-book/<int:contact_id>/delete")
@staff_required()
def delete_contact(contact_id: int) -> Response | tuple[str, int]:
    """Letters that picked the entry keep their own copy of the recipient."""
    contact = _contact(contact_id)
    if not ActionForm().validate():
        return _render_contact(recipient_form(_languages(), with_notes=True), contact, 400)
    db.session.delete(contact)
    db.session.commit()
    flash(_("Removed from the address book."), "success")
    return redirect(url_for("letter_recipients.address_book"), 303)
