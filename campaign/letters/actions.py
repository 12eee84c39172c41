"""The letter's state changes: each one a POST with a CSRF token, checked against the user's rights.

A blueprint of their own (``letter_actions``), registered by ``create_app`` beside ``letters``
(the pages), under the same URL prefix.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import forbid
from campaign.accounts.models import Organisation
from campaign.archiving import archive_or_restore
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.access import LetterAccess, load, load_invitation, refuse_if_archived
from campaign.letters.forms import ActionForm, CommentForm, InviteForm, TextForm
from campaign.letters.languages import diff as diff_versions
from campaign.letters.languages import languages
from campaign.letters.models import LetterComment, LetterStatus, LetterVersion
from campaign.letters.views import (
    ERRORS,
    get_version,
    render_sign,
    render_version,
    render_workspace,
    signing_form,
)
from campaign.throttle import rate_limit

bp = Blueprint("letter_actions", __name__, url_prefix="/<lang>/letters")

WRITE_LIMIT = "60 per hour"


def _done(slug: str, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("letters.workspace", slug=slug), 303)


def _check_csrf() -> bool:
    return ActionForm().validate()


def _source_shown(letter_id: int, text_lang: str, default_lang: str) -> int | None:
    """The source version the translator worked from, as the edit page recorded it; None: the current."""
    if text_lang == default_lang:
        return None
    raw = request.form.get("source_version_id", "")
    source = db.session.get(LetterVersion, int(raw)) if raw.isdigit() else None
    if source is None or source.letter_id != letter_id or source.lang != default_lang:
        return None
    return source.id


@bp.route("/<slug>/text/<text_lang>", methods=["GET", "POST"])
@rate_limit(WRITE_LIMIT, methods=["POST"])
def edit(slug: str, text_lang: str) -> Response | tuple[str, int]:
    """Save a new version of one language; while open, only the coordinator may change the text.

    A translation is saved as translating the source version its editor was shown; when the
    source changed meanwhile, the translation stays marked out of date.
    """
    access = load(slug, "can_write")
    letter = access.letter
    if text_lang not in current_app.config["LANGUAGES"]:
        forbid()
    latest = services.latest_versions(letter).get(text_lang)
    state = languages(letter)
    form = TextForm(obj=latest) if request.method == "GET" else TextForm()
    may_edit = services.may_save_version(letter, access.organisation, current_user)
    own = state.states.get(text_lang)
    context = {
        "access": access,
        "letter": letter,
        "text_lang": text_lang,
        "latest": latest,
        "form": form,
        "source": state.source if text_lang != letter.default_lang else None,
        "numbers": state.numbers,
        "source_diff": diff_versions(own.translates, state.source)
        if own and own.translates and state.source and own.is_out_of_date
        else [],
        "state": own,
    }
    if request.method == "GET":
        return render_template("letters/edit.html", may_edit=may_edit, **context), 200
    if not may_edit:
        return render_template("letters/edit.html", may_edit=False, error=ERRORS["status"], **context), 409
    if not form.validate():
        return render_template("letters/edit.html", may_edit=True, **context), 422
    source_id = _source_shown(letter.id, text_lang, letter.default_lang)
    if (
        latest
        and latest.title == form.title.data
        and latest.body == form.body.data
        and (source_id is None or latest.source_version_id == source_id)
    ):
        return _done(slug, _("Nothing changed; no new version was saved."))
    services.save_version(
        letter, text_lang, form.title.data, form.body.data, current_user, access.organisation, source_id
    )
    db.session.commit()
    if letter.status == LetterStatus.OPEN:
        return _done(slug, _("Saved. Freeze the new text to put it up for sign-on."))
    return _done(slug, _("Saved as a new version."))


@bp.post("/<slug>/text/<text_lang>/drop")
def drop_language(slug: str, text_lang: str) -> Response | tuple[str, int]:
    """The coordinator takes a language out of the letter instead of bringing it up to date."""
    access = load(slug, "can_manage")
    if not _check_csrf():
        return render_workspace(access, 400)
    try:
        services.drop_language(access.letter, text_lang)
    except services.LetterError as error:
        return render_workspace(access, 409, error=ERRORS[str(error)])
    db.session.commit()
    return _done(
        slug, _("The language is dropped from the letter; its recipients get the letter's own language.")
    )


@bp.post("/<slug>/versions/<int:version_id>/comments")
@rate_limit(WRITE_LIMIT)
def comment(slug: str, version_id: int) -> Response | tuple[str, int]:
    access = load(slug)
    version = get_version(access, version_id)
    form = CommentForm()
    if not form.validate():
        return render_version(access, version, form, 422)
    parent = None
    if form.parent_id.data:
        parent = (
            db.session.get(LetterComment, int(form.parent_id.data)) if form.parent_id.data.isdigit() else None
        )
        if parent is None or parent.version_id != version.id:
            forbid()
    entry = services.comment(
        access.letter, version, current_user, access.organisation, form.body.data, parent
    )
    db.session.commit()
    return redirect(
        url_for("letters.version", slug=slug, version_id=version.id) + f"#comment-{entry.id}", 303
    )


@bp.post("/<slug>/versions/<int:version_id>/restore")
def restore(slug: str, version_id: int) -> Response | tuple[str, int]:
    """The coordinator makes an older or a partner's version current, as a new version."""
    access = load(slug, "can_manage")
    version = get_version(access, version_id)
    if not _check_csrf():
        return render_version(access, version, status=400)
    try:
        services.save_version(
            access.letter, version.lang, version.title, version.body, current_user, access.organisation
        )
    except services.LetterError:
        return render_workspace(access, 409, error=ERRORS["status"])
    db.session.commit()
    return _done(slug, _("This version is now the current text."))


