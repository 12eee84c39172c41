"""Letter mail: the letter itself to each recipient (with its PDF), and the notes to partners."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_mail import Message

from campaign.accounts.models import Organisation
from campaign.extensions import db
from campaign.letters.compose import compose
from campaign.letters.models import Letter, LetterComment, Recipient, RequestStatus, SignOnRequest
from campaign.links import absolute_url
from campaign.models_base import utcnow
from campaign.outbox import Claimed, MailKind, render_mail


def _title(letter: Letter, lang: str) -> str:
    frozen = letter.frozen_text(lang)
    if frozen is not None:
        return frozen[0].title
    from campaign.letters.services import latest_versions

    versions = latest_versions(letter)
    version = versions.get(lang) or versions.get(letter.default_lang)
    return version.title if version is not None else letter.slug


def delivery(row: Claimed) -> Message | None:
    letter = db.session.get(Letter, row.payload["letter_id"])
    recipient = db.session.get(Recipient, row.payload["recipient_id"])
    if letter is None or recipient is None:
        return None
    outgoing = compose(letter, recipient, letter.delivered_at or utcnow())
    return outgoing.message() if outgoing else None


def _partner_mail(
    row: Claimed, template: str, subject: Callable[[str], str], **context: object
) -> Message | None:
    letter = db.session.get(Letter, row.payload["letter_id"])
    organisation = db.session.get(Organisation, row.payload["organisation_id"])
    if letter is None or organisation is None:
        return None
    title = _title(letter, row.lang)
    return render_mail(
        template,
        row.recipient or "",
        subject(title),
        letter=letter,
        title=title,
        organisation=organisation.name(row.lang),
        workspace=absolute_url("letters.workspace", lang=row.lang, slug=letter.slug),
        **context,
    )


def invitation(row: Claimed) -> Message | None:
    letter = db.session.get(Letter, row.payload["letter_id"])
    coordinator = letter.coordinator.name(row.lang) if letter else ""
    return _partner_mail(
        row,
        "letter_invite",
        lambda title: _("Invitation to co-write a letter: %(title)s", title=title),
        coordinator=coordinator,
        link=absolute_url("letter_actions.invitation", lang=row.lang, slug=letter.slug) if letter else "",
    )


def mention(row: Claimed) -> Message | None:
    entry = db.session.get(LetterComment, row.payload["comment_id"])
    if entry is None:
        return None
    letter = db.session.get(Letter, row.payload["letter_id"])
    author = entry.author_organisation.name(row.lang) if entry.author_organisation else ""
    return _partner_mail(
        row,
        "letter_mention",
        lambda title: _("Your organisation was mentioned in a comment: %(title)s", title=title),
        author=author,
        body=entry.body,
        link=absolute_url("letters.version", lang=row.lang, slug=letter.slug, version_id=entry.version_id)
        if letter
        else "",
    )


def reconfirm(row: Claimed) -> Message | None:
    letter = db.session.get(Letter, row.payload["letter_id"])
    return _partner_mail(
        row,
        "letter_reconfirm",
        lambda title: _("The text has changed: please confirm your signature again: %(title)s", title=title),
        link=absolute_url("letter_actions.sign", lang=row.lang, slug=letter.slug) if letter else "",
    )


def delivered(row: Claimed) -> Message | None:
    letter = db.session.get(Letter, row.payload["letter_id"])
    return _partner_mail(
        row,
        "letter_delivered",
        lambda title: _("The letter has gone out: %(title)s", title=title),
        recipients=[recipient.name for recipient in letter.recipients] if letter else [],
        link=absolute_url("letters.public", lang=row.lang, slug=letter.slug) if letter else "",
    )


def _request(row: Claimed) -> SignOnRequest | None:
    return db.session.get(SignOnRequest, row.payload["request_id"])


def request_confirmation(row: Claimed) -> Message | None:
    found = _request(row)
    if found is None or found.status != RequestStatus.UNCONFIRMED:
        return None
    title = _title(found.letter, row.lang)
    return render_mail(
        "letter_request_confirm",
        row.recipient or "",
        _("Please confirm your request to sign: %(title)s", title=title),
        title=title,
        found=found,
        link=absolute_url("letter_requests.confirm_request", lang=row.lang, token=row.payload["token"]),
    )


def request_to_coordinator(row: Claimed) -> Message | None:
    found = _request(row)
    if found is None:
        return None
    return _partner_mail(
        row,
        "letter_request",
        lambda title: _("An organisation asks to sign: %(title)s", title=title),
        found=found,
    )


def request_declined(row: Claimed) -> Message | None:
    found = _request(row)
    if found is None:
        return None
    title = _title(found.letter, row.lang)
    return render_mail(
        "letter_request_declined",
        row.recipient or "",
        _("About your request to sign: %(title)s", title=title),
        title=title,
        found=found,
    )


#: how each kind of mail this module writes is built (create_app registers them with the outbox)
BUILDERS = {
    "letter_delivery": MailKind(delivery),
    "letter_invite": MailKind(invitation),
    "letter_mention": MailKind(mention),
    "letter_reconfirm": MailKind(reconfirm),
    "letter_delivered": MailKind(delivered),
    "letter_request_confirm": MailKind(request_confirmation),
    "letter_request": MailKind(request_to_coordinator),
    "letter_request_declined": MailKind(request_declined),
}
