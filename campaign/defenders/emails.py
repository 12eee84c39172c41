"""The mail of following a case: the confirmation link, and the news that a status changed.

(The mail about a published update is built in ``updates/publication.py``, which knows updates.)
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_mail import Message

from campaign.defenders.follow import find_by_token, unfollow_token
from campaign.defenders.labels import DEFENDER_STATUS
from campaign.defenders.models import Defender, Follower
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.outbox import Claimed, MailKind, render_mail

ONE_CLICK = "List-Unsubscribe=One-Click"


def follower_message(follower: Follower, title: str, template: str, **context: object) -> Message:
    """A mail to a follower, with the one-click unfollow link (RFC 8058) in its headers and text."""
    unfollow_url = absolute_url("follow.unfollow", lang=follower.lang, token=unfollow_token(follower.id))
    context |= {"unfollow_url": unfollow_url}
    message = render_mail(template, follower.email, title, **context)
    # our own URL and signed token only: Flask-Mail does not check extra headers for injection
    message.extra_headers = {"List-Unsubscribe": f"<{unfollow_url}>", "List-Unsubscribe-Post": ONE_CLICK}
    return message


def follow_confirmation(row: Claimed) -> Message | None:
    follower = find_by_token(row.payload["token"])
    if follower is None or follower.confirmed_at is not None:
        return None
    defender = db.session.get(Defender, follower.defender_id)
    if defender is None:
        return None
    name = defender.text(row.lang)[0].name
    link = absolute_url("follow.confirm_page", lang=row.lang, token=row.payload["token"])
    return render_mail(
        "follow_confirm",
        follower.email,
        _("Confirm that you want news of %(name)s", name=name),
        link=link,
        name=name,
    )


def status_changed(row: Claimed) -> Message | None:
    """The payload carries the status: the fact's row is rewritten whenever the record is saved."""
    follower = db.session.get(Follower, row.payload["follower_id"])
    if follower is None or follower.confirmed_at is None:
        return None
    defender = db.session.get(Defender, row.payload["defender_id"])
    if defender is None:
        return None
    name = defender.text(row.lang)[0].name
    status = str(DEFENDER_STATUS.get(row.payload["status"], row.payload["status"]))
    return follower_message(
        follower,
        _("%(name)s: %(status)s", name=name, status=status),
        "follow_status",
        name=name,
        status=status,
        page_url=absolute_url("defenders.show", lang=row.lang, slug=defender.slug),
    )


#: how each kind of mail this module writes is built (create_app registers them with the outbox)
BUILDERS = {
    "follow_confirm": MailKind(follow_confirmation),
    "follow_status": MailKind(status_changed),
}
