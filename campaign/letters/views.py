"""Letter pages: the public letter, my letters, a new letter, the workspace, versions, diffs.

The state-changing routes of the same blueprint live in ``actions.py``.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import forbid
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.letters import evidence, outcomes, services
from campaign.letters.access import LetterAccess, access_for, load, refuse_if_archived
from campaign.letters.forms import (
    ActionForm,
    CommentForm,
    InviteForm,
    NewLetterForm,
    PickContactForm,
    SignOnForm,
    SignOnRequestForm,
    recipient_form,
    sign_on_form,
)
from campaign.letters.labels import DELIVERY_STATUS, LETTER_STATUS
from campaign.letters.languages import changes_since, languages
from campaign.letters.languages import diff as diff_versions
from campaign.letters.models import (
    PUBLIC_STATUSES,
    Delivery,
    DeliveryStatus,
    Letter,
    LetterComment,
    LetterParticipant,
    LetterStatus,
    LetterVersion,
    RecipientContact,
    SignOnRequest,
)
from campaign.letters.outcome_models import EventKind
from campaign.models_base import utcnow
from campaign.page_cache import public_page
from campaign.throttle import rate_limit

bp = Blueprint("letters", __name__, url_prefix="/<lang>/letters")

#: what a LetterError's code means to the person who caused it
ERRORS = {
    "status": _l("The letter's status does not allow this now."),
    "no-text": _l("Write the text in the letter's language before opening it for sign-on."),
    "no-recipients": _l("Add at least one recipient before delivering the letter."),
    "already": _l("This organisation is already in the letter."),
    "out-of-date": _l(
        "A translation is out of date with the source text. Bring it up to date, or drop that "
        "language from the letter, before opening it for sign-on."
    ),
    "source": _l("The letter's own language cannot be dropped."),
    "confirm": _l(
        "The recipients, the signatories or the text changed since this page was shown. "
        "Please check them again and confirm."
    ),
    "changed": _l("The text was frozen anew while you were reading it. Please read it again and sign."),
}


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {
        "letter_status": LETTER_STATUS,
        "delivery_status": DELIVERY_STATUS,
        "frozen_digest": services.frozen_digest,
    }


def get_version(access: LetterAccess, version_id: int) -> LetterVersion:
    version = db.session.get(LetterVersion, version_id)
    if version is None or version.letter_id != access.letter.id:
        forbid()
    return version


@bp.get("/<slug>")
@public_page
def public(slug: str) -> str:
    letter = db.session.scalar(select(Letter).where(Letter.slug == slug)) if len(slug) <= 80 else None
    if letter is None:
        abort(404)
    if not letter.is_public:
        if letter.status in PUBLIC_STATUSES:
            refuse_if_archived(letter)
        forbid()
    version, is_fallback = letter.frozen_text(g.lang) or abort(404)
    if letter.is_private:
        return render_template("letters/public_embargoed.html", letter=letter, version=version)
    deliveries = db.session.scalars(
        select(Delivery).where(Delivery.letter_id == letter.id).order_by(Delivery.id)
    ).all()
    campaign = db.session.get(Campaign, letter.campaign_id) if letter.campaign_id else None
    return render_template(
        "letters/public.html",
        letter=letter,
        version=version,
        is_fallback=is_fallback,
        signatories=letter.signatories(),
        sent=[delivery for delivery in deliveries if delivery.status == DeliveryStatus.SENT],
        follow_ups={follow_up.delivery_id: follow_up for follow_up in outcomes.follow_ups(letter)},
        now=utcnow(),
        campaign=campaign if campaign and campaign.is_public else None,
        form=SignOnRequestForm(formdata=None),
        digest=services.frozen_digest(letter),
        evidence=evidence.for_letter(letter.id) if letter.status == LetterStatus.DELIVERED else None,
    )


@bp.get("/mine")
@login_required
def mine() -> str:
    """The letters of the user's organisations (every letter, for staff), but the archived ones;
    ``?archived=1``: the archived ones only."""
    show_archived = request.args.get("archived") == "1"
    query = (
        select(Letter)
        .where(Letter.is_archived if show_archived else ~Letter.is_archived)
        .order_by(Letter.created_at.desc())
    )
    if not current_user.is_staff:
        org_ids = [m.organisation_id for m in current_user.memberships]
        partnered = select(LetterParticipant.letter_id).where(LetterParticipant.organisation_id.in_(org_ids))
        query = query.where(Letter.coordinator_id.in_(org_ids) | Letter.id.in_(partnered))
    letters = db.session.scalars(query).all()
    return render_template(
        "letters/mine.html",
        letters=[(letter, access_for(letter)) for letter in letters],
        can_create=any(m.role in ("owner", "editor") for m in current_user.memberships),
        show_archived=show_archived,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
@rate_limit("20 per hour", methods=["POST"])
def new() -> Response | str | tuple[str, int]:
    choices = [
        (m.organisation_id, m.organisation.name(g.lang))
        for m in current_user.memberships
        if m.role in ("owner", "editor")
    ]
    if not choices:
        forbid()
    form = NewLetterForm(choices)
    if request.method == "GET":
        form.default_lang.data = form.default_lang.data or g.lang
        return render_template("letters/new.html", form=form)
    if not form.validate():
        return render_template("letters/new.html", form=form), 422
    if db.session.scalar(select(Letter.id).where(Letter.slug == form.slug.data)):
        form.slug.errors.append(_("This short name is taken; please choose another."))
        return render_template("letters/new.html", form=form), 409
    campaign_id = None
    if form.campaign.data:
        campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.slug == form.campaign.data))
        if campaign_id is None:
            form.campaign.errors.append(_("There is no campaign with this short name."))
            return render_template("letters/new.html", form=form), 422
    organisation = next(
        m.organisation for m in current_user.memberships if m.organisation_id == form.organisation.data
    )
    letter = services.create_letter(
        form.slug.data, organisation, current_user, form.default_lang.data, form.title.data, form.body.data
    )
    letter.campaign_id = campaign_id
    db.session.commit()
    return redirect(url_for("letters.workspace", slug=letter.slug), 303)


def render_workspace(access: LetterAccess, status: int = 200, **forms: object) -> tuple[str, int]:
    letter = access.letter
    return (
        render_template(
            "letters/workspace.html",
            access=access,
            letter=letter,
            langs=languages(letter),
            frozen=letter.frozen_versions(),
            signatories=letter.signatories(),
            pending=letter.pending_sign_ons(),
            invite_form=forms.get("invite_form") or InviteForm(),
            recipient_form=forms.get("recipient_form") or recipient_form(recipient_languages(letter)),
            pick_form=forms.get("pick_form") or PickContactForm(contact_choices()),
            requests=pending_requests(letter) if access.can_manage else [],
            action=ActionForm(),
            error=forms.get("error"),
        ),
        status,
    )


def pending_requests(letter: Letter) -> list[SignOnRequest]:
    from campaign.letters.requests import pending

    return pending(letter)


def recipient_languages(letter: Letter) -> list[str]:
    return sorted(set(services.latest_versions(letter)) | {letter.default_lang})


def contact_choices() -> list[tuple[int, str]]:
    """The address book as "Name, title (country)" choices, in the page's language."""
    contacts = db.session.scalars(
        select(RecipientContact).order_by(RecipientContact.country, RecipientContact.name)
    )
    choices = []
    for contact in contacts:
        title = contact.title(g.lang)
        label = f"{contact.name_in(g.lang)}, {title}" if title else contact.name_in(g.lang)
        choices.append((contact.id, f"{label} ({contact.country})"))
    return choices


