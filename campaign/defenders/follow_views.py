"""Following a defender: the form on their page, the confirmation page, unfollowing (RFC 8058).

The follow form is anonymous and sets no cookie, so it carries the cookie-free public-form token
(campaign.public_forms) rather than a session CSRF token; even a forged submission could only
mail a confirmation link, which changes nothing until its owner presses the button on the
linked page. Each address is rate-limited. A blueprint of its own, ``follow``; the form it
answers is drawn by the defender's page (``defenders.views.render_defender``).
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from campaign.defenders import follow
from campaign.defenders.forms import FollowForm
from campaign.defenders.services import get_public_defender
from campaign.defenders.views import render_defender
from campaign.extensions import csrf, db
from campaign.public_forms import public_form
from campaign.throttle import rate_limit

bp = Blueprint("follow", __name__, url_prefix="/<lang>")


@bp.post("/defenders/<slug>/follow")
@public_form("follow")
@rate_limit("5 per hour;20 per day")
def follow_defender(slug: str) -> str | tuple[str, int]:
    defender = get_public_defender(slug)
    form = FollowForm(request.form)
    if not form.validate():
        return render_defender(defender, follow_form=form, status=422)
    if not form.website.data:
        follow.ask_to_follow(defender, form.email.data, g.lang)
        db.session.commit()
    return render_template("defenders/follow_sent.html", defender=defender, text=defender.text(g.lang)[0])


def _invalid() -> tuple[str, int]:
    return render_template("defenders/follow_invalid.html"), 404


@bp.get("/follow/<token>")
def confirm_page(token: str) -> str | tuple[str, int]:
    follower = follow.find_by_token(token)
    if follower is None:
        return _invalid()
    return render_template("defenders/follow_confirm.html", follower=follower, done=False)


@bp.post("/follow/<token>")
@csrf.exempt
def confirm(token: str) -> str | tuple[str, int]:
    """Exempt from the session CSRF check: the unguessable token in the path is the proof."""
    follower = follow.find_by_token(token)
    if follower is None:
        return _invalid()
    follow.confirm(follower)
    db.session.commit()
    return render_template("defenders/follow_confirm.html", follower=follower, done=True)


@bp.get("/unfollow/<token>")
def unfollow_page(token: str) -> str | tuple[str, int]:
    follower = follow.read_unfollow_token(token)
    return render_template("defenders/unfollow.html", follower=follower, done=False)


@bp.post("/unfollow/<token>")
@csrf.exempt
def unfollow(token: str) -> str:
    """One click (RFC 8058: a POST of ``List-Unsubscribe=One-Click``) or the page's button."""
    follower = follow.read_unfollow_token(token)
    if follower is not None:
        follow.unfollow(follower)
        db.session.commit()
    return render_template("defenders/unfollow.html", follower=None, done=True)
