"""Signing, the "check your mail" page, and the confirmation link."""

from __future__ import annotations

import re

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from campaign.accounts.models import Organisation
from campaign.campaigns.services import signing_state
from campaign.campaigns.views import get_public_campaign, render_campaign_page
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.request_guards import refuses_control_characters
from campaign.security import hash_token, ip_hash
from campaign.signatures import counts, services
from campaign.signatures.forms import SignForm
from campaign.signatures.models import Signature

bp = Blueprint("signatures", __name__)

REF_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def _is_partner(ref: str) -> bool:
    """A referral code counts only if it is a partner organisation's slug."""
    return db.session.scalar(select(Organisation.id).where(Organisation.slug == ref)) is not None


@bp.post("/<lang>/campaigns/<slug>")
@refuses_control_characters
def sign(slug: str) -> Response | tuple[str, int]:
    hashed_ip = ip_hash()
    limits = services.check_limits(slug, hashed_ip)
    if limits.retry_after is not None:
        raise TooManyRequests(retry_after=limits.retry_after)
    form = SignForm()
    if form.validate() and not form.website.data:  # website is the honeypot
        ref = request.form.get("ref", "").strip().lower()
        data = services.SignatureInput(
            name=form.name.data,
            email=form.email.data,
            country=form.country.data,
            lang=g.lang,
            is_name_public=form.show_name.data,
            wants_updates=form.consent_updates.data,
            source=ref if REF_PATTERN.fullmatch(ref) and _is_partner(ref) else None,
            ip_hash=hashed_ip,
            is_fraudulent=limits.is_fraudulent,
        )
        if services.sign(slug, data):
            db.session.commit()
            return redirect(url_for("signatures.check_email", slug=slug), 303)
    # the rarer answers, which depend on the campaign's state
    state = signing_state(slug)
    if state is None:
        abort(404)
    if not state.is_open:
        notice = _("This campaign no longer takes signatures.")
        return render_campaign_page(get_public_campaign(slug), form, 409, notice=notice)
    if form.errors:
        return render_campaign_page(get_public_campaign(slug), form, 422)
    return redirect(url_for("signatures.check_email", slug=slug), 303)  # a bot: as if it worked


@bp.get("/<lang>/campaigns/<slug>/check-email")
def check_email(slug: str) -> str:
    campaign = get_public_campaign(slug)
    return render_template("signatures/check_email.html", campaign=campaign, text=campaign.text(g.lang)[0])


@bp.get("/<lang>/verify/<token>")
def verify(token: str) -> tuple[str, int]:
    if len(token) > 100:
        abort(404)
    signature = db.session.scalar(select(Signature).where(Signature.token_hash == hash_token(token)))
    if signature is None:
        return render_template("signatures/verify_invalid.html"), 404
    campaign = signature.campaign
    was_pending = services.confirm(signature)
    db.session.commit()
    if was_pending and signature.is_counted:
        counts.bump(campaign.id, signature.country)
    return (
        render_template(
            "signatures/confirmed.html",
            campaign=campaign,
            text=campaign.text(g.lang)[0],
            already=not was_pending,
            share_url=absolute_url("campaigns.show", lang=g.lang, slug=campaign.slug),
        ),
        200,
    )
