"""Update emails (and their tests), and the erasure confirmation, built from outbox rows.

An update's text is fixed once it is sending, so each language's email is rendered once per
process, with slots where each recipient's unsubscribe token and name go (the name is read
from their signature when the mail is built, never stored in the outbox; see personal.py).
Whether each recipient still wants it is checked again for every batch a worker claims, in one
query, so an unsubscribe or an erasure after the fan-out still counts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_mail import Message
from markupsafe import escape
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.mime import split_address
from campaign.outbox import Claimed, MailKind, render_mail
from campaign.signatures.models import Supporter
from campaign.text import render_markdown
from campaign.updates.audience import recipient_emails
from campaign.updates.models import ErasureRequest, Update, UpdateStatus
from campaign.updates.personal import fallback_name, fill, fill_html, reader_name, with_slot
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
    #: the campaign's sender name and Reply-To address; None: the site's defaults
    sender_name: str | None = None
    reply_to: str | None = None
    #: lang -> (subject, text, HTML, unsubscribe URL, the fallback name), _TOKEN_SLOT standing for
    #: the recipient's token and personal.NAME_SLOT for their name
    rendered: dict[str, tuple[str, str, str, str, str]] = field(default_factory=dict, compare=False)

    def text(self, lang: str) -> tuple[str, str]:
        return self.texts.get(lang) or self.texts[self.default_lang]

    def text_lang(self, lang: str) -> str:
        """The language of the text a reader of ``lang`` gets."""
        return lang if lang in self.texts else self.default_lang

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get(self.campaign_default_lang, "")


#: (update id, when sending started) -> its content; the start time tells a reused id apart
_contents: dict[tuple[int, datetime], Content] = {}


def content(update_id: int) -> Content | None:
    """The update's text and campaign titles; one light query when this process has them already."""
    started_at = db.session.scalar(
        select(Update.started_at).where(
            Update.id == update_id, Update.status.in_((UpdateStatus.SENDING, UpdateStatus.SENT))
        )
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
        sender_name=campaign.sender_name,
        reply_to=campaign.reply_to,
    )
    if started_at is not None:  # its text is fixed from now on
        if len(_contents) > 64:
            _contents.clear()
        _contents[update_id, started_at] = loaded
    return loaded


def sender(update: Content) -> str | tuple[str, str] | None:
    """The From of the campaign's update mails: its sender name, if it has one, on the operator's
    own address (MAIL_DEFAULT_SENDER), so the name changes and the address, and its domain's
    SPF and DKIM, do not. None: the site's sender as it is."""
    if not update.sender_name:
        return None
    return (update.sender_name, split_address(current_app.config["MAIL_DEFAULT_SENDER"])[1])


def render_update(
    update: Content, lang: str, unsubscribe_url: str | None, is_test: bool = False
) -> tuple[str, str, str]:
    """Subject, text and HTML of the update's email in ``lang``, personal.NAME_SLOT where the
    reader's name goes (:func:`personalise` puts it in)."""
    subject, body = (with_slot(part) for part in update.text(lang))
    context = {
        "subject": subject,
        "body": body,
        "body_html": render_markdown(body),
        "title": update.title(lang),
        "campaign_url": absolute_url("campaigns.show", lang=lang, slug=update.campaign_slug),
        "unsubscribe_url": unsubscribe_url,
        "is_test": is_test,
    }
    return (
        _("[Test] %(subject)s", subject=subject) if is_test else subject,
        render_template("email/update.txt", **context),
        render_template("email/update.html", **context),
    )


def personalise(rendered: tuple[str, str, str], name: str) -> tuple[str, str, str]:
    """Subject, text and HTML from :func:`render_update` with the reader's name in."""
    subject, text, html = rendered
    return fill(subject, name), fill(text, name), fill_html(html, name)


#: stands for the unsubscribe token in an email rendered once for all recipients; random, so
#: no update's own text can contain it
_TOKEN_SLOT = secrets.token_hex(16)

#: outbox row id -> (the update, the recipient's address and name if they are still in the audience)
_prefetched: dict[int, tuple[Content | None, tuple[str, str] | None]] = {}


def prefetch_recipients(rows: list[Claimed]) -> None:
    """Read, for a claimed batch, each update once and who is still in its audience in one query."""
    _prefetched.clear()
    by_update: dict[int, list[Claimed]] = {}
    for row in rows:
        by_update.setdefault(row.payload["update_id"], []).append(row)
    for update_id, of_update in by_update.items():
        update = content(update_id)
        found = {}
        if update is not None:
            supporter_ids = [row.payload["supporter_id"] for row in of_update]
            query = recipient_emails(update.campaign_id, supporter_ids)
            found = {supporter_id: (email, name) for supporter_id, email, name in db.session.execute(query)}
        for row in of_update:
            _prefetched[row.id] = (update, found.get(row.payload["supporter_id"]))


def update_email(row: Claimed) -> Message | None:
    if row.id not in _prefetched:
        prefetch_recipients([row])
    update, recipient = _prefetched.pop(row.id)
    if update is None or recipient is None:
        return None  # the update is gone, or they unsubscribed, were erased or invalidated since
    email, signed_name = recipient
    if row.lang not in update.rendered:
        slot_url = absolute_url("supporters.unsubscribe", lang=row.lang, token=_TOKEN_SLOT)
        fallback = fallback_name(update.text_lang(row.lang))
        update.rendered[row.lang] = (*render_update(update, row.lang, slot_url), slot_url, fallback)
    subject, text, html, slot_url, fallback = update.rendered[row.lang]
    subject, text, html = personalise((subject, text, html), " ".join(signed_name.split()) or fallback)
    token = unsubscribe_token(row.payload["supporter_id"], update.campaign_id)
    url = slot_url.replace(_TOKEN_SLOT, token)
    return Message(
        subject=subject,
        recipients=[email],
        body=text.replace(_TOKEN_SLOT, token),
        html=html.replace(_TOKEN_SLOT, str(escape(token))),
        sender=sender(update),
        reply_to=update.reply_to,
        # our own URL and token only: Flask-Mail does not check extra headers for injection
        extra_headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK},
    )


def update_test_email(row: Claimed) -> Message | None:
    """The campaigner's test: with their own name where a supporter's goes (read now, by id)."""
    update = content(row.payload["update_id"])
    if update is None or row.recipient is None:
        return None
    user = db.session.get(User, row.payload["user_id"]) if row.payload.get("user_id") else None
    name = reader_name(user.name if user else None, update.text_lang(row.lang))
    subject, text, html = personalise(render_update(update, row.lang, None, is_test=True), name)
    return Message(
        subject=subject,
        recipients=[row.recipient],
        body=text,
        html=html,
        sender=sender(update),
        reply_to=update.reply_to,
    )


def erasure_confirmation(row: Claimed) -> Message | None:
    erasure = db.session.get(ErasureRequest, row.payload["request_id"])
    if erasure is None or erasure.confirmed_at is not None:
        return None
    if row.recipient is None or db.session.get(Supporter, erasure.supporter_id) is None:
        return None
    link = absolute_url("supporters.erase", lang=row.lang, token=row.payload["token"])
    return render_mail(
        "erasure_confirm", row.recipient, _("Confirm that we should erase your data"), link=link
    )


#: how each kind of mail this module writes is built (create_app registers them with the outbox)
BUILDERS = {
    "update": MailKind(update_email, prefetch=prefetch_recipients),
    "update_test": MailKind(update_test_email),
    "erasure_confirm": MailKind(erasure_confirmation),
}
