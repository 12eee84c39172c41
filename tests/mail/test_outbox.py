"""The outbox: mail survives dead workers, Redis outages and SMTP failures, and goes out once."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from campaign import create_app, dispatch, sender
from campaign.dispatch import _lease_key, flush_outbox, sweep_outbox
from campaign.extensions import db, queues
from campaign.models_base import utcnow
from campaign.outbox import OutboxMessage, claim_due
from tests.conftest import form_token
from tests.smtp import free_port
from tests.workers import kill_group, start_worker, stop_worker, wait_until


def outbox_row() -> OutboxMessage:
    db.session.rollback()
    return db.session.scalar(select(OutboxMessage))


def age_outbox_rows() -> None:
    """Make every row older than the sweep's grace for fresh rows."""
    db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()


@pytest.mark.slow
def test_a_worker_process_sends_the_confirmation(app, campaign, sign, smtp_server, tmp_path):
    sign(campaign.slug, email="worker@example.org")
    worker = start_worker(app, tmp_path / "worker.log")
    try:
        assert wait_until(lambda: smtp_server.to("worker@example.org")), (tmp_path / "worker.log").read_text()
    finally:
        stop_worker(worker)

    assert outbox_row().status == "sent"


@pytest.mark.slow
def test_a_worker_killed_mid_send_delays_the_mail_which_then_arrives_exactly_once(
    app, campaign, sign, smtp_server, tmp_path
):
    log = tmp_path / "worker.log"
    smtp_server.handler.stall_seconds = 60
    sign(campaign.slug, email="killed@example.org")
    first = start_worker(app, log)
    try:
        assert smtp_server.handler.stalled.wait(30), log.read_text()
        kill_group(first, signal.SIGKILL)
        first.wait(10)
    finally:
        stop_worker(first)
        smtp_server.handler.stall_seconds = 0
    assert smtp_server.to("killed@example.org") == []
    assert outbox_row().status == "sending"

    second = start_worker(app, log, OUTBOX_LEASE_SECONDS="2")
    try:
        assert wait_until(lambda: smtp_server.to("killed@example.org")), log.read_text()
        assert not wait_until(lambda: len(smtp_server.to("killed@example.org")) > 1, timeout=4)
    finally:
        stop_worker(second)

    row = outbox_row()
    assert row.status == "sent"
    assert row.attempts == 2