@bp.get("/<slug>/work")
def workspace(slug: str) -> tuple[str, int]:
    return render_workspace(load(slug))


@bp.get("/<slug>/versions")
def versions(slug: str) -> str:
    access = load(slug)
    rows = db.session.scalars(
        select(LetterVersion)
        .where(LetterVersion.letter_id == access.letter.id)
        .order_by(LetterVersion.id.desc())
    ).all()
    return render_template("letters/versions.html", access=access, letter=access.letter, versions=rows)


def comment_threads(version: LetterVersion) -> list[tuple[LetterComment, int]]:
    """The version's comments in thread order, each with its depth."""
    comments = db.session.scalars(
        select(LetterComment).where(LetterComment.version_id == version.id).order_by(LetterComment.id)
    ).all()
    children: dict[int | None, list[LetterComment]] = {}
    for entry in comments:
        children.setdefault(entry.parent_id, []).append(entry)
    ordered: list[tuple[LetterComment, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for entry in children.get(parent_id, []):
            ordered.append((entry, depth))
            walk(entry.id, min(depth + 1, 6))

    walk(None, 0)
    return ordered


def render_version(
    access: LetterAccess, version: LetterVersion, form: CommentForm | None = None, status: int = 200
) -> tuple[str, int]:
    return (
        render_template(
            "letters/version.html",
            access=access,
            letter=access.letter,
            version=version,
            comments=comment_threads(version),
            form=form or CommentForm(),
            action=ActionForm(),
        ),
        status,
    )


@bp.get("/<slug>/versions/<int:version_id>")
def version(slug: str, version_id: int) -> tuple[str, int]:
    access = load(slug)
    return render_version(access, get_version(access, version_id))


@bp.get("/<slug>/diff")
def diff(slug: str) -> str:
    access = load(slug)
    old = get_version(access, request.args.get("from", type=int) or 0)
    new_version = get_version(access, request.args.get("to", type=int) or 0)
    return render_template(
        "letters/diff.html",
        access=access,
        letter=access.letter,
        old=old,
        new=new_version,
        lines=diff_versions(old, new_version),
        numbers=languages(access.letter).numbers,
    )


def signing_form(letter: Letter, **kwargs: object) -> SignOnForm:
    return sign_on_form(sorted(lang for lang in letter.frozen if lang != letter.default_lang), **kwargs)


def render_sign(
    access: LetterAccess, form: SignOnForm, status: int = 200, error: str | None = None
) -> tuple[str, int]:
    letter = access.letter
    if access.organisation is None:  # signing pages are only for a member organisation
        forbid()
    mine_ = next((s for s in letter.sign_ons if s.organisation_id == access.organisation.id), None)
    if mine_ and not form.is_submitted():
        form.representative.data = mine_.representative
        form.representative_title.data = mine_.representative_title
        for lang in form.languages:
            line = mine_.lines.get(lang, {})
            if line.get("representative") != mine_.representative:
                form[f"representative_{lang}"].data = line.get("representative", "")
            if line.get("title") != mine_.representative_title:
                form[f"representative_title_{lang}"].data = line.get("title", "")
    frozen = letter.frozen_versions()
    is_current = bool(mine_ and mine_.has_signed(letter.frozen_hashes()))
    return (
        render_template(
            "letters/sign.html",
            access=access,
            letter=letter,
            frozen=frozen,
            sign_on=mine_,
            is_current=is_current,
            changes=changes_since(letter, mine_.hashes) if mine_ and not is_current else [],
            form=form,
            action=ActionForm(),
            error=error,
        ),
        status,
    )


@bp.get("/<slug>/deliveries")
def deliveries(slug: str) -> str:
    access = load(slug)
    rows = db.session.scalars(
        select(Delivery).where(Delivery.letter_id == access.letter.id).order_by(Delivery.id)
    ).all()
    follow_ups = {follow_up.delivery_id: follow_up for follow_up in outcomes.follow_ups(access.letter)}
    #: the deliveries by hand or post beside each email, with their day
    handed = {
        delivery_id: [
            (event, date.fromisoformat(str(event.details["on"])))
            for event in follow_up.events
            if event.kind == EventKind.HANDED
        ]
        for delivery_id, follow_up in follow_ups.items()
    }
    return render_template(
        "letters/deliveries.html",
        access=access,
        letter=access.letter,
        deliveries=rows,
        follow_ups=follow_ups,
        handed=handed,
        now=utcnow(),
        action=ActionForm(),
    )
