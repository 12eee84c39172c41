"""The signer's mail: the confirmation link, and the reminder to someone who already signed."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import NamedTuple

from flask import render_template
from flask_babel import gettext as _
from flask_mail import Message
from markupsafe import escape
from sqlalchemy import select

from campaign.campaigns.models import Campaign, CampaignTranslation
from campaign.extensions import db
from campaign.i18n import pick
from campaign.links import absolute_url
from campaign.outbox import Claimed, MailKind
from campaign.signatures.models import Signature


class _Signer(NamedTuple):
    name: str | None
    email: str | None
    campaign_id: int


class _Campaign(NamedTuple):
    """What a signer's mail says of the campaign: its link, and its title in each language."""

    slug: str
    default_lang: str
    titles: dict[str, str]

    def title(self, lang: str) -> str:
        return pick(self.titles, lang, self.default_lang)[0]


#: signature id -> its signer, and campaign id -> its campaign, for the batch being sent
_batch: dict[int, _Signer] = {}
_campaigns: dict[int, _Campaign] = {}


def prefetch_signatures(rows: list[Claimed]) -> None:
    """Read a claimed batch's signers and their campaigns' titles, the few columns the mail
    needs, in one query each (a Campaign object would bring its texts and its defender's)."""
    found = db.session.execute(
        select(Signature.id, Signature.name, Signature.email, Signature.campaign_id).where(
            Signature.id.in_({row.payload["signature_id"] for row in rows})
        )
    )
    _batch.clear()
    _batch.update(
        (signature_id, _Signer(name, email, campaign_id)) for signature_id, name, email, campaign_id in found
    )
    titles = db.session.execute(
        select(
            Campaign.id,
            Campaign.slug,
            Campaign.default_lang,
            CampaignTranslation.lang,
            CampaignTranslation.title,
        )
        .join(CampaignTranslation, CampaignTranslation.campaign_id == Campaign.id)
        .where(Campaign.id.in_({signer.campaign_id for signer in _batch.values()}))
    )
    _campaigns.clear()
    for campaign_id, slug, default_lang, lang, title in titles:
        _campaigns.setdefault(campaign_id, _Campaign(slug, default_lang, {})).titles[lang] = title


def _signer(row: Claimed, needs_address: bool = True) -> tuple[_Signer, _Campaign] | None:
    """The row's signer and campaign, or None once the signature expired (or, if the mail
    ``needs_address`` of the signature, once that was erased)."""
    if row.payload["signature_id"] not in _batch:
        prefetch_signatures([row])
    signer = _batch.get(row.payload["signature_id"])
    if signer is None or (needs_address and signer.email is None):
        return None
    return signer, _campaigns[signer.campaign_id]


#: stand for the signer's name and link in an email rendered once per template, language and
#: campaign title; random, so that no name can contain them
_NAME_SLOT, _LINK_SLOT, _MANAGE_SLOT = secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(16)


@lru_cache(maxsize=256)
def _rendered(template: str, lang: str, title: str) -> tuple[str, str]:
    """Text and HTML of ``template`` in ``lang`` (the locale the outbox sends it in), with slots.

    Rendering the two templates for every mail was the largest part of what a confirmation
    cost a worker.
    """
    context = {"name": _NAME_SLOT, "title": title, "link": _LINK_SLOT, "manage_link": _MANAGE_SLOT}
    return (
        render_template(f"email/{template}.txt", **context),
        render_template(f"email/{template}.html", **context),
    )


def _render(
    template: str, row: Claimed, subject: str, name: str, title: str, link: str, manage_link: str = ""
) -> Message:
    text, html = _rendered(template, row.lang, title)
    return Message(
        subject=subject,
        recipients=[row.recipient or ""],
        body=text.replace(_NAME_SLOT, name).replace(_LINK_SLOT, link).replace(_MANAGE_SLOT, manage_link),
        html=html.replace(_NAME_SLOT, str(escape(name)))
        .replace(_LINK_SLOT, str(escape(link)))
        .replace(_MANAGE_SLOT, str(escape(manage_link))),
    )


def confirmation(row: Claimed) -> Message | None:
    found = _signer(row)
    if found is None:
        return None  # expired or erased before we got to it
    signer, campaign = found
    title = campaign.title(row.lang)
    token = row.payload["token"]
    return _render(
        "signature_confirm",
        row,
        _("Please confirm your signature: %(title)s", title=title),
        name=signer.name or "",
        title=title,
        link=absolute_url("signatures.verify", lang=row.lang, token=token),
        manage_link=absolute_url("signer.page", lang=row.lang, token=token),
    )


def already_signed(row: Claimed) -> Message | None:
    """To the address just typed into the form (the row's recipient): the signature's own
    address is usually erased by then."""
    found = _signer(row, needs_address=False)
    if found is None:
        return None
    signer, campaign = found
    title = campaign.title(row.lang)
    link = absolute_url("campaigns.show", lang=row.lang, slug=campaign.slug)
    return _render(
        "signature_already",
        row,
        _("You have already signed: %(title)s", title=title),
        name=signer.name or "",
        title=title,
        link=link,
    )


#: how each kind of mail this module writes is built (create_app registers them with the outbox)
BUILDERS = {
    "signature_confirm": MailKind(confirmation, prefetch=prefetch_signatures),
    "signature_already": MailKind(already_signed, prefetch=prefetch_signatures),
}
