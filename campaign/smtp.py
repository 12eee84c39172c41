"""The SMTP exchange that carries a message, and the transports the outbox sends through (an SMTP
connection, or the local mailbox in development). What is sent is written by :mod:`campaign.mime`.

When the server offers PIPELINING (RFC 2920), MAIL, RCPT and DATA go out in one write, so a
message costs two round trips instead of four; a server without it gets smtplib's ``sendmail``.
An internationalised address goes out with SMTPUTF8 (RFC 6531) where the server offers it; where
it does not, :class:`campaign.mime.AddressNotSendable` says so before anything is sent.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message

from campaign.mime import addr_spec, message_bytes, split_address
from campaign.models_base import utcnow

_LINE_START_DOT = re.compile(rb"(?m)^\.")


def reply_line(code: int, text: bytes | str) -> str:
    """A server's reply as it wrote it: "250 2.0.0 Ok: queued as 4F2B1C" (the queue id is the
    proof that it took the message); the lines of a multi-line reply joined by spaces."""
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return " ".join((str(code), *text.splitlines()))[:1000]


def send(host: smtplib.SMTP, sender: str, recipients: list[str], data: bytes, smtputf8: bool = False) -> str:
    """Send one message over an open connection; the server's reply to the message's data
    (:func:`reply_line`). Raises smtplib's errors as ``sendmail`` does.

    ``sender`` and ``recipients`` are bare addresses (:func:`campaign.mime.addr_spec`);
    ``smtputf8`` asks for SMTPUTF8, which an internationalised address needs.
    """
    host.ehlo_or_helo_if_needed()
    options = ["SMTPUTF8"] if smtputf8 else []
    if not host.has_extn("pipelining"):
        return _send_stepwise(host, sender, recipients, data, options)
    commands = [
        " ".join((f"MAIL FROM:<{sender}>", *options)),
        *(f"RCPT TO:<{rcpt}>" for rcpt in recipients),
        "DATA",
        "",
    ]
    host.send("\r\n".join(commands).encode("utf-8" if smtputf8 else "ascii"))
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
    return reply_line(data_code, data_reply)


def _send_stepwise(
    host: smtplib.SMTP, sender: str, recipients: list[str], data: bytes, options: list[str]
) -> str:
    """``sendmail``'s exchange, one command per round trip, keeping the reply to the data."""
    code, reply = host.mail(sender, options)
    error: smtplib.SMTPException | None = None
    if code != 250:
        error = smtplib.SMTPSenderRefused(code, reply, sender)
    else:
        refused = {}
        for rcpt in recipients:
            rcpt_code, rcpt_reply = host.rcpt(rcpt)
            if rcpt_code not in (250, 251):
                refused[rcpt] = (rcpt_code, rcpt_reply)
        if len(refused) == len(recipients):
            error = smtplib.SMTPRecipientsRefused(refused)
        else:
            code, reply = host.data(data)  # raises SMTPDataError itself on a refusal
    if error is not None:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            host.rset()
        raise error
    return reply_line(code, reply)


# -- transports ------------------------------------------------------------------------------


class Transport(Protocol):
    def send(self, message: Message) -> str | None:
        """Send it; the server's reply line to its data (None where no server took it)."""
        ...


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


@lru_cache(maxsize=64)
def _bare(address: str | tuple[str, str], smtputf8: bool) -> str:
    return addr_spec(split_address(address)[1], smtputf8)


class SMTPTransport:
    """Messages over one open SMTP connection, written by :mod:`campaign.mime`."""

    def __init__(self, host: smtplib.SMTP) -> None:
        self.host = host

    def send(self, message: Message) -> str:
        if message.has_bad_headers():
            raise BadHeaderError
        self.host.ehlo_or_helo_if_needed()
        smtputf8 = self.host.has_extn("smtputf8")
        data = message_bytes(message, smtputf8=smtputf8)
        sender = _bare(message.sender or current_app.config["MAIL_DEFAULT_SENDER"], smtputf8)
        recipients = [_bare(address, smtputf8) for address in message.send_to]
        needs_utf8 = not (sender.isascii() and all(rcpt.isascii() for rcpt in recipients))
        return send(self.host, sender, recipients, data, smtputf8=needs_utf8)


class MailboxTransport:
    """Development transport: each message becomes an .eml file shown at /dev/mailbox."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    def send(self, message: Message) -> None:
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{message.msgId.strip('<>').split('@')[0]}.eml"
        (self.folder / name).write_bytes(message_bytes(message, smtputf8=True))


def mailbox_folder() -> Path:
    return Path(current_app.instance_path) / "mailbox"


@contextlib.contextmanager
def transport() -> Iterator[Transport]:
    """One SMTP connection (or the local mailbox) for one or many messages."""
    if current_app.config["DEV_MAILBOX"]:
        yield MailboxTransport(mailbox_folder())
        return
    with TimeoutConnection(current_app.extensions["mail"]) as connection:
        if connection.host is None:  # entering the connection opens it, or raises
            raise smtplib.SMTPServerDisconnected("no SMTP connection")
        yield SMTPTransport(connection.host)