def test_signing_while_redis_is_down_loses_no_mail(app, base_config, campaign, sign, drain, smtp_server):
    url = f"/en/campaigns/{campaign.slug}"
    browser = app.test_client()
    token = form_token(browser, url)
    broken = create_app(base_config | {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    with broken.app_context():
        client = broken.test_client()
        data = {"form_token": token, "name": "Olga", "email": "olga@example.org", "country": "RU"}
        response = client.post(url, data=data)
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 303
    assert outbox_row().status == "pending"

    age_outbox_rows()
    assert sweep_outbox() == 1
    drain()

    assert len(smtp_server.to("olga@example.org")) == 1


def test_a_temporary_smtp_failure_is_retried_after_a_backoff(app, campaign, sign, drain, smtp_server):
    smtp_server.handler.failures.append("451 4.3.0 try again later")
    sign(campaign.slug, email="retry@example.org")
    drain()

    row = outbox_row()
    assert row.status == "pending"
    assert "451" in row.last_error
    assert row.next_attempt_at > utcnow()
    assert sweep_outbox() == 0  # not due yet

    db.session.execute(
        update(OutboxMessage).values(next_attempt_at=utcnow(), created_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    sweep_outbox()
    drain()

    assert len(smtp_server.to("retry@example.org")) == 1
    assert outbox_row().status == "sent"


def test_a_permanent_smtp_refusal_is_recorded_and_not_retried(app, campaign, sign, drain, smtp_server):
    smtp_server.handler.failures.append("550 5.1.1 no such mailbox")
    sign(campaign.slug, email="gone@example.org")
    drain()

    row = outbox_row()
    assert row.status == "failed"
    assert "550" in row.last_error
    age_outbox_rows()
    assert sweep_outbox() == 0


def test_flushing_twice_sends_one_mail(app, campaign, sign, drain, smtp_server):
    sign(campaign.slug, email="twice@example.org")
    drain()

    flush_outbox("mail")

    assert len(smtp_server.to("twice@example.org")) == 1


def test_the_message_id_is_derived_from_the_idempotency_key(app, campaign, sign, drain, smtp_server):
    sign(campaign.slug, email="mid@example.org")
    drain()

    row = outbox_row()
    assert smtp_server.to("mid@example.org")[0].message["Message-ID"] == row.message_id


def test_mail_committed_while_a_flush_job_holds_its_lease_is_sent_by_that_job(
    app, campaign, sign, smtp_server
):
    # a flush job is at work (long enough for a cold app to render the form; the job shortens it)
    queues.connection.set(_lease_key("mail"), "running", px=30000)
    sign(campaign.slug, email="during@example.org")
    assert queues.queue("mail").count == 0  # so the commit queued no job of its own

    flush_outbox("mail", "running")  # that job goes on until its lease is over

    assert len(smtp_server.to("during@example.org")) == 1
    assert not queues.connection.exists(_lease_key("mail"))


def test_a_process_that_saw_a_lease_holding_does_not_ask_again(app, campaign, sign, drain, smtp_server):
    app.config["OUTBOX_FLUSH_HOLD_SECONDS"] = 5
    sign(campaign.slug, email="first@example.org")
    assert queues.queue("mail").count == 1
    queues.connection.delete(_lease_key("mail"))  # asked again, Redis would now hand out a new lease

    sign(campaign.slug, email="second@example.org")

    assert queues.queue("mail").count == 1
    drain()
    assert len(smtp_server.to("first@example.org")) == len(smtp_server.to("second@example.org")) == 1


def test_once_the_lease_is_over_the_next_commit_queues_another_job(app, campaign, sign, drain, smtp_server):
    sign(campaign.slug, email="first@example.org")
    assert queues.queue("mail").count == 1
    drain()

    sign(campaign.slug, email="second@example.org")

    assert queues.queue("mail").count == 1
    drain()
    assert len(smtp_server.to("second@example.org")) == 1


def test_the_sweep_sends_mail_whose_flush_job_died_with_its_worker(app, campaign, sign, drain, smtp_server):
    queues.connection.set(_lease_key("mail"), "dead", ex=60)  # the lease of a job killed mid-run
    sign(campaign.slug, email="orphan@example.org")
    assert queues.queue("mail").count == 0
    age_outbox_rows()

    assert sweep_outbox() == 1
    drain()

    assert len(smtp_server.to("orphan@example.org")) == 1


def test_mail_after_a_failed_batch_gets_a_flush_job_of_its_own(app, campaign, sign, drain, smtp_server):
    smtp_server.handler.failures.append("451 4.3.0 try again later")
    sign(campaign.slug, email="retry@example.org")
    drain()
    assert outbox_row().status == "pending"

    time.sleep(0.1)  # the failed job's lease runs out on its own (OUTBOX_FLUSH_HOLD_SECONDS is 0.05 here)
    sign(campaign.slug, email="next@example.org")
    drain()

    assert len(smtp_server.to("next@example.org")) == 1


def test_a_flush_job_hands_over_to_a_fresh_one_when_its_time_is_up(
    app, campaign, sign, drain, smtp_server, monkeypatch
):
    monkeypatch.setattr(dispatch, "FLUSH_SECONDS", 0)
    monkeypatch.setitem(dispatch.BATCH, "mail", 1)
    sign(campaign.slug, email="one@example.org")
    sign(campaign.slug, email="two@example.org")
    kicked = queues.queue("mail").count  # one, or two if the first kick's short lease ran out meanwhile

    flush_outbox("mail")

    assert len(smtp_server.messages) == 1
    assert queues.queue("mail").count == kicked + 1  # and the one this job handed over to
    drain()
    assert sorted(message.message["To"] for message in smtp_server.messages) == [
        "one@example.org",
        "two@example.org",
    ]


def test_a_batch_past_its_sending_time_hands_back_the_rows_it_has_not_tried(
    app, campaign, sign, drain, smtp_server, monkeypatch
):
    """A batch on a slow server stops after SEND_SECONDS, so that its flush job stays far within
    RQ's timeout (a job RQ killed would leave its claim to the sweep, and a message might go
    twice): the rows it has not tried go back to the queue as if never claimed."""
    monkeypatch.setattr(sender, "SEND_SECONDS", 0.3)
    monkeypatch.setattr(smtp_server.handler, "reply_delay", 0.2)
    addresses = [f"slow{n}@example.org" for n in range(6)]
    for address in addresses:
        sign(campaign.slug, email=address)

    sender.send_rows(claim_due("mail", 6))

    db.session.rollback()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    sent = [row for row in rows if row.status == "sent"]
    handed_back = [row for row in rows if row.status == "pending"]
    assert 1 <= len(sent) < 6 and len(sent) + len(handed_back) == 6
    assert [(row.attempts, row.locked_at, row.last_error) for row in handed_back] == [(0, None, None)] * len(
        handed_back
    )
    drain()  # the kicks' flush jobs send the rest
    assert sorted(message.message["To"] for message in smtp_server.messages) == sorted(addresses)
