"""Sending an update through the outbox, jobs run in-process by the production worker class."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select, update

from campaign.dispatch import sweep_outbox
from campaign.extensions import db, queues
from campaign.models_base import utcnow
from campaign.outbox import OutboxMessage
from campaign.signatures.models import SignatureStatus
from campaign.updates import services
from campaign.updates.jobs import fan_out, run_scheduler
from campaign.updates.models import Update, UpdateStatus


def recipients(smtp_server) -> Counter:
    return Counter(address for message in smtp_server.messages for address in message.rcpt_tos)


def test_each_opted_in_supporter_gets_the_update_once(
    app, campaign, add_signer, write_update, send, smtp_server
):
    app.config["UPDATE_BATCH_SIZE"] = 2
    addresses = [f"s{number}@example.org" for number in range(5)]
    for address in addresses:
        add_signer(campaign, address)

    send(write_update(campaign))

    assert recipients(smtp_server) == Counter(addresses)


def test_the_audience_leaves_out_everyone_who_did_not_ask_or_no_longer_counts(
    campaign, create_campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "yes@example.org")
    add_signer(campaign, "not-opted-in@example.org", wants_updates=False)
    add_signer(campaign, "pending@example.org", status=SignatureStatus.PENDING)
    add_signer(campaign, "invalidated@example.org", status=SignatureStatus.INVALIDATED)
    add_signer(campaign, "held@example.org", status=SignatureStatus.HELD)
    add_signer(campaign, "unsubscribed@example.org", unsubscribed=True)
    add_signer(create_campaign(slug="other"), "other-campaign@example.org")

    send(write_update(campaign))

    assert recipients(smtp_server) == Counter(["yes@example.org"])


def test_a_person_who_signed_several_campaigns_gets_one_mail_per_update(
    campaign, create_campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "both@example.org")
    add_signer(create_campaign(slug="other"), "both@example.org")

    send(write_update(campaign))

    assert recipients(smtp_server) == Counter(["both@example.org"])


def test_each_supporter_reads_the_update_in_their_language_or_the_default(
    create_campaign, add_signer, write_update, send, smtp_server, app
):
    app.config["LANGUAGES"] = ["en", "ru", "kk"]
    campaign = create_campaign(langs=("en", "ru", "kk"))
    add_signer(campaign, "anna@example.org", lang="en")
    add_signer(campaign, "dmitry@example.org", lang="ru")
    add_signer(campaign, "aigerim@example.org", lang="kk")
    texts = {"en": ("Roza is free", "Released today."), "ru": ("Роза на свободе", "Освобождена сегодня.")}

    send(write_update(campaign, texts))

    [russian] = smtp_server.to("dmitry@example.org")
    assert russian.message["Subject"] == "Роза на свободе"
    assert "Освобождена сегодня." in russian.text()
    assert "/ru/unsubscribe/" in russian.message["List-Unsubscribe"]
    [fallback] = smtp_server.to("aigerim@example.org")
    assert fallback.message["Subject"] == "Roza is free"
    [english] = smtp_server.to("anna@example.org")
    assert "Released today." in english.text()


def test_an_update_email_has_a_plain_text_part_and_one_click_unsubscribe(
    campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "anna@example.org")

    send(write_update(campaign))

    [mail] = smtp_server.messages
    assert "She was **released** today." in mail.text()
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert "<strong>released</strong>" in html
    assert mail.message["List-Unsubscribe"].startswith("<https://campaign.example.org/en/unsubscribe/")
    assert mail.message["List-Unsubscribe"].endswith(">")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_body_is_sanitised(campaign, add_signer, write_update, send, smtp_server):
    add_signer(campaign, "anna@example.org")

    send(write_update(campaign, {"en": ("News", "Hi <script>alert(1)</script> [x](javascript:alert(1))")}))

    html = smtp_server.messages[0].message.get_body(preferencelist=("html",)).get_content()
    assert "<script" not in html
    assert "javascript:" not in html


def test_sending_twice_sends_nothing_twice(campaign, add_signer, write_update, send, smtp_server, drain):
    for number in range(3):
        add_signer(campaign, f"s{number}@example.org")
    written = write_update(campaign)
    send(written)

    assert services.send_update(written.id) is False
    db.session.commit()
    db.session.execute(
        update(Update).values(status=UpdateStatus.SENDING, fanout_done_at=None, fanout_cursor=0)
    )
    db.session.commit()
    fan_out(written.id)
    drain()

    assert recipients(smtp_server) == Counter(f"s{number}@example.org" for number in range(3))


def test_who_unsubscribes_after_the_fan_out_gets_nothing(
    campaign, add_signer, write_update, smtp_server, drain, client
):
    signature = add_signer(campaign, "late@example.org")
    add_signer(campaign, "stays@example.org")
    written = write_update(campaign)
    services.send_update(written.id)
    db.session.commit()
    queues.connection.flushdb()  # nothing but the fan-out step runs below
    fan_out(written.id)
    signature.wants_updates = False
    db.session.commit()

    drain()

    assert recipients(smtp_server) == Counter(["stays@example.org"])
    assert services.update_progress(written.id) | {"status": None} == {
        "status": None,
        "sent": 1,
        "failed": 0,
        "skipped": 1,
        "remaining": 0,
        "total": 2,
        "unsubscribed_since": 0,
        "is_done": True,
    }


def test_progress_counts_sent_failed_and_remaining(
    campaign, add_signer, write_update, send, smtp_server, app
):
    for number in range(3):
        add_signer(campaign, f"s{number}@example.org")
    written = write_update(campaign)
    assert services.update_progress(written.id)["remaining"] == 3

    smtp_server.handler.failures.append("550 no such mailbox")
    send(written)

    progress = services.update_progress(written.id)
    assert (progress["sent"], progress["failed"], progress["remaining"], progress["total"]) == (2, 1, 0, 3)
    run_scheduler()
    assert db.session.get(Update, written.id).status == UpdateStatus.SENT


def test_rows_whose_batch_job_was_lost_are_swept_and_sent_one_by_one(
    campaign, add_signer, write_update, smtp_server, drain
):
    for number in range(3):
        add_signer(campaign, f"s{number}@example.org")
    written = write_update(campaign)
    services.send_update(written.id)
    db.session.commit()
    queues.connection.flushdb()
    while fan_out(written.id):
        pass
    queues.connection.flushdb()  # the batch jobs are lost with Redis
    db.session.execute(
        update(OutboxMessage).values(
            next_attempt_at=utcnow() - timedelta(seconds=1), created_at=utcnow() - timedelta(minutes=1)
        )
    )
    db.session.commit()

    assert sweep_outbox() == 3
    drain()

    assert recipients(smtp_server) == Counter(f"s{number}@example.org" for number in range(3))
    assert "/unsubscribe/" in smtp_server.messages[0].message["List-Unsubscribe"]


def test_a_scheduled_update_is_sent_once_it_is_due(campaign, add_signer, write_update, smtp_server, drain):
    add_signer(campaign, "anna@example.org")
    later, due = write_update(campaign), write_update(campaign, {"en": ("Due", "Now.")})
    services.schedule_update(later.id, utcnow() + timedelta(hours=1))
    services.schedule_update(due.id, utcnow() - timedelta(seconds=1))
    db.session.commit()

    assert run_scheduler()["started"] == 1
    drain()

    assert [mail.message["Subject"] for mail in smtp_server.messages] == ["Due"]
    assert db.session.get(Update, later.id).status == UpdateStatus.SCHEDULED


def test_a_test_send_goes_only_to_the_given_address(campaign, add_signer, write_update, smtp_server, drain):
    add_signer(campaign, "anna@example.org")
    written = write_update(campaign, {"en": ("News", "Body"), "ru": ("Новости", "Текст")})

    services.send_test(written.id, "me@example.net", "ru")
    db.session.commit()
    drain()

    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ["me@example.net"]
    assert "Новости" in mail.message["Subject"]
    assert mail.message["List-Unsubscribe"] is None
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "update")
        )
        == 0
    )
