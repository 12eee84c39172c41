"""After delivery: each recipient's outcome, its deadline, and what the public sees of them."""

# ruff: noqa: RUF001 - Cyrillic names are the point of these tests

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.letters import outcomes, services
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Delivery, Recipient
from campaign.letters.outcome_models import ACKNOWLEDGED, REPLIED, FollowUp
from campaign.models_base import utcnow


@pytest.fixture
def delivered(world, drain, smtp_server):
    """The world's letter signed by the coordinator and delivered (through real SMTP) to the
    president of Kazakhstan and the president of Russia."""
    letter = world.letter
    services.open_for_sign_on(letter)
    services.sign_on(
        letter,
        world.organisations["coord"],
        world.users["coord_owner"],
        services.SignOnInput("Nargis", "Director"),
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
    deliver_letter(letter.id)
    drain()
    return letter


def follow_up_of(letter, country: str) -> FollowUp:
    db.session.expire_all()
    return db.session.scalar(
        select(FollowUp)
        .join(Delivery, FollowUp.delivery_id == Delivery.id)
        .join(Recipient, Delivery.recipient_id == Recipient.id)
        .where(Delivery.letter_id == letter.id, Recipient.country == country)
    )


def test_the_deadline_runs_thirty_days_from_the_smtp_acceptance_under_russias_law(delivered):
    follow_up = follow_up_of(delivered, "RU")
    assert follow_up.deadline_days == 30
    assert follow_up.delivered_at == follow_up.delivery.sent_at
    assert follow_up.due_at == follow_up.delivery.sent_at + timedelta(days=30)
    assert follow_up.status(utcnow()) == "awaiting"
    assert follow_up.status(utcnow() + timedelta(days=31)) == "overdue"


def test_the_api_shows_dates_but_not_the_registration_number_or_answer_until_published(
    client, delivered, world
):
    follow_up = follow_up_of(delivered, "RU")
    coordinator, owner = world.organisations["coord"], world.users["coord_owner"]
    outcomes.record_outcome(
        follow_up,
        outcomes.OutcomeInput(
            ACKNOWLEDGED, date(2026, 12, 3), registration_number="А-26-123", note="called them"
        ),
        owner,
        coordinator,
    )
    outcomes.record_outcome(
        follow_up,
        outcomes.OutcomeInput(REPLIED, date(2026, 12, 20), response="Your appeal was forwarded."),
        owner,
        coordinator,
    )
    db.session.commit()

    [_, russia] = client.get("/api/v1/letters/test-letter").json["deliveries"]
    assert russia["outcome"]["status"] == "replied"
    assert russia["outcome"]["acknowledged_at"] == "2026-12-03T00:00:00Z"
    assert russia["outcome"]["responded_at"] == "2026-12-20T00:00:00Z"
    assert russia["outcome"]["registration_number"] is None
    assert russia["outcome"]["response"] is None
    assert "called them" not in client.get("/api/v1/letters/test-letter").text

    outcomes.set_publication(follow_up_of(delivered, "RU"), True, True, owner, coordinator)
    db.session.commit()
    [_, russia] = client.get("/api/v1/letters/test-letter").json["deliveries"]
    assert russia["outcome"]["registration_number"] == "А-26-123"
    assert russia["outcome"]["response"] == "Your appeal was forwarded."


def test_the_api_says_how_many_days_past_the_deadline_an_answer_is_missing(client, delivered, world):
    follow_up = follow_up_of(delivered, "KZ")
    outcomes.set_deadline(follow_up, 10, world.users["coord_owner"], world.organisations["coord"])
    follow_up.delivery.outbox.sent_at = utcnow() - timedelta(days=14)
    db.session.commit()

    [kazakhstan, russia] = client.get("/api/v1/letters/test-letter").json["deliveries"]
    assert kazakhstan["outcome"]["status"] == "overdue"
    assert kazakhstan["outcome"]["days_overdue"] == 4
    assert russia["outcome"]["status"] == "awaiting"