@bp.post("/<slug>/participants")
def invite(slug: str) -> Response | tuple[str, int]:
    access = load(slug, "can_manage")
    form = InviteForm()
    if not form.validate():
        return render_workspace(access, 422, invite_form=form)
    organisation = db.session.scalar(
        select(Organisation).where(
            Organisation.slug == form.organisation.data, Organisation.archived_at.is_(None)
        )
    )
    if organisation is None:
        form.organisation.errors.append(_("There is no organisation with this short name."))
        return render_workspace(access, 422, invite_form=form)
    try:
        services.invite(access.letter, organisation, current_user)
    except services.LetterError as error:
        form.organisation.errors.append(str(ERRORS[str(error)]))
        return render_workspace(access, 409, invite_form=form)
    db.session.commit()
    return _done(slug, _("Invitation sent to %(name)s.", name=organisation.name(g.lang)))


@bp.route("/<slug>/invitation", methods=["GET", "POST"])
def invitation(slug: str) -> Response | tuple[str, int]:
    access = load_invitation(slug)
    if access.invitation is None:  # already accepted
        return redirect(url_for("letters.workspace", slug=slug), 303)
    role = current_user.role_in(access.invitation.organisation_id)
    context = {
        "letter": access.letter,
        "invitation": access.invitation,
        "may_accept": role in ("owner", "editor"),
    }
    if request.method == "GET":
        return render_template("letters/invitation.html", action=ActionForm(), **context), 200
    if role not in ("owner", "editor"):
        forbid()
    if not _check_csrf():
        return render_template("letters/invitation.html", action=ActionForm(), **context), 400
    services.accept(access.invitation)
    db.session.commit()
    return _done(slug, _("You have joined the letter."))


@bp.post("/<slug>/open")
def open_letter(slug: str) -> Response | tuple[str, int]:
    """Open for sign-on, or freeze a revised text; earlier signers are asked to confirm again."""
    access = load(slug, "can_manage")
    if not _check_csrf():
        return render_workspace(access, 400)
    try:
        changed = services.open_for_sign_on(access.letter)
    except services.LetterError as error:
        return render_workspace(access, 409, error=ERRORS[str(error)])
    db.session.commit()
    if changed:
        return _done(slug, _("The new text is frozen; signers were asked to confirm it again."))
    return _done(slug, _("The letter is open for sign-on."))


