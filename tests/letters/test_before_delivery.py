"""Before the letter goes out: preview, confirmation, scheduled delivery and embargo."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.jobs import confirmation_digest, deliver_scheduled
from campaign.letters.models import Delivery, Recipient
from campaign.models_base import utcnow
from tests.letters.conftest import post, reload


@pytest.fixture
def open_letter(world):
    letter = world.letter
    world.organisations["coord"].contact_email = "office@coord.example.org"
    services.open_for_sign_on(letter)
    services.sign_on(
        letter,
        world.organisations["partner"],
        world.users["partner_signer"],
        services.SignOnInput("Svetlana Gannushkina", "Chair"),
    )
    db.session.commit()
    return letter


def deliveries() -> int:
    return db.session.scalar(select(func.count()).select_from(Delivery))


def test_the_preview_shows_each_recipients_exact_headers_and_text(open_letter, as_user):
    page = as_user("coord_owner").get(f"/en/letters/{open_letter.slug}/preview").get_data(as_text=True)

    assert "president-kz@example.org" in page
    assert "office@coord.example.org" in page
    assert "Free the defenders" in page
    assert "Partner Org, Moscow (Svetlana Gannushkina, Chair)" in page
    assert "no-reply@campaign.example.org" in page


def test_the_preview_pdf_is_the_pdf_that_goes_out(open_letter, as_user):
    [recipient] = open_letter.recipients
    response = as_user("coord_owner").get(f"/en/letters/{open_letter.slug}/preview/{recipient.id}/pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "1. Partner Org, Moscow (Svetlana Gannushkina, Chair)" in text
    assert deliveries() == 0, "a preview sends nothing"


def test_the_preview_html_part_is_sandboxed(open_letter, as_user):
    [recipient] = open_letter.recipients
    response = as_user("coord_owner").get(f"/en/letters/{open_letter.slug}/preview/{recipient.id}/html")
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert "<strong>President</strong>" in response.get_data(as_text=True)


def test_partners_who_are_not_the_coordinator_cannot_preview(open_letter, as_user):
    assert as_user("partner_signer").get(f"/en/letters/{open_letter.slug}/preview").status_code == 404


def test_the_confirmation_names_the_number_of_recipients_and_signatories(open_letter, as_user):
    page = as_user("coord_owner").get(f"/en/letters/{open_letter.slug}/deliver").get_data(as_text=True)
    assert "The letter goes to 1 recipient" in page and "signed by 1 organisation." in page


def test_delivering_without_the_confirmation_sends_nothing(open_letter, as_user):
    response = post(as_user("coord_owner"), f"/en/letters/{open_letter.slug}/deliver")
    assert response.status_code == 409
    assert deliveries() == 0 and reload(open_letter).status == "open"


def test_a_confirmation_given_before_a_recipient_was_added_is_refused(open_letter, as_user):
    digest = confirmation_digest(open_letter)
    open_letter.recipients.append(
        Recipient(name="X", titles={}, country="RU", email="x@example.org", lang="ru")
    )
    db.session.commit()

    response = post(as_user("coord_owner"), f"/en/letters/{open_letter.slug}/deliver", confirm=digest)

    assert response.status_code == 409
    assert "changed since this page was shown" in response.get_data(as_text=True)
    assert deliveries() == 0


def test_the_confirmed_delivery_goes_to_every_recipient(open_letter, as_user, drain, smtp_server):
    response = post(
        as_user("coord_owner"),
        f"/en/letters/{open_letter.slug}/deliver",
        confirm=confirmation_digest(open_letter),
    )
    assert response.status_code == 303
    drain()
    assert len(smtp_server.to("president-kz@example.org")) == 1


def test_a_scheduled_delivery_waits_for_its_time_and_then_goes_once(open_letter, as_user, drain, smtp_server):
    when = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = post(
        as_user("coord_owner"),
        f"/en/letters/{open_letter.slug}/schedule",
        deliver_at=when,
        confirm=confirmation_digest(open_letter),
    )
    assert response.status_code == 303
    assert deliver_scheduled() == 0 and deliveries() == 0

    letter = reload(open_letter)
    letter.deliver_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert deliver_scheduled() == 1
    assert deliver_scheduled() == 0
    drain()
    assert len(smtp_server.to("president-kz@example.org")) == 1
    assert reload(open_letter).status == "delivered"


def test_a_time_in_the_past_is_refused_for_a_schedule(open_letter, as_user):
    response = post(
        as_user("coord_owner"),
        f"/en/letters/{open_letter.slug}/schedule",
        deliver_at="2020-01-01T10:00",
        confirm=confirmation_digest(open_letter),
    )
    assert response.status_code == 422
    assert "Please choose a time in the future." in response.get_data(as_text=True)


def embargo(as_user, letter) -> None:
    assert (
        post(as_user("coord_owner"), f"/en/letters/{letter.slug}/embargo", embargoed="1").status_code == 303
    )


def test_under_embargo_the_public_page_shows_only_the_title_and_that_it_is_open(open_letter, as_user, client):
    embargo(as_user, open_letter)

    html = client.get(f"/en/letters/{open_letter.slug}").get_data(as_text=True)

    assert "Free the defenders" in html and "Open for sign-on" in html
    assert "release the defenders" not in html and "Svetlana Gannushkina" not in html
    assert "Kassym-Jomart Tokayev" not in html


def test_under_embargo_the_api_shows_no_text_and_no_signatories(open_letter, as_user, client):
    embargo(as_user, open_letter)

    entry = client.get(f"/api/v1/letters/{open_letter.slug}").get_json()

    assert entry == {
        "slug": open_letter.slug,
        "title": "Free the defenders",
        "status": "open",
        "embargoed": True,
        "recipients": [],
        "deliveries": [],
    }


def test_the_embargo_ends_with_delivery(open_letter, as_user, client, drain):
    embargo(as_user, open_letter)
    post(
        as_user("coord_owner"),
        f"/en/letters/{open_letter.slug}/deliver",
        confirm=confirmation_digest(reload(open_letter)),
    )
    drain()

    html = client.get(f"/en/letters/{open_letter.slug}").get_data(as_text=True)
    assert "Svetlana Gannushkina" in html
    assert client.get(f"/api/v1/letters/{open_letter.slug}").get_json()["embargoed"] is False
