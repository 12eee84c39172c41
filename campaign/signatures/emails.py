"""The signer's mail: the confirmation link, and the reminder to someone who already signed."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_mail import Message

from campaign.extensions import db
from campaign.links import absolute_url
from campaign.mail import Claimed, builder
from campaign.signatures.models import Signature


def _render(template: str, row: Claimed, subject: str, **context: object) -> Message:
    return Message(
        subject=subject,
        recipients=[row.recipient or ""],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )


@builder("signature_confirm")
def confirmation(row: Claimed) -> Message | None:
    signature = db.session.get(Signature, row.payload["signature_id"])
    if signature is None or signature.email is None:
        return None  # expired or erased before we got to it
    title = signature.campaign.text(row.lang)[0].title
    link = absolute_url("signatures.verify", lang=row.lang, token=row.payload["token"])
    return _render(
        "signature_confirm",
        row,
        _("Please confirm your signature: %(title)s", title=title),
        name=signature.name,
        title=title,
        link=link,
    )


@builder("signature_already")
def already_signed(row: Claimed) -> Message | None:
    signature = db.session.get(Signature, row.payload["signature_id"])
    if signature is None or signature.email is None:
        return None
    campaign = signature.campaign
    title = campaign.text(row.lang)[0].title
    link = absolute_url("campaigns.show", lang=row.lang, slug=campaign.slug)
    return _render(
        "signature_already",
        row,
        _("You have already signed: %(title)s", title=title),
        name=signature.name,
        title=title,
        link=link,
    )
