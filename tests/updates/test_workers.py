"""The fan-out through real worker processes (``python worker.py``) to a real SMTP server.

The workers get this test's database, Redis and SMTP server through the environment, as in
production. One run kills a worker with SIGKILL in the middle of a batch: every recipient
must still get exactly one email.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.outbox import OutboxMessage
from campaign.updates import services
from tests import workers as workers_module
from tests.smtp import Handler, Received, SMTPServer
from tests.workers import kill_group

pytestmark = pytest.mark.slow


@dataclass
class StallAfterHandler(Handler):
    """Accepts ``stall_after`` messages, then holds each further DATA until its client goes away.

    (The shared Handler's stall looks for ``session.transport``, which aiosmtpd 1.4's Session
    lacks; the connection is the ``server`` protocol's transport.)
    """

    stall_after: int | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.stall_after is not None and len(self.messages) >= self.stall_after:
            self.stalled.set()
            while self.stall_after is not None and not server.transport.is_closing():
                await asyncio.sleep(0.05)
            if server.transport.is_closing():
                return "421 connection lost"
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def mail_server() -> Iterator[SMTPServer]:
    """An SMTP server of this test's own, so a stall cannot leak into other tests."""
    server = SMTPServer()
    server.controller.loop.close()  # replaced below, with a handler that can stall on cue
    server.handler = StallAfterHandler()
    server.controller = Controller(server.handler, hostname="127.0.0.1", port=server.port)
    server.start()
    yield server
    server.handler.stall_after = None
    server.stop()


@pytest.fixture
def start_worker(app, mail_server, tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start ``python worker.py`` on this test's database, Redis and stalling SMTP server."""
    workers: list[subprocess.Popen] = []

    def start(**settings: str) -> subprocess.Popen:
        env = {"MAIL_PORT": str(mail_server.port), "MAIL_TIMEOUT": "10", "UPDATE_BATCH_SIZE": "5", **settings}
        worker = workers_module.start_worker(app, tmp_path / f"worker-{len(workers)}.log", **env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        workers_module.stop_worker(worker)


def wait_until(condition: Callable[[], bool], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)


def unsent_rows() -> int:
    unsent = OutboxMessage.status.in_(("pending", "sending"))
    count = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(unsent))
    db.session.rollback()  # never hold SQLite's read lock while the workers write
    return count or 0


def received(mail_server: SMTPServer) -> Counter:
    return Counter(address for message in mail_server.messages for address in message.rcpt_tos)


def start_sending(campaign, add_signer, write_update, count: int) -> list[str]:
    addresses = [f"supporter{number}@example.org" for number in range(count)]
    for address in addresses:
        add_signer(campaign, address)
    update = write_update(campaign)
    services.send_update(update.id)
    db.session.commit()
    return addresses


def test_two_workers_send_exactly_one_mail_to_each_supporter(
    campaign, add_signer, write_update, start_worker, mail_server
):
    addresses = start_sending(campaign, add_signer, write_update, 23)
    start_worker()
    start_worker()

    wait_until(lambda: len(received(mail_server)) == len(addresses) and unsent_rows() == 0)

    assert received(mail_server) == Counter(addresses)


def test_a_worker_killed_mid_batch_neither_skips_nor_repeats_anyone(
    campaign, add_signer, write_update, start_worker, mail_server
):
    mail_server.handler.stall_after = 7  # two messages into the second batch of five
    addresses = start_sending(campaign, add_signer, write_update, 17)
    doomed = start_worker()
    assert mail_server.handler.stalled.wait(timeout=60)

    kill_group(doomed, signal.SIGKILL)
    doomed.wait()
    mail_server.handler.stall_after = None
    assert len(received(mail_server)) == 7
    start_worker(OUTBOX_LEASE_SECONDS="2")

    wait_until(lambda: len(received(mail_server)) == len(addresses) and unsent_rows() == 0)

    assert received(mail_server) == Counter(addresses)
