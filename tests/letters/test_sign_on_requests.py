"""An NGO not on the platform asks to sign from the public page; the coordinator decides."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from campaign.accounts.models import Invitation, Organisation
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import SignOnRequest
from tests.conftest import form_token
from tests.letters.conftest import post, reload

FIELDS = {
    "organisation": "Нота Бене",
    "city": "Душанбе",
    "country": "TJ",
    "website": "https://notabene.example.org",
    "representative": "Нигина Бахриева",
    "title": "Директор",
    "email": "Nigina@NotaBene.example.org",
}


@pytest.fixture
def open_letter(world):
    services.open_for_sign_on(world.letter)
    db.session.commit()
    return world.letter


def ask(client, letter, **fields):
    url = f"/ru/letters/{letter.slug}/request"
    token = form_token(client, url)
    return client.post(
        url, data={"form_token": token, "digest": services.frozen_digest(letter), **FIELDS, **fields}
    )


def confirmation_link(smtp_server, address: str = "nigina@notabene.example.org") -> str:
    [mail] = smtp_server.to(address)
    return re.search(r"https?://\S+/requests/\S+", mail.text()).group(0)


def confirm(client, link: str):
    path = "/" + link.split("/", 3)[3]
    token = form_token(client, path)
    return client.post(path, data={"form_token": token})


def test_the_public_page_links_to_the_request_form(open_letter, client):
    assert f"/ru/letters/{open_letter.slug}/request" in client.get(
        f"/ru/letters/{open_letter.slug}"
    ).get_data(as_text=True)


def test_a_request_goes_from_the_public_form_to_an_approved_signatory(
    open_letter, client, as_user, drain, smtp_server
):
    assert ask(client, open_letter).status_code == 200
    drain()
    assert confirm(client, confirmation_link(smtp_server)).status_code == 200
    drain()
    assert smtp_server.to("coord-owner@example.org"), "the coordinator is told"
    found = db.session.scalar(select(SignOnRequest))

    response = post(as_user("coord_owner"), f"/en/letters/{open_letter.slug}/requests/{found.id}/approve")

    assert response.status_code == 303
    letter = reload(open_letter)
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.id == reload_request().organisation_id)
    )
    assert organisation.name("ru") == "Нота Бене" and organisation.city == "Душанбе"
    assert [s.byline("ru") for s in letter.signatories()] == [
        "Нота Бене, Душанбе (Нигина Бахриева, Директор)"
    ]
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.email, invitation.role, invitation.lang) == (
        "nigina@notabene.example.org",
        "owner",
        "ru",
    )
    assert reload_request().email is None, "the address is erased once decided"
    drain()
    assert (
        smtp_server.to("nigina@notabene.example.org")[-1].message["Subject"]
        != smtp_server.to("nigina@notabene.example.org")[0].message["Subject"]
    ), "the invitation follows the confirmation"


def reload_request() -> SignOnRequest:
    db.session.expire_all()
    return db.session.scalar(select(SignOnRequest))


def test_an_unconfirmed_request_does_not_reach_the_coordinator(
    open_letter, client, as_user, drain, smtp_server
):
    ask(client, open_letter)
    drain()
    assert smtp_server.to("coord-owner@example.org") == []
    assert "Нота Бене" not in as_user("coord_owner").get(f"/en/letters/{open_letter.slug}/work").get_data(
        as_text=True
    )


def test_the_confirmation_link_changes_nothing_on_get(open_letter, client, drain, smtp_server):
    ask(client, open_letter)
    drain()
    link = confirmation_link(smtp_server)
    client.get("/" + link.split("/", 3)[3])
    assert reload_request().status == "unconfirmed"


def test_a_request_on_a_text_that_changed_since_the_form_was_shown_is_refused(open_letter, client, world):
    url = f"/ru/letters/{open_letter.slug}/request"
    token = form_token(client, url)
    stale = services.frozen_digest(open_letter)
    services.save_version(
        open_letter, "en", "Free them", "New text.", world.users["coord_owner"], world.organisations["coord"]
    )
    services.drop_language(open_letter, "ru")
    services.open_for_sign_on(open_letter)
    db.session.commit()

    response = client.post(url, data={"form_token": token, "digest": stale, **FIELDS})

    assert response.status_code == 409
    assert db.session.scalar(select(SignOnRequest)) is None


def test_an_approved_request_on_an_older_text_waits_for_the_new_owner_to_confirm(
    open_letter, client, as_user, world, drain, smtp_server
):
    ask(client, open_letter)
    drain()
    confirm(client, confirmation_link(smtp_server))
    services.save_version(
        open_letter, "en", "Free them", "New text.", world.users["coord_owner"], world.organisations["coord"]
    )
    services.drop_language(open_letter, "ru")
    services.open_for_sign_on(open_letter)
    db.session.commit()

    post(as_user("coord_owner"), f"/en/letters/{open_letter.slug}/requests/{reload_request().id}/approve")

    letter = reload(open_letter)
    assert letter.signatories() == []
    assert [s.representative for s in letter.pending_sign_ons()] == ["Нигина Бахриева"]


def test_the_requester_confirming_after_the_text_changed_sees_the_changes(
    open_letter, client, world, drain, smtp_server
):
    ask(client, open_letter)
    drain()
    link = confirmation_link(smtp_server)
    services.save_version(
        open_letter,
        "en",
        "Free the defenders",
        "We demand their release now.",
        world.users["coord_owner"],
        world.organisations["coord"],
    )
    services.drop_language(open_letter, "ru")
    services.open_for_sign_on(open_letter)
    db.session.commit()

    page = client.get("/" + link.split("/", 3)[3]).get_data(as_text=True)

    assert "<ins>" in page


def test_the_form_answers_the_same_for_an_organisation_already_on_the_platform(open_letter, client, drain):
    first = ask(client, open_letter, organisation="Partner Org", email="a@example.org").get_data(as_text=True)
    second = ask(client, open_letter, organisation="Unknown Org", email="b@example.org").get_data(
        as_text=True
    )
    strip = lambda html: re.sub(r'name="form_token"[^>]*', "", html)  # noqa: E731
    assert strip(first) == strip(second)


def test_the_coordinator_declines_and_the_requester_is_told(open_letter, client, as_user, drain, smtp_server):
    ask(client, open_letter)
    drain()
    confirm(client, confirmation_link(smtp_server))

    post(as_user("coord_owner"), f"/en/letters/{open_letter.slug}/requests/{reload_request().id}/decline")
    drain()

    assert reload_request().status == "declined" and reload_request().email is None
    assert "Нота Бене" in smtp_server.to("nigina@notabene.example.org")[-1].text()
    assert db.session.scalar(select(Organisation).where(Organisation.slug.like("%nota%"))) is None


def test_a_partner_who_is_not_the_coordinator_cannot_decide(open_letter, client, as_user, drain, smtp_server):
    ask(client, open_letter)
    drain()
    confirm(client, confirmation_link(smtp_server))
    response = post(
        as_user("partner_signer"), f"/en/letters/{open_letter.slug}/requests/{reload_request().id}/approve"
    )
    assert response.status_code == 404 and reload_request().status == "pending"


def test_a_request_without_an_email_address_is_refused_with_a_message(open_letter, client):
    response = ask(client, open_letter, email="")
    assert response.status_code == 422
    assert db.session.scalar(select(SignOnRequest)) is None


def test_the_request_form_works_without_a_cookie_and_sets_none(open_letter, app, drain, smtp_server):
    visitor = app.test_client(use_cookies=False)
    url = f"/ru/letters/{open_letter.slug}/request"

    page = visitor.get(url)
    sent = ask(visitor, open_letter)

    assert "Set-Cookie" not in page.headers and "Set-Cookie" not in sent.headers
    assert sent.status_code == 200
    drain()
    assert smtp_server.to("nigina@notabene.example.org")


def test_the_public_letter_page_carries_the_request_form_and_sets_no_cookie(open_letter, client):
    response = client.get(f"/en/letters/{open_letter.slug}")
    html = response.get_data(as_text=True)
    for name in ("organisation", "city", "country", "representative", "title", "email"):
        assert f'name="{name}"' in html
    assert "Set-Cookie" not in response.headers


def test_requests_are_rate_limited_with_a_message_in_the_pages_language(open_letter, client):
    statuses = [ask(client, open_letter, email=f"n{n}@notabene.example.org").status_code for n in range(6)]
    refused = ask(client, open_letter, email="late@notabene.example.org")

    assert statuses == [200] * 5 + [429]
    assert refused.status_code == 429 and 'lang="ru"' in refused.get_data(as_text=True)
    assert "Too many" not in refused.get_data(as_text=True)
    assert len(db.session.scalars(select(SignOnRequest)).all()) == 5