@bp.post("/<slug>/close")
def close(slug: str) -> Response | tuple[str, int]:
    access = load(slug, "can_manage")
    if not _check_csrf():
        return render_workspace(access, 400)
    if access.letter.status != LetterStatus.OPEN:
        return render_workspace(access, 409, error=ERRORS["status"])
    services.close(access.letter)
    db.session.commit()
    return _done(slug, _("The letter is closed for sign-on."))


@bp.route("/<slug>/sign", methods=["GET", "POST"])
@rate_limit(WRITE_LIMIT, methods=["POST"])
def sign(slug: str) -> Response | tuple[str, int]:
    """The sign-on page; its POST signs on the texts shown (a form shown before the text was
    frozen anew is refused)."""
    access = load(slug, "can_sign")
    letter = access.letter
    if request.method == "GET":
        return render_sign(access, signing_form(letter))
    form = signing_form(letter)
    refuse_if_archived(letter)
    if letter.status != LetterStatus.OPEN:
        return render_sign(access, form, 409, ERRORS["status"])
    if not form.validate():
        return render_sign(access, form, 422)
    if access.organisation is None:  # can_sign is only ever true for a member organisation
        forbid()
    if request.form.get("digest") != services.frozen_digest(letter):
        return render_sign(access, form, 409, str(ERRORS["changed"]))
    data = services.SignOnInput(
        form.representative.data,
        form.representative_title.data,
        representatives=form.representatives(),
        titles=form.titles(),
    )
    services.sign_on(letter, access.organisation, current_user, data)
    db.session.commit()
    return _done(slug, _("Your organisation has signed the letter."))


@bp.post("/<slug>/withdraw")
def withdraw(slug: str) -> Response | tuple[str, int]:
    access = load(slug, "can_sign")
    if not _check_csrf():
        return render_sign(access, signing_form(access.letter), 400)
    if access.organisation is None:  # can_sign is only ever true for a member organisation
        forbid()
    try:
        services.withdraw(access.letter, access.organisation)
    except services.LetterError:
        return render_sign(access, signing_form(access.letter), 409, ERRORS["status"])
    db.session.commit()
    return _done(slug, _("Your organisation's signature was withdrawn."))


@bp.route("/<slug>/archive", methods=["GET", "POST"])
def archive_letter(slug: str) -> Response | str:
    """GET asks for confirmation (and changes nothing); its POST archives. Staff and the
    coordinator's owners and editors may."""
    access = load(slug, "can_archive")
    if request.method == "GET":
        return render_template(
            "archive_confirm.html",
            form=ActionForm(),
            heading=_("Archive the letter “%(slug)s”?", slug=slug),
            explanation=_(
                "It disappears from the public lists and the API, its public page says it was "
                "archived, and it takes no sign-ons. Its texts, sign-ons, deliveries and evidence "
                "are kept: restoring it brings it back as it was."
            ),
            button=_("Archive the letter"),
            action=url_for("letter_actions.archive_letter", slug=slug),
            back=url_for("letters.workspace", slug=slug),
        )
    return _set_archived(access, archived=True)


@bp.post("/<slug>/restore")
def restore_letter(slug: str) -> Response:
    return _set_archived(load(slug, "can_archive"), archived=False)


def _set_archived(access: LetterAccess, archived: bool) -> Response:
    if not _check_csrf():
        abort(400)
    letter = access.letter
    return archive_or_restore(
        letter,
        archived,
        "letter",
        url_for("letters.workspace", slug=letter.slug),
        letter_id=letter.id,
        organisation_id=letter.coordinator_id,
        details={"slug": letter.slug},
    )
