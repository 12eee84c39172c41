"""Signing, the "check your mail" page, and the confirmation link.

The campaign page's URL has one view, ``campaigns.show``: its POST is :func:`sign`, which
answers the rarer cases with that page (hence the two modules import each other, by module).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from campaign import metrics, public_forms
from campaign.accounts.models import Organisation
from campaign.campaigns import views as pages
from campaign.campaigns.models import Campaign
from campaign.campaigns.services import signing_state
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.security import hash_token, ip_hash
from campaign.signatures import services
from campaign.signatures.forms import SignForm
from campaign.signatures.models import Signature, SignatureStatus

bp = Blueprint("signatures", __name__)

REF_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def _is_partner(ref: str) -> bool:
    """A referral code counts only if it is a partner organisation's slug."""
    return db.session.scalar(select(Organisation.id).where(Organisation.slug == ref)) is not None


#: answers the signing form with its page: (campaign, form, status, notice)
RenderForm = Callable[[Campaign, SignForm, int, str], Response | tuple[str, int]]


def _render_campaign_page(campaign: Campaign, form: SignForm, status: int, notice: str) -> tuple[str, int]:
    return pages.render_campaign_page(campaign, form, status, notice=notice)


def sign(
    slug: str, render: RenderForm = _render_campaign_page, done: str = "signatures.check_email"
) -> Response | tuple[str, int]:
    """Sign ``slug``'s campaign from the posted form; a failure is answered by ``render`` (the
    campaign page, or the embed frame), a success (or a bot) by a redirect to ``done``."""
    form = SignForm()
    # validated before it is counted: only a valid signature counts toward the fraud threshold
    is_valid = form.validate() and not form.website.data  # website is the honeypot
    hashed_ip = ip_hash()
    limits = services.check_limits(slug, hashed_ip, is_valid)
    if limits.retry_after is not None:
        raise TooManyRequests(retry_after=limits.retry_after)
    try:
        public_forms.check("sign")
    except public_forms.FormExpired as expired:
        # what the signer typed comes back with a fresh form: nothing to type again
        return render(pages.get_public_campaign(slug), form, 400, str(expired.description))
    if is_valid:
        ref = request.form.get("ref", "").strip().lower()
        source = ref if REF_PATTERN.fullmatch(ref) and _is_partner(ref) else None
        data = services.SignatureInput(
            name=form.name.data,
            email=form.email.data,
            country=form.country.data,
            lang=g.lang,
            is_name_public=form.show_name.data,
            wants_updates=form.consent_updates.data,
            # the box is drawn only on a partner's link: without one there is no partner to consent to
            partner_may_contact=bool(form.partner_may_contact.data) and source is not None,
            source=source,
            ip_hash=hashed_ip,
            is_over_limit=limits.is_over_limit,
            message=form.message.data or None,
            is_message_public=form.message_public.data,
        )
        if services.sign(slug, data):
            db.session.commit()
            metrics.signature_accepted()
            # the partner's link goes on: the embed's "back" leads to the partner's own form
            return redirect(url_for(done, slug=slug, ref=data.source), 303)
    # the rarer answers, which depend on the campaign's state
    state = signing_state(slug)
    if state is None:
        pages.get_public_campaign(slug)  # 410 with its message when archived: nothing was stored
        abort(404)
    if not state.is_open:
        notice = _("This campaign no longer takes signatures.")
        return render(pages.get_public_campaign(slug), form, 409, notice)
    if form.errors:
        return render(pages.get_public_campaign(slug), form, 422, "")
    return redirect(url_for(done, slug=slug), 303)  # a bot: as if it worked


@bp.get("/<lang>/campaigns/<slug>/check-email")
def check_email(slug: str) -> str:
    campaign = pages.get_public_campaign(slug)
    return render_template("signatures/check_email.html", campaign=campaign, text=campaign.text(g.lang)[0])


def _signature_for(token: str) -> Signature | None:
    if len(token) > 100:
        return None
    return db.session.scalar(select(Signature).where(Signature.token_hash == hash_token(token)))


def _confirmed_page(signature: Signature, token: str, already: bool) -> tuple[str, int]:
    campaign = signature.campaign
    return (
        render_template(
            "signatures/confirmed.html",
            campaign=campaign,
            text=campaign.text(g.lang)[0],
            already=already,
            share_url=absolute_url("campaigns.show", lang=g.lang, slug=campaign.slug),
            manage_url=url_for("signer.page", token=token),
            receipt_url=url_for("receipts.receipt", token=token),
        ),
        200,
    )


@bp.get("/<lang>/verify/<token>")
def verify(token: str) -> tuple[str, int]:
    """The emailed link: a page with a button, never a confirmation by itself, since mail
    scanners and link previews open every link in a message before its reader does."""
    signature = _signature_for(token)
    if signature is None:
        return render_template("signatures/verify_invalid.html"), 404
    if signature.status != SignatureStatus.PENDING:
        return _confirmed_page(signature, token, already=True)
    campaign = signature.campaign
    pages.refuse_if_archived(campaign)
    return render_template("signatures/verify.html", campaign=campaign, text=campaign.text(g.lang)[0]), 200


@bp.post("/<lang>/verify/<token>")
@public_forms.public_form("verify")
def verify_post(token: str) -> tuple[str, int]:
    signature = _signature_for(token)
    if signature is None:
        return render_template("signatures/verify_invalid.html"), 404
    if signature.status == SignatureStatus.PENDING:
        # confirmed once it is restored (the link stays good): until then its count stands still
        pages.refuse_if_archived(signature.campaign)
    was_pending = services.confirm(signature)
    db.session.commit()  # and the live count moves
    if was_pending:
        metrics.signature_confirmed(is_held=signature.status == SignatureStatus.HELD)
    return _confirmed_page(signature, token, already=not was_pending)
