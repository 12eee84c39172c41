"""The bytes on the wire: a message's MIME text, the SMTP exchange that carries it, and the
transports the outbox sends through (an SMTP connection, or the local mailbox in development).

Flask-Mail composes a message through Python's ``email`` package, which costs most of a
millisecond; at the rate an update fans out, that was a third of the work. A message made of a
text part, an optional HTML part and plain ASCII headers (every kind we send, but a letter with
its PDF) is written here directly; anything else is left to Flask-Mail's ``as_bytes``.

When the server offers PIPELINING (RFC 2920), MAIL, RCPT and DATA go out in one write, so a
message costs two round trips instead of four; a server without it gets smtplib's ``sendmail``.
"""

from __future__ import annotations

import base64
import contextlib
import re
import secrets
import smtplib
from collections.abc import Iterator
from email.header import Header
from email.utils import formatdate
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message, sanitize_address

from campaign.models_base import utcnow

_LINE_START_DOT = re.compile(rb"(?m)^\.")
_NEWLINES = re.compile(r"\r\n|\r|\n")


@lru_cache(maxsize=64)
def _encoded_subject(subject: str) -> str:
    if subject.isascii() and len(subject) < 60 and "\n" not in subject and "\r" not in subject:
        return subject
    return Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n")


@lru_cache(maxsize=16)
def _encoded_address(address: str) -> str:
    return sanitize_address(address)


def _is_plain_header(value: str) -> bool:
    return value.isascii() and "\n" not in value and "\r" not in value


def _part(subtype: str, text: str) -> bytes:
    encoded = base64.encodebytes(_NEWLINES.sub("\r\n", text).encode()).replace(b"\n", b"\r\n")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'.encode()
        + encoded
    )


def message_bytes(message: Message) -> bytes:
    """``message`` as it goes over SMTP, with CRLF line ends.

    Written directly when it is a text part and an optional HTML part with ASCII addresses and
    extra headers; anything else (attachments, copies, international addresses) by Flask-Mail.
    """
    extra = message.extra_headers or {}
    html = message.alts.get("html")
    if (
        message.attachments
        or message.cc
        or message.bcc
        or message.reply_to
        or message.body is None
        or set(message.alts) - {"html"}
        or message.charset not in (None, "utf-8")
        or not all(isinstance(r, str) and _is_plain_header(r) for r in message.recipients)
        or not all(_is_plain_header(name) and _is_plain_header(value) for name, value in extra.items())
    ):
        return message.as_bytes()
    headers = [
        ("From", _encoded_address(message.sender)),
        ("To", ", ".join(dict.fromkeys(message.recipients))),
        ("Subject", _encoded_subject(message.subject)),
        ("Date", formatdate(message.date, usegmt=True)),
        ("Message-ID", message.msgId),
        ("MIME-Version", "1.0"),
        *extra.items(),
    ]
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode()
    if html is None:
        return head + _part("plain", message.body)
    # "_" never occurs in base64, so the boundary cannot occur in the parts
    boundary = f"=_{secrets.token_hex(12)}".encode()
    return b"".join(
        (
            head,
            b'Content-Type: multipart/alternative; boundary="' + boundary + b'"\r\n\r\n',
            b"--" + boundary + b"\r\n",
            _part("plain", message.body),
            b"--" + boundary + b"\r\n",
            _part("html", html),
            b"--" + boundary + b"--\r\n",
        )
    )


@lru_cache(maxsize=16)
def _quoted_sender(address: str) -> str:
    return smtplib.quoteaddr(address)


def _quoted(address: str) -> str:
    """``<address>`` for a bare address, without parsing it as smtplib does for any address."""
    if "<" in address or " " in address or '"' in address:
        return smtplib.quoteaddr(address)
    return f"<{address}>"


def send(host: smtplib.SMTP, sender: str, recipients: list[str], data: bytes) -> None:
    """Send one message over an open connection; raises smtplib's errors as ``sendmail`` does."""
    host.ehlo_or_helo_if_needed()
    if not host.has_extn("pipelining"):
        host.sendmail(sender, recipients, data)
        return
    commands = [
        f"MAIL FROM:{_quoted_sender(sender)}",
        *(f"RCPT TO:{_quoted(rcpt)}" for rcpt in recipients),
        "DATA",
        "",
    ]
    host.send("\r\n".join(commands).encode("ascii"))
    mail_code, mail_reply = host.getreply()
    refused = {}
    for rcpt in recipients:
        code, reply = host.getreply()
        if code not in (250, 251):
            refused[rcpt] = (code, reply)
    data_code, data_reply = host.getreply()
    if data_code == 354:
        if mail_code != 250 or len(refused) == len(recipients):
            data = b""  # it wants a body although nothing can be delivered: end it empty
        elif not data.endswith(b"\r\n"):
            data += b"\r\n"
        host.send(_LINE_START_DOT.sub(b"..", data) + b".\r\n")
        data_code, data_reply = host.getreply()
    error: smtplib.SMTPException | None = None
    if mail_code != 250:
        error = smtplib.SMTPSenderRefused(mail_code, mail_reply, sender)
    elif len(refused) == len(recipients):
        error = smtplib.SMTPRecipientsRefused(refused)
    elif data_code != 250:
        error = smtplib.SMTPDataError(data_code, data_reply)
    if error is not None:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            host.rset()
        raise error


# -- transports ------------------------------------------------------------------------------


class Transport(Protocol):
    def send(self, message: Message) -> None: ...


class TimeoutConnection(Connection):
    """Flask-Mail's connection, with a socket timeout so a silent server cannot hang a worker."""

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        timeout = current_app.config["MAIL_TIMEOUT"]
        host: smtplib.SMTP | smtplib.SMTP_SSL
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(self.mail.server, self.mail.port, timeout=timeout)
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


def _envelope_address(address: str | tuple[str, str]) -> str:
    if isinstance(address, str) and address.isascii():
        return address
    return sanitize_address(address)


class SMTPTransport:
    """Messages over one open SMTP connection, written and sent by :mod:`campaign.smtp`."""

    def __init__(self, host: smtplib.SMTP) -> None:
        self.host = host

    def send(self, message: Message) -> None:
        if message.has_bad_headers():
            raise BadHeaderError
        recipients = [_envelope_address(address) for address in message.send_to]
        send(self.host, _envelope_address(message.sender), recipients, message_bytes(message))


class MailboxTransport:
    """Development transport: each message becomes an .eml file shown at /dev/mailbox."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    def send(self, message: Message) -> None:
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{message.msgId.strip('<>').split('@')[0]}.eml"
        (self.folder / name).write_bytes(message_bytes(message))


def mailbox_folder() -> Path:
    return Path(current_app.instance_path) / "mailbox"


@contextlib.contextmanager
def transport() -> Iterator[Transport]:
    """One SMTP connection (or the local mailbox) for one or many messages."""
    if current_app.config["DEV_MAILBOX"]:
        yield MailboxTransport(mailbox_folder())
        return
    with TimeoutConnection(current_app.extensions["mail"]) as connection:
        yield SMTPTransport(connection.host)
