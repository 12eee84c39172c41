"""A real SMTP server (aiosmtpd) on a free loopback port, recording what it accepts.

``SMTPServer(strict=True)`` enforces what standards-keeping servers do: no line over 998 octets
(RFC 5321 4.5.3.1.6) and 7-bit data unless the client asked for 8BITMIME or SMTPUTF8 where
the server offers it (``eight_bit_mime``, ``smtputf8``).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=default)  # type: ignore[return-value]

    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body else ""


@dataclass
class Handler:
    messages: list[Received] = field(default_factory=list)
    #: reply these codes to the next DATA commands instead of accepting
    failures: list[str] = field(default_factory=list)
    #: while set, DATA waits here; a message whose client went away meanwhile is not accepted
    stall_seconds: float = 0.0
    stalled: threading.Event = field(default_factory=threading.Event)
    #: offer PIPELINING (RFC 2920), as production servers do; off, clients fall back to one
    #: command per round trip
    pipelining: bool = True
    #: address -> the reply RCPT TO gets for it instead of acceptance
    refused: dict[str, str] = field(default_factory=dict)
    #: refuse lines over 998 octets, and 8-bit data the client did not announce
    strict: bool = False
    #: the reply to an accepted message's data, as a production server words it with its queue id
    accepted: str = "250 OK"
    #: offer 8BITMIME (RFC 6152)
    eight_bit_mime: bool = True
    #: seconds each DATA waits before its reply, as a distant or tarpitting server does
    reply_delay: float = 0.0
    #: what strict refused, as (reply, the message's first bytes) pairs
    refusals: list[tuple[str, bytes]] = field(default_factory=list)

    async def handle_EHLO(self, server, session, envelope, hostname, responses) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        if not self.eight_bit_mime:
            responses = [line for line in responses if line != "250-8BITMIME"]
        return responses

    def _violation(self, envelope) -> str | None:
        if any(len(line) > 998 for line in envelope.original_content.split(b"\r\n")):
            return "500 5.5.2 Line too long (RFC 5321 4.5.3.1.6)"
        announced = envelope.smtp_utf8 or (
            self.eight_bit_mime and "BODY=8BITMIME" in (option.upper() for option in envelope.mail_options)
        )
        if not announced and not envelope.original_content.isascii():
            return "554 5.6.1 8-bit data without 8BITMIME or SMTPUTF8"
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        if self.failures:
            return self.failures.pop(0)
        if self.strict and (violation := self._violation(envelope)):
            self.refusals.append((violation, envelope.original_content[:200]))
            return violation
        if self.stall_seconds:
            self.stalled.set()
            deadline = time.monotonic() + self.stall_seconds
            while time.monotonic() < deadline and not server.transport.is_closing():
                await asyncio.sleep(0.05)
            if server.transport.is_closing():
                return "421 connection lost"
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return self.accepted


class SMTPServer:
    def __init__(self, strict: bool = False, eight_bit_mime: bool = True, smtputf8: bool = False) -> None:
        self.port = free_port()
        self.handler = Handler(strict=strict, eight_bit_mime=eight_bit_mime)
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=smtputf8
        )

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[Received]:
        return [message for message in self.messages if address in message.rcpt_tos]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)
