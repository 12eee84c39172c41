"""Delivery: the letter and its PDF reach each recipient once, through the outbox and real SMTP."""

# ruff: noqa: RUF001 - Cyrillic names and text are the point of these tests

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.jobs import confirmation_digest, deliver_letter
from campaign.letters.models import Delivery, Recipient
from tests.letters.conftest import post, reload
from tests.workers import start_worker, stop_worker


@pytest.fixture
def signed_letter(world):
    """The world's letter open for sign-on, signed by both organisations (one name in Cyrillic)."""
    letter = world.letter
    world.organisations["partner"].names = {"en": "Partner Org", "ru": "Партнёр Орг"}
    services.open_for_sign_on(letter)
    services.sign_on(
        letter,
        world.organisations["coord"],
        world.users["coord_owner"],
        services.SignOnInput("Nargis Zokirova", "Director"),
    )
    services.sign_on(
        letter,
        world.organisations["partner"],
        world.users["partner_signer"],
        services.SignOnInput("Галина Петриашвили", "Председатель"),
    )
    letter.recipients.append(
        Recipient(
            name="Владимир Путин",
            titles={"ru": "Президент"},
            country="RU",
            email="president-ru@example.org",
            lang="ru",
        )
    )
    db.session.commit()
    return letter


def pdf_text(message) -> str:
    [attachment] = [
        part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"
    ]
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_each_recipient_receives_the_letter_with_signatories_and_the_pdf_in_both_scripts(
    signed_letter, drain, smtp_server
):
    deliver_letter(signed_letter.id)
    drain()

    [mail] = smtp_server.to("president-kz@example.org")
    assert mail.message["Subject"] == "Free the defenders"
    text = mail.text()
    assert "Coord Org, Almaty (Nargis Zokirova, Director)" in text
    assert "Partner Org, Moscow (Галина Петриашвили, Председатель)" in text
    assert mail.message.get_body(preferencelist=("html",)) is not None
    pdf = pdf_text(mail.message)
    assert "Nargis Zokirova" in pdf and "Галина Петриашвили" in pdf
    assert signed_letter.reference in pdf

    [russian] = smtp_server.to("president-ru@example.org")
    assert russian.message["Subject"] == "Свободу правозащитникам"
    pdf_ru = pdf_text(russian.message)
    assert "Мы призываем" in pdf_ru and "Коорд Орг, Almaty (Nargis Zokirova, Director)" in pdf_ru
    assert "Приложение: подписавшие" in pdf_ru


def test_delivery_records_status_message_id_and_time_and_partners_are_told(signed_letter, drain, smtp_server):
    deliver_letter(signed_letter.id)
    assert {d.status for d in db.session.scalars(select(Delivery))} == {"queued"}
    drain()

    deliveries = db.session.scalars(select(Delivery)).all()
    assert len(deliveries) == 2
    for delivery in deliveries:
        assert (delivery.status, delivery.attempts) == ("sent", 1)
        assert delivery.message_id and delivery.sent_at
    assert reload(signed_letter).status == "delivered"
    [told] = smtp_server.to("partner-signer@example.org")
    assert "has gone out" in told.message["Subject"]
    assert smtp_server.to("outsider@example.org") == []


def test_delivering_twice_sends_nothing_twice(signed_letter, app, drain, smtp_server):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["deliver-letter", signed_letter.slug])
    assert first.exit_code == 0, first.output
    drain()
    sent = len(smtp_server.messages)

    again = runner.invoke(args=["deliver-letter", signed_letter.slug])
    drain()

    assert again.exit_code == 0 and "0 new deliveries" in again.output
    assert len(smtp_server.messages) == sent
    assert len(smtp_server.to("president-kz@example.org")) == 1
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 2


def test_the_cli_refuses_a_letter_still_being_drafted(world, app):
    result = app.test_cli_runner().invoke(args=["deliver-letter", world.letter.slug])
    assert result.exit_code != 0 and "still being drafted" in result.output


def test_a_permanent_refusal_shows_in_the_coordinators_delivery_log(
    signed_letter, as_user, drain, smtp_server
):
    response = post(
        as_user("coord_owner"),
        f"/en/letters/{signed_letter.slug}/deliver",
        confirm=confirmation_digest(signed_letter),
    )
    assert response.status_code == 303
    smtp_server.handler.failures.append("550 5.1.1 mailbox unavailable")
    drain()

    failed = [d for d in db.session.scalars(select(Delivery)) if d.status == "failed"]
    assert len(failed) == 1 and "550" in failed[0].last_error
    log = as_user("coord_owner").get(f"/en/letters/{signed_letter.slug}/deliveries").get_data(as_text=True)
    assert "Failed" in log and "mailbox unavailable" in log


def test_a_temporary_failure_is_retried_later(signed_letter, drain, smtp_server):
    deliver_letter(signed_letter.id)
    smtp_server.handler.failures.append("451 4.3.0 try again later")
    drain()

    [waiting] = [d for d in db.session.scalars(select(Delivery)) if d.last_error]
    assert waiting.status == "queued" and "451" in waiting.last_error
    assert waiting.outbox.next_attempt_at is not None
    assert smtp_server.to(waiting.recipient.email) == []


@pytest.mark.slow
def test_a_real_worker_process_delivers_the_letter(signed_letter, app, smtp_server, tmp_path):
    deliver_letter(signed_letter.id)
    worker = start_worker(app, tmp_path / "worker.log")
    try:
        smtp_server.wait_for(2 + 3)  # two recipients, three partner notices
    finally:
        stop_worker(worker)

    assert len(smtp_server.to("president-kz@example.org")) == 1
    assert "Галина Петриашвили" in pdf_text(smtp_server.to("president-ru@example.org")[0].message)
    db.session.expire_all()
    assert {d.status for d in db.session.scalars(select(Delivery))} == {"sent"}
