"""The signer's mail: the confirmation link, and the reminder to someone who already signed."""

from __future__ import annotations

import secrets
from functools import lru_cache

from flask import render_template
from flask_babel import gettext as _
from flask_mail import Message
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.mail import Claimed, builder
from campaign.signatures.models import Signature

#: the signatures of the batch being sent, held so that the session's identity map keeps them
_batch: list[Signature] = []


def prefetch_signatures(rows: list[Claimed]) -> None:
    """Load a claimed batch's signatures (and their campaigns' texts) in two queries, so that
    each builder's ``session.get`` finds its signature in the session instead of asking the database."""
    _batch[:] = db.session.scalars(
        select(Signature)
        .where(Signature.id.in_({row.payload["signature_id"] for row in rows}))
        .options(selectinload(Signature.campaign).selectinload(Campaign.translations))
    ).all()


#: stand for the signer's name and link in an email rendered once per template, language and
#: campaign title; random, so that no name can contain them
_NAME_SLOT, _LINK_SLOT = secrets.token_hex(16), secrets.token_hex(16)


@lru_cache(maxsize=256)
def _rendered(template: str, lang: str, title: str) -> tuple[str, str]:
    """Text and HTML of ``template`` in ``lang`` (the locale the outbox sends it in), with slots.

    Rendering the two templates for every mail was the largest part of what a confirmation
    cost a worker.
    """
    context = {"name": _NAME_SLOT, "title": title, "link": _LINK_SLOT}
    return (
        render_template(f"email/{template}.txt", **context),
        render_template(f"email/{template}.html", **context),
    )


def _render(template: str, row: Claimed, subject: str, name: str, title: str, link: str) -> Message:
    text, html = _rendered(template, row.lang, title)
    return Message(
        subject=subject,
        recipients=[row.recipient or ""],
        body=text.replace(_NAME_SLOT, name).replace(_LINK_SLOT, link),
        html=html.replace(_NAME_SLOT, str(escape(name))).replace(_LINK_SLOT, str(escape(link))),
    )


@builder("signature_confirm", prefetch=prefetch_signatures)
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


@builder("signature_already", prefetch=prefetch_signatures)
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
