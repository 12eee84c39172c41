"""Two web hosts and two worker hosts on one PostgreSQL and one Redis, as docs/deploy.md runs
them, signed under load while one web host and one worker host die by SIGKILL.

Each "host" is a process group of its own (gunicorn with one sync worker, or ``python
worker.py`` with its scheduler child) with an instance folder of its own (``INSTANCE_PATH``),
its own port, and nothing shared but the database, Redis and the keys every host is given in
its environment. Network namespaces would need the services listening beyond loopback (and a
veth pair per host), so the hosts share the machine's loopback.

The load: every signer loads the campaign page from one host (the form token, as a browser
without cookies gets it) and posts the form there; a signer whose host does not answer (the
connection refused or cut) sends it again through the other host, as the proxy in front
would. One third through, one web host's process group is SIGKILLed; when the SMTP server has
taken a message into its queue and not yet answered it, the worker host holding that SMTP
connection is SIGKILLed, which is the documented window for the one duplicate the system can
send (README, "Worker killed mid-send"). The last third of the signers waits for both kills.
PostgreSQL only: on SQLite, hosts would share a file, not a server.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.outbox import OutboxMessage, OutboxStatus
from campaign.signatures.models import Signature
from tests import workers
from tests.smtp import Handler, SMTPServer, free_port

pytestmark = pytest.mark.slow

SIGNERS = 450
#: the web host dies once this many signers have their answer
WEB_KILL_AT = SIGNERS // 3
#: signers from this one on start only once both hosts are dead
GATE = 2 * SIGNERS // 3
#: the SMTP server holds its answer to this message until its client is gone
HELD_MESSAGE = 30
CONCURRENCY = 12


@dataclass
class CrashWindowHandler(Handler):
    """Takes the ``hold_at``-th message into its queue (it counts as received), then holds the
    "250" until the client's connection closes: the sender dies after the server accepted."""

    hold_at: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    held_peer: tuple[str, int] | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        # no await since the message was appended: exactly one DATA sees this count
        if reply == self.accepted and len(self.messages) == self.hold_at:
            self.held_peer = session.peer
            self.held.set()
            deadline = time.monotonic() + 60
            while not server.transport.is_closing() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        return reply


@dataclass
class Load:
    """What the signers were answered, and the events the test kills hosts on."""

    ports: list[int]
    slug: str
    #: signer -> final status (303 is accepted)
    statuses: dict[str, int] = field(default_factory=dict)
    #: signers whose first host did not answer and who sent it again through the other
    retried: list[str] = field(default_factory=list)
    third_answered: threading.Event = field(default_factory=threading.Event)
    both_killed: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sign(self, number: int) -> None:
        if number >= GATE:
            assert self.both_killed.wait(180), "the hosts were not killed"
        email = f"signer{number}@example.org"
        # behind the proxy: each signer from an address of their own (PROXY_FIX_X_FOR=1)
        address = f"198.18.{number // 256}.{number % 256}"
        first = number % 2
        try:
            status = self._sign_on(self.ports[first], email, address)
        except OSError:  # refused, or cut mid-answer: the proxy tries the other host
            with self.lock:
                self.retried.append(email)
            status = self._sign_on(self.ports[1 - first], email, address)
        with self.lock:
            self.statuses[email] = status
            if len(self.statuses) >= WEB_KILL_AT:
                self.third_answered.set()

    def _sign_on(self, port: int, email: str, address: str) -> int:
        url = f"/en/campaigns/{self.slug}"
        headers = {"X-Forwarded-For": address, "Connection": "close"}
        page = _request(port, "GET", url, headers=headers)
        match = re.search(rb'name="form_token"[^>]*value="([^"]+)"', page[1])
        assert page[0] == 200 and match, page
        form = {"form_token": match.group(1).decode(), "name": "Host Test", "email": email, "country": "KZ"}
        body = urlencode(form).encode()
        headers |= {"Content-Type": "application/x-www-form-urlencoded"}
        return _request(port, "POST", url, body=body, headers=headers)[0]


def _request(port: int, method: str, url: str, body: bytes | None = None, headers=None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, url, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    except http.client.HTTPException as error:  # a host that died mid-answer
        raise ConnectionError(str(error)) from error
    finally:
        connection.close()


def host_environment(app: Flask, instance: Path, **settings: str) -> dict[str, str]:
    """What every host is given: the shared services and keys; its instance folder its own."""
    instance.mkdir()
    return {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "IDENTITY_KEY": app.config["IDENTITY_KEY"],
        "INSTANCE_PATH": str(instance),
        **settings,
    }


def start_web(app: Flask, tmp_path: Path, name: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        **host_environment(app, tmp_path / name),
        "BASE_URL": app.config["BASE_URL"],
        "PROXY_FIX_X_FOR": "1",
    }
    with (tmp_path / f"{name}.log").open("ab") as log:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "wsgi:app"],
            cwd=workers.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the host: gunicorn and its worker, killed as one group
        )
    return web, port


def answers(port: int) -> bool:
    try:
        return _request(port, "GET", "/healthz")[0] == 200
    except OSError:
        return False


