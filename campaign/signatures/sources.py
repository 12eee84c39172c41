"""Where signers came from: a signature's ``source`` (the ``?ref=`` code of a partner's link),
named for people. Shared by the dashboard's breakdowns and the updates' audience, which both sit
above signatures."""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.accounts.models import Organisation
from campaign.extensions import db
from campaign.i18n import current_lang, sort_key
from campaign.signatures.models import Signature


def source_label(source: str | None) -> str:
    """A referral code as its organisation's name (the code itself if no organisation has it)."""
    if not source:
        return _("Direct (no partner link)")
    if "partner_names" not in g:
        g.partner_names = {
            org.slug: org.name(current_lang()) for org in db.session.scalars(select(Organisation))
        }
    return str(g.partner_names.get(source, source))


def campaign_sources(campaign_id: int) -> list[tuple[str, str]]:
    """(code, name) of each partner link that brought at least one signature to the campaign,
    sorted by name in the page's language."""
    codes = db.session.scalars(
        select(Signature.source)
        .where(Signature.campaign_id == campaign_id, Signature.source.is_not(None))
        .distinct()
    )
    key = sort_key(current_lang())
    return sorted(((code, source_label(code)) for code in codes if code), key=lambda item: key(item[1]))
