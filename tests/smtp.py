"""A real SMTP server (aiosmtpd) on a free loopback port, recording what it accepts."""

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

    async def handle_EHLO(self, server, session, envelope, hostname, responses) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.failures:
            return self.failures.pop(0)
        if self.stall_seconds:
            self.stalled.set()
            deadline = time.monotonic() + self.stall_seconds
            while time.monotonic() < deadline and not server.transport.is_closing():
                await asyncio.sleep(0.05)
            if server.transport.is_closing():
                return "421 connection lost"
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


class SMTPServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Handler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

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