def holds_connection(pid: int, local_port: int) -> bool:
    """Whether process ``pid`` has the TCP socket whose local port is ``local_port``."""
    inodes = {
        fields[9]
        for table in ("/proc/net/tcp", "/proc/net/tcp6")
        if Path(table).exists()
        for fields in (line.split() for line in Path(table).read_text().splitlines()[1:])
        if int(fields[1].rsplit(":", 1)[1], 16) == local_port
    }
    fds = Path(f"/proc/{pid}/fd")
    return any(os.readlink(fd).removeprefix("socket:[").removesuffix("]") in inodes for fd in fds.iterdir())


def logs(tmp_path: Path) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in sorted(tmp_path.glob("*.log")))


@pytest.fixture
def crash_window_smtp() -> Iterator[SMTPServer]:
    server = SMTPServer(strict=True, eight_bit_mime=False)
    server.handler = CrashWindowHandler(strict=True, eight_bit_mime=False, hold_at=HELD_MESSAGE)
    server.controller.handler = server.handler
    server.start()
    yield server
    server.stop()


def test_two_web_and_two_worker_hosts_lose_no_signature_and_mail_each_once_when_one_of_each_dies(
    app, campaign, crash_window_smtp, tmp_path
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several hosts share a PostgreSQL server; SQLite is a file on one machine")
    smtp = crash_window_smtp
    handler = smtp.handler
    assert isinstance(handler, CrashWindowHandler)
    started: list[subprocess.Popen[bytes]] = []
    load: Load | None = None
    pool = ThreadPoolExecutor(CONCURRENCY)
    try:
        webs: list[subprocess.Popen[bytes]] = []
        ports: list[int] = []
        worker_hosts: list[subprocess.Popen[bytes]] = []
        for n in (1, 2):
            web, port = start_web(app, tmp_path, f"web{n}")
            started.append(web)
            webs.append(web)
            ports.append(port)
            worker = workers.start_worker(
                app,
                tmp_path / f"worker{n}.log",
                **host_environment(app, tmp_path / f"worker{n}"),
                MAIL_PORT=str(smtp.port),
                OUTBOX_LEASE_SECONDS="3",  # a dead worker's claim is taken back after 3 s
            )
            started.append(worker)
            worker_hosts.append(worker)
        assert workers.wait_until(lambda: all(answers(port) for port in ports), timeout=60), logs(tmp_path)

        load = Load(ports, campaign.slug)
        signing = [pool.submit(load.sign, number) for number in range(SIGNERS)]

        assert load.third_answered.wait(60), logs(tmp_path)
        dead_web = webs[0]
        workers.kill_group(dead_web, signal.SIGKILL)
        dead_web.wait(10)
        answered_at_web_kill = len(load.statuses)

        assert handler.held.wait(60), logs(tmp_path)
        assert handler.held_peer is not None
        [dead_worker] = [w for w in worker_hosts if holds_connection(w.pid, handler.held_peer[1])]
        workers.kill_group(dead_worker, signal.SIGKILL)
        dead_worker.wait(10)
        answered_at_worker_kill = len(load.statuses)
        load.both_killed.set()

        for future in signing:
            future.result(timeout=120)

        signers = [f"signer{number}@example.org" for number in range(SIGNERS)]
        # every signer was answered "accepted", some through the other host after theirs died
        assert Counter(load.statuses.values()) == {303: SIGNERS}
        assert load.retried  # the dead host's later share, and whatever it had in hand
        # stored once each
        db.session.rollback()
        stored = Counter(
            dict(db.session.execute(select(Signature.email, func.count()).group_by(Signature.email)).all())
        )
        assert stored == Counter(signers)

        def all_sent() -> bool:
            db.session.rollback()
            unsent = db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status != OutboxStatus.SENT)
            )
            return unsent == 0 and set(signers) <= {m.rcpt_tos[0] for m in smtp.messages}

        assert workers.wait_until(all_sent, timeout=60), logs(tmp_path)

        received = Counter(rcpt for message in smtp.messages for rcpt in message.rcpt_tos)
        held = handler.messages[HELD_MESSAGE - 1]
        [held_address] = held.rcpt_tos
        duplicates = {address: count for address, count in received.items() if count > 1}
        # once each, but the one message the server accepted as its sender died: twice, as the
        # same message (mail clients fold the copies by their Message-ID)
        assert set(received) == set(signers)
        assert duplicates == {held_address: 2}
        copies = smtp.to(held_address)
        message_id = copies[0].message["Message-ID"]
        assert copies[1].message["Message-ID"] == message_id
        # its row: claimed twice, by the dead worker and by the one that took its claim back
        attempts = select(OutboxMessage.attempts, OutboxMessage.abandoned)
        assert db.session.execute(attempts.where(OutboxMessage.message_id == message_id)).one() == (2, 1)

        survivors = [webs[1], *(w for w in worker_hosts if w is not dead_worker)]
        assert [process.poll() for process in survivors] == [None, None]
        assert answers(ports[1])
        print(
            f"\n{SIGNERS} signers; web host killed after {answered_at_web_kill} answers, worker host"
            f" after {answered_at_worker_kill}; {len(load.retried)} sent again through the other"
            f" host; {len(smtp.messages)} mails, {sum(duplicates.values()) - len(duplicates)} duplicate"
        )
    finally:
        if load is not None:
            load.both_killed.set()  # a test failed before the kills: the waiting signers go on
        pool.shutdown(cancel_futures=True)
        for process in started:
            workers.stop_worker(process)
