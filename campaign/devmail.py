"""``/dev/mailbox``: the mail the system sent, when no SMTP server is configured (development only)."""

from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default

from flask import Blueprint, abort, render_template
from markupsafe import Markup, escape

from campaign.smtp import mailbox_folder

bp = Blueprint("devmail", __name__, url_prefix="/dev/mailbox")

NAME = re.compile(r"[0-9A-Za-z.-]+\.eml")
URL = re.compile(r"https?://[^\s<>\"]+")
SHOWN = 200


def _read(name: str) -> EmailMessage:
    return email.message_from_bytes((mailbox_folder() / name).read_bytes(), policy=default)


def _linkify(text: str) -> Markup:
    escaped = str(escape(text))
    return Markup(URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped))  # noqa: S704


@bp.get("/")
def inbox() -> str:
    folder = mailbox_folder()
    names = (
        sorted((path.name for path in folder.glob("*.eml")), reverse=True)[:SHOWN] if folder.exists() else []
    )
    messages = [(name, _read(name)) for name in names]
    return render_template("devmail/inbox.html", messages=messages)


@bp.get("/<name>")
def message(name: str) -> str:
    if not NAME.fullmatch(name) or not (mailbox_folder() / name).exists():
        abort(404)
    msg = _read(name)
    text_part = msg.get_body(preferencelist=("plain",))
    body = text_part.get_content() if text_part else ""
    attachments = [part.get_filename() for part in msg.iter_attachments()]
    return render_template("devmail/message.html", msg=msg, body=_linkify(body), attachments=attachments)
