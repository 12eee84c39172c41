"""Unsubscribing from an update email: RFC 8058 one-click, the page, and its other choices."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from campaign.extensions import db
from campaign.signatures.models import Signature, Supporter
from campaign.updates.tokens import unsubscribe_token


def unsubscribe_path(smtp_server, address: str) -> str:
    [mail] = smtp_server.to(address)
    return mail.message["List-Unsubscribe"].strip("<>").removeprefix("https://campaign.example.org")


def wants_updates(address: str) -> bool:
    return db.session.scalar(select(Signature.wants_updates).where(Signature.email == address))


def test_one_click_unsubscribe_works_without_cookie_or_csrf_token(
    app, campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "anna@example.org")
    add_signer(campaign, "stays@example.org")
    send(write_update(campaign))
    path = unsubscribe_path(smtp_server, "anna@example.org")

    response = app.test_client(use_cookies=False).post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert wants_updates("anna@example.org") is False
    assert wants_updates("stays@example.org") is True
    smtp_server.messages.clear()
    send(write_update(campaign, {"en": ("Next", "More news.")}))
    assert Counter(a for m in smtp_server.messages for a in m.rcpt_tos) == Counter(["stays@example.org"])


def test_unsubscribing_twice_is_harmless(app, campaign, add_signer, write_update, send, smtp_server):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))
    path = unsubscribe_path(smtp_server, "anna@example.org")
    http = app.test_client(use_cookies=False)

    codes = [http.post(path, data={"List-Unsubscribe": "One-Click"}).status_code for _ in range(2)]

    assert codes == [200, 200]
    assert wants_updates("anna@example.org") is False


def test_opening_the_link_changes_nothing_and_offers_buttons(
    client, campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))

    page = client.get(unsubscribe_path(smtp_server, "anna@example.org"))

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'method="post"' in html
    assert "Stop all mail from this platform" in html
    assert "Email me a link to erase my data" in html
    assert wants_updates("anna@example.org") is True


def test_the_page_is_in_the_supporters_language(
    client, campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "dmitry@example.org", lang="ru")
    send(write_update(campaign))

    page = client.get(unsubscribe_path(smtp_server, "dmitry@example.org"))

    assert '<html lang="ru">' in page.get_data(as_text=True)
    assert "Отписаться" in page.get_data(as_text=True)


def test_stop_all_mail_unsubscribes_from_every_campaign(
    client, campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))

    response = client.post(unsubscribe_path(smtp_server, "anna@example.org"), data={"action": "all"})

    assert response.status_code == 200
    assert "no more updates about any campaign" in response.get_data(as_text=True)
    supporter = db.session.scalar(select(Supporter))
    assert supporter.unsubscribed_at is not None


def test_a_forged_or_unknown_token_gets_a_clear_page(client, campaign):
    forged = client.post("/en/unsubscribe/" + "x" * 40, data={"List-Unsubscribe": "One-Click"})
    unknown = client.get("/en/unsubscribe/" + unsubscribe_token(999, campaign.id))

    assert forged.status_code == unknown.status_code == 404
    assert "This link is not valid" in forged.get_data(as_text=True)


def test_an_unknown_action_is_refused(client, campaign, add_signer, write_update, send, smtp_server):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))

    response = client.post(unsubscribe_path(smtp_server, "anna@example.org"), data={"action": "drop-table"})

    assert response.status_code == 400
    assert wants_updates("anna@example.org") is True


def test_an_unsubscribe_link_sent_before_a_secret_key_rotation_still_works(
    app, campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))
    path = unsubscribe_path(smtp_server, "anna@example.org")
    old = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = "rotated-" + old, [old]

    response = app.test_client(use_cookies=False).post(path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert wants_updates("anna@example.org") is False


def test_an_unsubscribe_link_signed_with_a_retired_key_is_refused(
    app, campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))
    path = unsubscribe_path(smtp_server, "anna@example.org")
    app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = "rotated-" + app.config["SECRET_KEY"], []

    assert app.test_client().get(path).status_code == 404
