"""Temporary failures never become permanent by the clock alone: a 4xx or an unreachable server
is retried (capped backoff) for OUTBOX_RETRY_HOURS, then the email expires with its reason, which
staff see on the dashboard and can send again with one click."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from campaign.audit.models import AuditEntry
from campaign.dispatch import sweep_outbox
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.outbox import OutboxMessage
from tests.conftest import csrf_token
from tests.smtp import free_port

OUTAGE = "451 4.3.0 try again later"


def outbox_row() -> OutboxMessage:
    db.session.rollback()
    return db.session.scalar(select(OutboxMessage))


def make_due(**values) -> None:
    """Move the clock past the row's backoff (and the sweep's grace for fresh rows)."""
    moved = {"next_attempt_at": utcnow(), **values}
    db.session.execute(update(OutboxMessage).values(**moved))
    db.session.commit()


def test_a_4xx_outlasting_the_old_attempt_limit_goes_out_once_the_server_recovers(
    app, campaign, sign, drain, smtp_server
):
    smtp_server.handler.failures.extend([OUTAGE] * 12)  # the old limit failed a row for good after 8
    sign(campaign.slug, email="patient@example.org")
    drain()
    for _ in range(12):
        assert outbox_row().status == "pending"
        make_due(created_at=utcnow() - timedelta(hours=1))
        sweep_outbox()
        drain()

    assert smtp_server.handler.failures == []
    assert len(smtp_server.to("patient@example.org")) == 1
    assert (outbox_row().status, outbox_row().attempts) == ("sent", 13)


def test_an_unreachable_server_outlasting_the_old_attempt_limit_gets_the_mail_once_it_is_back(
    app, campaign, sign, drain, smtp_server, monkeypatch
):
    mail = app.extensions["mail"]
    monkeypatch.setattr(mail, "port", free_port())  # nobody listens there: the connection is refused
    sign(campaign.slug, email="unreachable@example.org")
    drain()
    for _ in range(11):  # the old limit failed a row for good after 8
        row = outbox_row()
        assert row.status == "pending" and "ConnectionRefusedError" in row.last_error
        make_due(created_at=utcnow() - timedelta(hours=1))
        sweep_outbox()
        drain()
    assert smtp_server.to("unreachable@example.org") == []

    monkeypatch.setattr(mail, "port", smtp_server.port)  # the server is back
    make_due()
    sweep_outbox()
    drain()

    assert len(smtp_server.to("unreachable@example.org")) == 1
    assert (outbox_row().status, outbox_row().attempts) == ("sent", 13)


def test_the_backoff_is_capped_at_an_hour(app, campaign, sign, drain, smtp_server):
    smtp_server.handler.failures.extend([OUTAGE] * 9)
    sign(campaign.slug, email="capped@example.org")
    drain()
    for _ in range(8):
        make_due(created_at=utcnow() - timedelta(hours=1))
        sweep_outbox()
        drain()

    row = outbox_row()
    assert row.status == "pending"
    assert row.next_attempt_at <= utcnow() + timedelta(hours=1)


def test_a_temporary_failure_after_the_retry_period_expires_the_email_with_its_reason(
    app, campaign, sign, drain, smtp_server
):
    smtp_server.handler.failures.append(OUTAGE)
    sign(campaign.slug, email="late@example.org")
    make_due()
    db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(hours=73)))
    db.session.commit()
    drain()

    row = outbox_row()
    assert row.status == "expired"
    assert "72 hours" in row.last_error and "451" in row.last_error
    make_due()
    assert sweep_outbox() == 0  # nothing sends it by itself any more


def test_the_last_attempt_is_due_when_the_retry_period_ends(app, campaign, sign, drain, smtp_server):
    smtp_server.handler.failures.append(OUTAGE)
    sign(campaign.slug, email="edge@example.org")
    created_at = utcnow() - timedelta(hours=71, minutes=59, seconds=50)
    db.session.execute(update(OutboxMessage).values(created_at=created_at, attempts=6))
    db.session.commit()
    drain()

    row = outbox_row()
    assert row.status == "pending"
    assert row.next_attempt_at == created_at + timedelta(hours=72)


def expired_row(campaign, sign, drain, smtp_server, email: str = "expired@example.org") -> OutboxMessage:
    smtp_server.handler.failures.append(OUTAGE)
    sign(campaign.slug, email=email)
    db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(hours=80)))
    db.session.commit()
    drain()
    row = outbox_row()
    assert row.status == "expired"
    return row


def test_staff_see_an_expired_email_with_its_reason(
    app, campaign, sign, drain, smtp_server, create_user, login, client
):
    row = expired_row(campaign, sign, drain, smtp_server)
    login(create_user(role="campaigner"))

    page = client.get("/en/dashboard/mail/").get_data(as_text=True)

    assert f"#{row.id}" in page and "Expired" in page and "try again later" in page
    assert "expired@example.org" not in page


def test_staff_send_an_expired_email_again_with_one_click_and_it_is_audited(
    app, campaign, sign, drain, smtp_server, create_user, login, client
):
    row = expired_row(campaign, sign, drain, smtp_server)
    staff = create_user(role="campaigner")
    login(staff)

    response = client.post(
        "/en/dashboard/mail/retry",
        data={"csrf_token": csrf_token(client, "/en/dashboard/mail/"), "id": row.id},
    )
    drain()

    assert response.status_code == 303
    assert len(smtp_server.to("expired@example.org")) == 1
    assert outbox_row().status == "sent"
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox.retried")).all()
    assert (entry.user_id, entry.details["ids"]) == (staff.id, [row.id])


def test_a_retry_without_a_csrf_token_is_refused(
    app, campaign, sign, drain, smtp_server, create_user, login, client
):
    row = expired_row(campaign, sign, drain, smtp_server)
    login(create_user(role="campaigner"))

    response = client.post("/en/dashboard/mail/retry", data={"id": row.id})

    assert response.status_code == 400
    assert outbox_row().status == "expired"


def test_a_partner_cannot_send_mail_again(
    app, campaign, sign, drain, smtp_server, create_user, login, client
):
    row = expired_row(campaign, sign, drain, smtp_server)
    login(create_user("partner@example.org", org="Partner Org"))

    page = client.get("/en/dashboard/mail/")
    response = client.post(
        "/en/dashboard/mail/retry", data={"csrf_token": csrf_token(client, "/en/account/"), "id": row.id}
    )

    assert (page.status_code, response.status_code) == (404, 404)  # staff pages do not show themselves
    assert outbox_row().status == "expired"
