"""The public forget-me page: an erasure link mailed to the address, the same answer either way."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign.defenders.models import Follower
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures.models import Signature
from campaign.signatures.services import email_hash
from tests.conftest import form_token
from tests.signatures.test_signing import confirm

URL = "/en/forget"


def ask(client, email: str, ip: str = "198.51.100.90"):
    return client.post(
        URL, data={"form_token": form_token(client, URL), "email": email}, environ_base={"REMOTE_ADDR": ip}
    )


def test_a_known_address_gets_an_erasure_link_that_erases(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug, email="known@example.org", name="Known Person")
    drain()
    confirm(client, smtp_server.messages[0])
    smtp_server.messages.clear()

    ask(client, "Known@example.org")
    drain()
    [mail] = smtp_server.messages
    link = re.search(r"https://campaign\.example\.org(/\S+/erase/\S+)", mail.text()).group(1)
    client.post(link, data={"form_token": form_token(client, link)})

    assert mail.rcpt_tos == ["Known@example.org"]
    assert db.session.scalar(select(Signature.name)) == ""


def test_someone_who_only_follows_a_case_gets_an_erasure_link_that_forgets_them(
    client, campaign, drain, smtp_server
):
    address = "follows.only@example.org"
    db.session.add(
        Follower(defender_id=campaign.defender_id, email=address, email_hash=email_hash(address), lang="ru",
                 token_hash="x" * 64, confirmed_at=utcnow())
    )  # fmt: skip
    db.session.commit()

    ask(client, "Follows.Only@example.org")
    drain()
    [mail] = smtp_server.messages
    link = re.search(r"https://campaign\.example\.org(/\S+/erase/\S+)", mail.text()).group(1)
    client.post(link, data={"form_token": form_token(client, link)})

    assert mail.rcpt_tos == ["Follows.Only@example.org"]
    assert db.session.scalar(select(Follower.id)) is None


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug, email="known@example.org")
    drain()
    confirm(client, smtp_server.messages[0])
    smtp_server.messages.clear()

    known, unknown = ask(client, "known@example.org"), ask(client, "stranger@example.net")
    drain()

    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert [message.rcpt_tos for message in smtp_server.messages] == [["known@example.org"]]


def test_forget_me_is_rate_limited(client, campaign):
    answers = [
        ask(client, f"person{number}@example.org", ip="203.0.113.91").status_code for number in range(6)
    ]

    assert answers == [200] * 5 + [429]


def test_a_malformed_address_is_explained(client):
    response = ask(client, "not-an-address")

    assert response.status_code == 422
    assert "Please enter a valid email address" in response.get_data(as_text=True)


def test_the_forget_me_page_sets_no_cookie_and_links_the_privacy_page(app):
    page = app.test_client(use_cookies=False).get(URL)

    assert "Set-Cookie" not in page.headers
    assert 'href="/en/privacy"' in page.get_data(as_text=True)
