"""Signing, confirming and counting, through the test client, the real database, Redis and SMTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from campaign.extensions import db, queues
from campaign.models_base import utcnow
from campaign.outbox import OutboxMessage
from campaign.security import hash_token, ip_hash
from campaign.signatures.models import Signature, SignatureStatus, Supporter
from campaign.signatures.services import normalise_email
from tests.conftest import form_token
from tests.postgres import end_server_connections


def confirmation_link(message) -> str:
    match = re.search(r"https://campaign\.example\.org(/\S*/verify/\S+)", message.text())
    assert match, message.text()
    return match.group(1)


def press(client, link: str):
    """Open the confirmation page, then press its button, as a person does."""
    return client.post(link, data={"form_token": form_token(client, link)})


def confirm(client, message):
    return press(client, confirmation_link(message))


def count(client, slug: str) -> int:
    return client.get(f"/api/v1/campaigns/{slug}").get_json()["signature_count"]


def test_signing_sends_a_confirmation_and_only_the_confirmed_signature_counts(
    client, campaign, sign, drain, smtp_server
):
    response = sign(campaign.slug, name="Aigerim", email="Aigerim@Example.org")

    assert response.status_code == 303
    assert response.location.endswith(f"/en/campaigns/{campaign.slug}/check-email")
    assert "check your email" in client.get(response.location).get_data(as_text=True).lower()
    assert count(client, campaign.slug) == 0

    drain()
    [mail] = smtp_server.to("Aigerim@example.org")
    assert mail.message["Subject"].startswith("Please confirm your signature")
    assert mail.message.get_body(preferencelist=("plain",)) is not None

    page = confirm(client, mail)
    assert page.status_code == 200
    assert "confirmed and counted" in page.get_data(as_text=True)
    assert count(client, campaign.slug) == 1
    signature = db.session.scalar(select(Signature))
    assert signature.status == SignatureStatus.CONFIRMED
    assert db.session.scalar(select(func.count()).select_from(Supporter)) == 1


def test_a_signature_and_its_confirmation_are_stored_together_and_a_sender_is_called(client, campaign, sign):
    sign(campaign.slug, lang="ru", name="Aigerim", email="aigerim@example.org")

    signature = db.session.scalar(select(Signature))
    [outbox] = db.session.scalars(select(OutboxMessage)).all()
    assert (outbox.kind, outbox.queue, outbox.status, outbox.attempts) == (
        "signature_confirm",
        "mail",
        "pending",
        0,
    )
    assert (outbox.recipient, outbox.lang) == ("aigerim@example.org", "ru")
    assert outbox.idempotency_key == f"signature-confirm:{signature.token_hash}"
    assert outbox.payload["signature_id"] == signature.id
    assert hash_token(outbox.payload["token"]) == signature.token_hash
    assert queues.queue("mail").count == 1  # the flush job kicked once the rows were committed


def test_signing_on_connections_the_database_closed_works(client, campaign):
    url = f"/en/campaigns/{campaign.slug}"
    token = form_token(client, url)  # the pool now holds an idle connection
    end_server_connections()

    fields = {"form_token": token, "name": "Aigerim", "email": "aigerim@example.org", "country": "KZ"}
    assert client.post(url, data=fields).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_the_confirmation_mail_is_in_the_signers_language(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug, lang="ru", email="dmitry@example.org")
    drain()
    [mail] = smtp_server.to("dmitry@example.org")
    assert "Подтвердите" in mail.message["Subject"]
    assert "Title ru" in mail.message["Subject"]
    assert "/ru/verify/" in mail.text()


def test_a_campaign_not_translated_into_the_signers_language_is_named_in_its_own(
    client, create_campaign, sign, drain, smtp_server
):
    campaign = create_campaign("only-english", langs=("en",))
    sign(campaign.slug, lang="ru", email="dmitry@example.org")
    drain()

    [mail] = smtp_server.to("dmitry@example.org")
    assert "Подтвердите" in mail.message["Subject"] and "Title en" in mail.message["Subject"]


def test_reusing_a_confirmation_link_counts_once_and_says_so(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug)
    drain()
    link = confirmation_link(smtp_server.messages[0])
    token = form_token(client, link)
    client.post(link, data={"form_token": token})
    again = client.post(link, data={"form_token": token})  # a second tab, or the back button

    assert again.status_code == 200
    assert "already confirmed" in again.get_data(as_text=True)
    assert count(client, campaign.slug) == 1


def test_opening_the_confirmation_link_changes_nothing_and_shows_a_button(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug)
    drain()
    link = confirmation_link(smtp_server.messages[0])

    pages = [client.get(link), client.get(link)]  # a mail scanner, then a preview

    assert [page.status_code for page in pages] == [200, 200]
    html = pages[1].get_data(as_text=True)
    assert '<form method="post">' in html and "Confirm my signature" in html
    assert db.session.scalar(select(Signature.status)) == SignatureStatus.PENDING
    assert count(client, campaign.slug) == 0


def test_pressing_the_button_confirms_and_counts(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug)
    drain()

    response = press(client, confirmation_link(smtp_server.messages[0]))

    assert "is confirmed and counted" in response.get_data(as_text=True)
    assert count(client, campaign.slug) == 1


def test_an_already_confirmed_link_opened_again_shows_a_harmless_page(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug)
    drain()
    confirm(client, smtp_server.messages[0])

    page = client.get(confirmation_link(smtp_server.messages[0]))

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "already confirmed" in html and "<form" not in html.split("<main", 1)[1].split("</main>")[0]
    assert count(client, campaign.slug) == 1


def test_a_tampered_link_is_answered_with_a_clear_page(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug)
    drain()
    link = confirmation_link(smtp_server.messages[0])

    response = client.post(link[:-3] + "xyz", data={"form_token": form_token(client, link)})

    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)
    assert count(client, campaign.slug) == 0


@pytest.mark.parametrize(
    "variant",
    ["Roza.T+petition@GMAIL.com", "rozat@googlemail.com", "ROZAT@gmail.com", "r.o.z.a.t+x@gmail.com"],
)
def test_signing_twice_with_a_variant_of_the_address_counts_once(
    client, campaign, sign, drain, smtp_server, variant
):
    sign(campaign.slug, email="rozat@gmail.com")
    drain()
    confirm(client, smtp_server.messages[0])

    second = sign(campaign.slug, email=variant, ip="198.51.100.8")
    drain()

    assert second.status_code == 303
    assert second.location.endswith("/check-email")
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
    assert count(client, campaign.slug) == 1
    reminder = smtp_server.messages[-1]
    assert reminder.message["Subject"].startswith("You have already signed")
    [typed] = reminder.rcpt_tos  # the address just typed: the stored one was erased on confirming
    assert typed.lower() == variant.lower() and normalise_email(typed) == "rozat@gmail.com"


def test_a_pending_signer_who_signs_again_gets_no_second_signature(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug)
    sign(campaign.slug, ip="198.51.100.9")
    drain()

    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize("message", ["", "Держись, Роза!"])
def test_a_pending_signer_who_signs_again_later_gets_a_fresh_link_that_confirms(
    client, campaign, sign, drain, smtp_server, message
):
    """With or without a solidarity message: a second signing within a few minutes sends nothing
    and keeps the first link working; later, a new link goes out and confirms."""
    sign(campaign.slug)
    sign(campaign.slug, ip="198.51.100.9", message=message)
    drain()
    [first] = smtp_server.messages
    db.session.execute(Signature.__table__.update().values(token_sent_at=utcnow() - timedelta(minutes=6)))
    db.session.commit()
    sign(campaign.slug, ip="198.51.100.10", message=message)
    drain()

    [_, second] = smtp_server.messages
    assert confirmation_link(second) != confirmation_link(first)
    assert press(client, confirmation_link(second)).status_code == 200
    assert db.session.scalar(select(Signature.status)) == SignatureStatus.CONFIRMED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Please enter your name."),
        ({"name": "x" * 10_000}, "Please shorten your name to 100 characters."),
        ({"name": "Roza\x00\x07"}, "Please remove invisible control characters."),
        ({"name": "<script>alert(1)</script>"}, "Please use letters only, without &lt; or &gt;."),
        ({"email": ""}, "Please enter your email address."),
        ({"email": "not-an-address"}, "Please enter a valid email address"),
        ({"email": "a@" + "b" * 300 + ".org"}, "This email address is too long."),
        ({"country": ""}, "Please choose your country."),
        ({"country": "XX"}, "Please choose your country from the list."),
    ],
)
def test_bad_input_is_answered_on_the_form_and_nothing_is_stored(client, campaign, sign, fields, message):
    response = sign(campaign.slug, **fields)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_bad_input_is_explained_in_the_pages_language(client, campaign, sign):
    response = sign(campaign.slug, lang="ru", email="nope")

    assert response.status_code == 422
    assert "Введите правильный адрес электронной почты" in response.get_data(as_text=True)


def test_a_post_without_the_form_token_is_refused_and_keeps_what_was_typed(client, campaign):
    response = client.post(
        f"/en/campaigns/{campaign.slug}", data={"name": "Aigerim", "email": "a@example.org", "country": "KZ"}
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This form was open too long" in html
    assert 'value="a@example.org"' in html and 'name="form_token"' in html
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_the_honeypot_answers_like_success_and_stores_nothing(client, campaign, sign):
    response = sign(campaign.slug, website="http://spam.example.net")

    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_signing_a_closed_campaign_is_refused_clearly(client, campaign, create_campaign):
    closed = create_campaign(slug="closed-one", status="closed")
    token = form_token(client, f"/en/campaigns/{campaign.slug}")

    response = client.post(
        f"/en/campaigns/{closed.slug}",
        data={"form_token": token, "name": "A", "email": "a@example.org", "country": "KZ"},
    )

    assert response.status_code == 409
    assert "no longer takes signatures" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "status_code"),
    [
        ({"status": "draft"}, 404),
        ({"status": "won"}, 409),
        ({"opens_at": utcnow() + timedelta(days=1)}, 409),
        ({"closes_at": utcnow() - timedelta(minutes=1)}, 409),
    ],
)
def test_a_campaign_that_takes_no_signatures_stores_none(
    client, campaign, create_campaign, fields, status_code
):
    other = create_campaign(slug="not-open", **fields)
    token = form_token(client, f"/en/campaigns/{campaign.slug}")

    response = client.post(
        f"/en/campaigns/{other.slug}",
        data={"form_token": token, "name": "A", "email": "a@example.org", "country": "KZ"},
    )

    assert response.status_code == status_code
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_signing_an_unknown_campaign_is_not_found(client, campaign):
    token = form_token(client, f"/en/campaigns/{campaign.slug}")

    response = client.post(
        "/en/campaigns/no-such-campaign",
        data={"form_token": token, "name": "A", "email": "a@example.org", "country": "KZ"},
    )

    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_the_rate_limit_answers_429_with_a_message(client, app, campaign, sign):
    app.config["SIGN_RATE_LIMIT"] = "2 per minute"
    responses = [sign(campaign.slug, email=f"p{number}@example.org", ip="203.0.113.9") for number in range(3)]

    assert [response.status_code for response in responses] == [303, 303, 429]
    assert responses[2].headers["Retry-After"] == "60"
    assert "Too many attempts" in responses[2].get_data(as_text=True)


def test_the_confirmation_mail_carries_the_signers_name_escaped_only_in_html(
    campaign, sign, drain, smtp_server
):
    sign(campaign.slug, name='Anna & "Bob"', email="anna@example.org")
    sign(campaign.slug, name="Nurlan", email="nurlan@example.org")
    drain()

    [anna] = smtp_server.to("anna@example.org")
    assert 'Hello Anna & "Bob",' in anna.text()
    assert "Anna &amp; &#34;Bob&#34;" in anna.message.get_body(preferencelist=("html",)).get_content()
    [nurlan] = smtp_server.to("nurlan@example.org")
    assert "Hello Nurlan," in nurlan.text()
    assert confirmation_link(anna) != confirmation_link(nurlan)


def test_signer_text_is_escaped_wherever_it_is_shown(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug, name="Anna & \"Bob\" 'C'", show_name="y")
    drain()
    confirm(client, smtp_server.messages[0])

    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert "Anna &amp; &#34;Bob&#34; &#39;C&#39;" in html


def test_a_signers_name_is_public_only_with_consent(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug, name="Private Person", email="private@example.org")
    sign(campaign.slug, name="Public Person", email="public@example.org", show_name="y", ip="198.51.100.20")
    drain()
    for message in list(smtp_server.messages):
        confirm(client, message)

    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert "Public Person" in html
    assert "Private Person" not in html


def test_the_ip_address_is_stored_only_as_its_keyed_hash(app, client, campaign, sign):
    sign(campaign.slug, ip="192.0.2.77")

    stored = [
        str(value)
        for table in db.metadata.sorted_tables
        for row in db.session.execute(select(table)).all()
        for value in row
    ]
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.77"}):
        expected = ip_hash()
    assert db.session.scalar(select(Signature.ip_hash)) == expected
    assert [value for value in stored if "192.0.2.77" in value] == []


def test_unconfirmed_signatures_expire(app, campaign, sign):
    from datetime import timedelta

    from campaign.models_base import utcnow
    from campaign.signatures.services import expire_pending

    sign(campaign.slug)
    db.session.execute(db.update(Signature).values(created_at=utcnow() - timedelta(hours=73)))
    db.session.commit()

    assert expire_pending() == 1
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_the_token_is_stored_hashed(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug)
    drain()
    token = confirmation_link(smtp_server.messages[0]).rsplit("/", 1)[1]

    signature = db.session.scalar(select(Signature))
    assert signature.status == SignatureStatus.PENDING
    assert token not in (signature.token_hash or "")
    outbox = db.session.scalar(select(OutboxMessage))
    assert "token" not in outbox.payload
