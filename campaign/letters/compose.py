"""The letter exactly as it goes to one recipient: headers, text and HTML parts and the PDF.

The outbox's builder and the coordinator's preview both call :func:`compose`, so what the
coordinator confirms is what is sent. Everything is in one language: the recipient's when a
frozen version exists in it, else the letter's default (the delivery log says so). Call inside
``force_locale(lang)`` (the outbox does; the preview does it itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from flask import current_app, render_template
from flask_babel import ngettext
from flask_mail import Message

from campaign.accounts import logos
from campaign.letters.models import Letter, Recipient
from campaign.letters.pdf import Letterhead, Page, render_pdf
from campaign.letters.render import plain_text, render_body


def delivery_lang(letter: Letter, recipient: Recipient) -> tuple[str, bool]:
    """The language the recipient is sent the letter in, and whether that is a fallback."""
    if recipient.lang in letter.frozen:
        return recipient.lang, False
    return letter.default_lang, True


def sender_name(letter: Letter, lang: str, signatories: int) -> str:
    """ "ADC Memorial, on behalf of 8 organisations": the coordinator names itself and the coalition."""
    name = letter.coordinator.name(lang)
    if signatories <= 1:
        return name
    return ngettext(
        "%(name)s, on behalf of %(num)d organisation",
        "%(name)s, on behalf of %(num)d organisations",
        signatories,
        name=name,
    )


def platform_address() -> str:
    """The platform's own sending address (only the address: the display name is the letter's)."""
    configured = current_app.config.get("MAIL_DEFAULT_SENDER") or "no-reply@localhost"
    if isinstance(configured, tuple):
        return configured[1]
    return parseaddr(configured)[1] or configured


@dataclass(frozen=True)
class Outgoing:
    lang: str
    is_fallback: bool
    #: (display name, address): the writer quotes or encodes the name as it needs
    sender: tuple[str, str]
    reply_to: str | None
    to: str
    subject: str
    text: str
    html: str
    pdf: bytes
    filename: str

    def message(self) -> Message:
        message = Message(
            subject=self.subject,
            sender=self.sender,
            recipients=[self.to],
            reply_to=self.reply_to,
            body=self.text,
            html=self.html,
        )
        message.attach(self.filename, "application/pdf", self.pdf)
        return message


def compose(letter: Letter, recipient: Recipient, dated: datetime) -> Outgoing | None:
    """The email and PDF for ``recipient``; None when nothing is frozen to send."""
    lang, is_fallback = delivery_lang(letter, recipient)
    frozen = letter.frozen_versions().get(lang)
    if frozen is None:
        return None
    signatories = letter.signatories()
    coordinator = letter.coordinator
    rendering = render_body(frozen.body)
    lines = [sign_on.byline(lang) for sign_on in signatories]
    page = Page(
        lang=lang,
        reference=letter.reference,
        dated=dated,
        letterhead=Letterhead(
            name=coordinator.name(lang),
            address=coordinator.postal_address(lang),
            contact_email=coordinator.contact_email,
            website=coordinator.website,
            logo=logos.folder() / coordinator.logo if coordinator.logo else None,
        ),
        recipient_name=recipient.name_in(lang),
        recipient_title=recipient.title(lang),
        title=frozen.title,
        salutation=recipient.salutation(lang),
        body=rendering,
        signatories=lines,
        content_hash=frozen.content_hash,
    )
    context = {"page": page, "body_html": rendering.html, "body_text": plain_text(rendering), "lines": lines}
    return Outgoing(
        lang=lang,
        is_fallback=is_fallback,
        sender=(sender_name(letter, lang, len(signatories)), platform_address()),
        reply_to=coordinator.contact_email or None,
        to=recipient.email,
        subject=frozen.title,
        text=render_template("email/letter_delivery.txt", **context),
        html=render_template("email/letter_delivery.html", **context),
        pdf=render_pdf(page),
        filename=f"{letter.reference}.pdf",
    )
