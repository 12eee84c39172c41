"""The supporter's side: unsubscribe (RFC 8058 one-click, and a page), confirming erasure, and
the public forget-me page that mails an erasure link.

Every state change is a POST. The unsubscribe link's own signed token authenticates it, so the
one-click POST a mail provider sends (no cookie, no CSRF token) works; it is exempt from CSRF
and from per-address rate limits, since providers send many from one address. The GET page
only shows buttons, because mail scanners open links.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request
from werkzeug.exceptions import TooManyRequests

from campaign.campaigns.models import Campaign
from campaign.extensions import csrf, db
from campaign.public_forms import public_form
from campaign.security import ip_hash
from campaign.signatures.models import Supporter
from campaign.throttle import throttle
from campaign.updates import supporters
from campaign.updates.forms import ForgetForm
from campaign.updates.tokens import read_unsubscribe_token

bp = Blueprint("supporters", __name__)

#: what the unsubscribe page's buttons ask for
ACTIONS = ("campaign", "all", "erase")


def _load(token: str) -> tuple[Supporter, Campaign] | None:
    ids = read_unsubscribe_token(token)
    if ids is None:
        return None
    supporter, campaign = db.session.get(Supporter, ids[0]), db.session.get(Campaign, ids[1])
    if supporter is None or campaign is None:
        return None
    return supporter, campaign


def _invalid() -> tuple[str, int]:
    return render_template("updates/link_invalid.html"), 404


@bp.get("/<lang>/unsubscribe/<token>")
def unsubscribe(token: str) -> str | tuple[str, int]:
    found = _load(token)
    if found is None:
        return _invalid()
    supporter, campaign = found
    return render_template(
        "updates/unsubscribe.html",
        title=campaign.text(g.lang)[0].title,
        is_erased=supporter.email is None,
        done=None,
    )


@bp.post("/<lang>/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token: str) -> str | tuple[str, int]:
    found = _load(token)
    if found is None:
        return _invalid()
    supporter, campaign = found
    if request.form.get("List-Unsubscribe") == "One-Click":
        action = "campaign"
    else:
        action = request.form.get("action", "campaign")
    if action not in ACTIONS:
        abort(400)
    if supporter.email is not None:
        if action == "campaign":
            supporters.unsubscribe_from_campaign(supporter, campaign.id)
        elif action == "all":
            supporters.unsubscribe_all(supporter)
        else:
            supporters.request_erasure(supporter, g.lang)
        db.session.commit()
    return render_template(
        "updates/unsubscribe.html",
        title=campaign.text(g.lang)[0].title,
        is_erased=supporter.email is None,
        done=action,
    )


@bp.get("/<lang>/erase/<token>")
def erase(token: str) -> str | tuple[str, int]:
    if supporters.find_erasure(token) is None:
        return _invalid()
    return render_template("updates/erase.html", done=False)


@bp.post("/<lang>/erase/<token>")
@public_form("erase")
def erase_post(token: str) -> str | tuple[str, int]:
    erasure = supporters.find_erasure(token)
    if erasure is None:
        return _invalid()
    supporters.confirm_erasure(erasure)
    db.session.commit()
    return render_template("updates/erase.html", done=True)


#: forget-me requests from one address per hour: each may mail someone
FORGET_PER_ADDRESS_HOUR = 5


@bp.get("/<lang>/forget")
def forget() -> str:
    return render_template("updates/forget.html", form=ForgetForm(), sent=False)


@bp.post("/<lang>/forget")
@public_form("forget")
def forget_post() -> tuple[str, int]:
    """Mail an erasure link to the address if we know it; answer the same whether we do or not."""
    if not throttle("forget", ip_hash(), FORGET_PER_ADDRESS_HOUR, 3600, fail_closed=False):
        raise TooManyRequests(retry_after=3600)
    form = ForgetForm()
    if not form.validate():
        return render_template("updates/forget.html", form=form, sent=False), 422
    supporters.request_erasure_by_address(form.email.data, g.lang)
    db.session.commit()
    return render_template("updates/forget.html", form=None, sent=True), 200
