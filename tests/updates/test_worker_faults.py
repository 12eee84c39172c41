"""Workers outlive their dependencies: real ``python worker.py`` processes keep sending an update
while the Redis server they use restarts or stalls, and every supporter gets the update once;
RQ's scheduler child dies with its worker however the worker dies.

The Redis server is this test's own (tests/redis_server.py), never the shared one.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from campaign.extensions import db
from campaign.updates import services
from tests import workers
from tests.postgres import end_server_connections
from tests.redis_server import RedisServer
from tests.smtp import SMTPServer
from tests.updates.test_workers import received, unsent_rows, wait_until

pytestmark = pytest.mark.slow

SUPPORTERS = 160


@pytest.fixture
def slow_mail_server() -> Iterator[SMTPServer]:
    """Answers each message after 50 ms, so that sending lasts long enough to be interrupted."""
    server = SMTPServer(strict=True, eight_bit_mime=False)
    server.handler.reply_delay = 0.05
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisServer]:
    """A Redis server of this test's own, used by the test's app and by the workers it starts."""
    server = RedisServer(tmp_path)
    server.start()
    client = redis.Redis.from_url(server.url, socket_timeout=10, socket_connect_timeout=5)
    monkeypatch.setitem(app.extensions, "campaign.redis", client)
    monkeypatch.setitem(app.config, "REDIS_URL", server.url)
    yield server
    client.close()
    server.stop()


@pytest.fixture
def start_worker(app, slow_mail_server, own_redis, tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def start(**settings: str) -> subprocess.Popen:
        env = {
            "MAIL_PORT": str(slow_mail_server.port),
            "UPDATE_BATCH_SIZE": "10",
            # a fan-out step lost with Redis is resumed after this long without progress
            "OUTBOX_LEASE_SECONDS": "5",
            "UPDATE_SCHEDULER_SECONDS": "1",
            **settings,
        }
        worker = workers.start_worker(app, tmp_path / f"worker-{len(started)}.log", **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        workers.stop_worker(worker)


def start_sending(campaign, add_signer, write_update, count: int = SUPPORTERS) -> list[str]:
    addresses = [f"supporter{number}@example.org" for number in range(count)]
    for address in addresses:
        add_signer(campaign, address)
    update = write_update(campaign)
    services.send_update(update.id)
    db.session.commit()
    return addresses


def test_workers_survive_redis_restarts_while_sending_and_each_supporter_gets_one_mail(
    campaign, add_signer, write_update, start_worker, own_redis, slow_mail_server
):
    addresses = start_sending(campaign, add_signer, write_update)
    running = [start_worker(), start_worker()]

    for progress in (10, 60, 110):  # three restarts, spread over the sending
        wait_until(lambda progress=progress: len(slow_mail_server.messages) >= progress)
        own_redis.restart(down_seconds=2)

    wait_until(lambda: len(received(slow_mail_server)) == len(addresses) and unsent_rows() == 0, timeout=120)

    assert received(slow_mail_server) == Counter(addresses)
    assert [worker.poll() for worker in running] == [None, None]


def test_workers_survive_a_redis_stall_longer_than_their_socket_timeout(
    campaign, add_signer, write_update, start_worker, own_redis, slow_mail_server
):
    addresses = start_sending(campaign, add_signer, write_update)
    running = [start_worker(), start_worker()]
    wait_until(lambda: len(slow_mail_server.messages) > 0)

    own_redis.stall(12)  # the workers' socket timeout is 10 s

    wait_until(lambda: len(received(slow_mail_server)) == len(addresses) and unsent_rows() == 0, timeout=120)
    assert received(slow_mail_server) == Counter(addresses)
    assert [worker.poll() for worker in running] == [None, None]


def test_workers_survive_the_database_ending_their_connections_and_each_supporter_gets_one_mail(
    campaign, add_signer, write_update, start_worker, slow_mail_server
):
    addresses = start_sending(campaign, add_signer, write_update)
    running = [start_worker(), start_worker()]

    for progress in (10, 60, 110):  # as a restart or a failover does, three times over the sending
        wait_until(lambda progress=progress: len(slow_mail_server.messages) >= progress)
        end_server_connections()

    wait_until(lambda: len(received(slow_mail_server)) == len(addresses) and unsent_rows() == 0, timeout=120)
    assert received(slow_mail_server) == Counter(addresses)
    assert [worker.poll() for worker in running] == [None, None]


def test_a_batch_that_outlasts_its_lease_on_a_slow_server_is_sent_once(
    campaign, add_signer, write_update, start_worker, slow_mail_server
):
    """One worker claims all 60 rows and needs 15 s for them; without renewing its claim, the
    other would take the rest back after the 2-second lease (and the sweep's 10 seconds of grace)."""
    slow_mail_server.handler.reply_delay = 0.25
    addresses = start_sending(campaign, add_signer, write_update, count=60)
    settings = {"UPDATE_BATCH_SIZE": "60", "OUTBOX_LEASE_SECONDS": "2"}
    running = [start_worker(**settings), start_worker(**settings)]

    wait_until(lambda: len(received(slow_mail_server)) == len(addresses) and unsent_rows() == 0, timeout=120)
    assert received(slow_mail_server) == Counter(addresses)
    assert [worker.poll() for worker in running] == [None, None]


def test_a_message_slower_than_the_lease_is_sent_once(
    campaign, add_signer, write_update, start_worker, slow_mail_server
):
    """Each message takes 2 s, twice the lease: a claim renewed only between messages would be
    taken back by the sweep while a message is in flight (a tarpit answering each command just
    within MAIL_TIMEOUT does that to the production lease), and the other worker would send it
    again. The claim is renewed while the sender lives, however long one exchange takes."""
    slow_mail_server.handler.reply_delay = 2.0
    addresses = start_sending(campaign, add_signer, write_update, count=8)
    settings = {"UPDATE_BATCH_SIZE": "8", "OUTBOX_LEASE_SECONDS": "1"}
    running = [start_worker(**settings), start_worker(**settings)]

    wait_until(lambda: len(received(slow_mail_server)) == len(addresses) and unsent_rows() == 0, timeout=120)
    assert received(slow_mail_server) == Counter(addresses)
    assert [worker.poll() for worker in running] == [None, None]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def is_gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "\nState:\tZ" in status.read_text()


def test_the_scheduler_child_dies_with_its_worker_killed_alone(app, tmp_path):
    worker = workers.start_worker(app, tmp_path / "worker.log")
    try:
        assert workers.wait_until(lambda: children(worker.pid) != [])
        [scheduler] = children(worker.pid)

        os.kill(worker.pid, signal.SIGKILL)  # the worker only, not its process group
        worker.wait()

        assert workers.wait_until(lambda: is_gone(scheduler), timeout=10)
    finally:
        workers.stop_worker(worker)
