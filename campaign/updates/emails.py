"""Update emails (and their tests), and the erasure confirmation, built from outbox rows.

An update's text is fixed once it is sending, so its rendered parts are kept per process
while a worker sends thousands of them; whether each recipient still wants it is checked
again for every message, so an unsubscribe or an erasure after the fan-out still counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _
from flask_mail import Message
from sqlalchemy import select

from campaign.extensions import db
from campaign.links import absolute_url
from campaign.mail import OutboxMessage, builder
from campaign.signatures.models import Supporter
from campaign.text import render_markdown
from campaign.updates.audience import recipient_email
from campaign.updates.models import SENDING, SENT, ErasureRequest, Update
from campaign.updates.tokens import unsubscribe_token

#: the header RFC 8058 asks for beside List-Unsubscribe: the link unsubscribes on a POST
ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class Content:
    campaign_id: int
    campaign_slug: str
    default_lang: str
    #: lang -> (subject, Markdown body)
    texts: dict[str, tuple[str, str]]
    #: lang -> the campaign's title
    titles: dict[str, str]
    campaign_default_lang: str

    def text(self, lang: str) -> tuple[str, str]:
        return self.texts.get(lang) or self.texts[self.default_lang]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get(self.campaign_default_lang, "")


#: (update id, when sending started) -> its content; the start time tells a reused id apart
_contents: dict[tuple[int, datetime], Content] = {}


def content(update_id: int) -> Content | None:
    """The update's text and campaign titles; one light query when this process has them already."""
    started_at = db.session.scalar(
        select(Update.started_at).where(Update.id == update_id, Update.status.in_((SENDING, SENT)))
    )
    if started_at is not None and (update_id, started_at) in _contents:
        return _contents[update_id, started_at]
    update = db.session.get(Update, update_id)
    if update is None:
        return None
    campaign = update.campaign
    loaded = Content(
        campaign_id=campaign.id,
        campaign_slug=campaign.slug,
        default_lang=update.default_lang,
        texts={lang: (t.subject, t.body) for lang, t in update.translations.items()},
        titles={lang: t.title for lang, t in campaign.translations.items()},
        campaign_default_lang=campaign.default_lang,
    )
    if started_at is not None:  # its text is fixed from now on
        if len(_contents) > 64:
            _contents.clear()
        _contents[update_id, started_at] = loaded
    return loaded


def render_update(
    update: Content, lang: str, recipient: str, unsubscribe_url: str | None, is_test: bool = False
) -> Message:
    subject, body = update.text(lang)
    context = {
        "subject": subject,
        "body": body,
        "body_html": render_markdown(body),
        "title": update.title(lang),
        "campaign_url": absolute_url("campaigns.show", lang=lang, slug=update.campaign_slug),
        "unsubscribe_url": unsubscribe_url,
        "is_test": is_test,
    }
    headers = None
    if unsubscribe_url:
        # our own URL and token only: Flask-Mail does not check extra headers for injection
        headers = {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": ONE_CLICK}
    return Message(
        subject=_("[Test] %(subject)s", subject=subject) if is_test else subject,
        recipients=[recipient],
        body=render_template("email/update.txt", **context),
        html=render_template("email/update.html", **context),
        extra_headers=headers,
    )


@builder("update")
def update_email(row: OutboxMessage) -> Message | None:
    update = content(row.payload["update_id"])
    if update is None:
        return None
    supporter_id = row.payload["supporter_id"]
    email = db.session.scalar(recipient_email(update.campaign_id, supporter_id))
    if email is None:
        return None  # unsubscribed, erased or invalidated since the fan-out
    token = unsubscribe_token(supporter_id, update.campaign_id)
    return render_update(
        update, row.lang, email, absolute_url("supporters.unsubscribe", lang=row.lang, token=token)
    )


@builder("update_test")
def update_test_email(row: OutboxMessage) -> Message | None:
    update = content(row.payload["update_id"])
    if update is None or row.recipient is None:
        return None
    return render_update(update, row.lang, row.recipient, None, is_test=True)


@builder("erasure_confirm")
def erasure_confirmation(row: OutboxMessage) -> Message | None:
    erasure = db.session.get(ErasureRequest, row.payload["request_id"])
    if erasure is None or erasure.confirmed_at is not None:
        return None
    supporter = db.session.get(Supporter, erasure.supporter_id)
    if supporter is None or supporter.email is None:
        return None
    link = absolute_url("supporters.erase", lang=row.lang, token=row.payload["token"])
    return Message(
        subject=_("Confirm that we should erase your data"),
        recipients=[supporter.email],
        body=render_template("email/erasure_confirm.txt", link=link),
        html=render_template("email/erasure_confirm.html", link=link),
    )
