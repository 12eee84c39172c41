"""Following a case: confirmed by a link and a button, one mail per event, one-click unfollow."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from campaign.accounts.models import User
from campaign.campaigns.models import Campaign
from campaign.defenders.models import Defender, Follower
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures import retention
from campaign.updates import services
from tests.conftest import csrf_token, form_token
from tests.dump import database_dump
from tests.smtp import SMTPServer

BASE = "https://campaign.example.org"


def _post_follow(
    client: FlaskClient, defender: Defender, address: str, lang: str = "en", **headers: str
) -> Any:
    """Send the follow form as a browser would, with the form token the page drew."""
    page = f"/{lang}/defenders/{defender.slug}"
    data = {"email": address, "form_token": form_token(client, page)}
    return client.post(f"{page}/follow", data=data, headers=headers)


def _link(smtp_server: SMTPServer, address: str) -> str:
    messages = smtp_server.to(address)
    assert messages, f"no mail to {address}"
    match = re.search(re.escape(BASE) + r"(/\S+)", messages[-1].text())
    assert match
    return match.group(1)


@pytest.fixture
def follow(client: FlaskClient, drain: Callable[[], None], smtp_server: SMTPServer) -> Callable[..., str]:
    """Follow ``defender`` as ``address`` through the form and the emailed link's button."""

    def run(defender: Defender, address: str, lang: str = "en", confirm: bool = True) -> str:
        response = _post_follow(client, defender, address, lang)
        assert response.status_code == 200
        drain()
        link = _link(smtp_server, address)
        if confirm:
            assert client.post(link).status_code == 200
        return link

    return run


def _followers() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Follower).where(Follower.confirmed_at.is_not(None))
    )


def test_following_mails_a_link_whose_page_confirms_only_by_its_button(
    client: FlaskClient, campaign: Campaign, follow: Callable[..., str], smtp_server: SMTPServer
) -> None:
    link = follow(campaign.defender, "reader@example.net", lang="ru", confirm=False)

    [mail] = smtp_server.to("reader@example.net")
    assert "Roza T (ru)" in mail.message["Subject"] and link.startswith("/ru/follow/")
    assert client.get(link).status_code == 200 and _followers() == 0
    assert client.post(link).status_code == 200 and _followers() == 1


def test_a_bad_address_is_refused_on_the_page_with_a_message(client: FlaskClient, campaign: Campaign) -> None:
    response = _post_follow(client, campaign.defender, "not an address")

    assert response.status_code == 422
    assert "Please enter a valid email address" in response.get_data(as_text=True)


def test_following_again_with_the_same_address_mails_nothing_more(
    client: FlaskClient, campaign: Campaign, follow: Callable[..., str], smtp_server: SMTPServer, drain
) -> None:
    follow(campaign.defender, "reader@example.net")
    _post_follow(client, campaign.defender, "Reader@example.net")
    drain()

    assert len(smtp_server.to("reader@example.net")) == 1


def _save_status(client: FlaskClient, defender: Defender, status: str) -> None:
    edit = f"/en/dashboard/defenders/{defender.slug}/edit"
    fields = {
        "csrf_token": csrf_token(client, edit),
        "slug": defender.slug,
        "country": defender.country,
        "status": status,
        "default_lang": "en",
        "is_public": "y",
        "text_en-name": "Roza T (en)",
    }
    assert client.post(edit, data=fields).status_code == 303


def test_a_status_change_mails_each_confirmed_follower_exactly_once(
    client: FlaskClient, staff: User, campaign: Campaign, follow, smtp_server: SMTPServer, drain
) -> None:
    defender = campaign.defender
    follow(defender, "one@example.net")
    follow(defender, "pending@example.net", confirm=False)

    _save_status(client, defender, "released")
    _save_status(client, defender, "released")
    drain()

    [news] = smtp_server.to("one@example.net")[1:]
    assert news.message["Subject"] == "Roza T (en): Released"
    assert len(smtp_server.to("pending@example.net")) == 1  # its confirmation only


def test_every_follow_mail_names_the_operator_and_links_the_privacy_page(
    app, client: FlaskClient, staff: User, campaign: Campaign, follow, smtp_server: SMTPServer, drain
) -> None:
    app.config["OPERATOR_NAME"] = "Human Rights House Test"
    follow(campaign.defender, "one@example.net")
    _save_status(client, campaign.defender, "released")
    drain()

    confirmation, news = smtp_server.to("one@example.net")
    for mail in (confirmation, news):
        html = mail.message.get_body(preferencelist=("html",)).get_content()
        assert "Human Rights House Test" in mail.text() and f"{BASE}/en/privacy" in mail.text()
        assert f'href="{BASE}/en/privacy"' in html


def test_publishing_an_update_mails_followers_once_even_if_published_again(
    client: FlaskClient, staff: User, campaign: Campaign, follow, smtp_server: SMTPServer, drain
) -> None:
    follow(campaign.defender, "one@example.net")
    update = services.create_update(campaign, "en", "Hearing postponed", "Again.")
    db.session.commit()
    page = f"/en/dashboard/campaigns/{campaign.slug}/updates/{update.id}"
    for action in ("publish", "unpublish", "publish"):
        client.post(f"{page}/{action}", data={"csrf_token": csrf_token(client, page)})
    drain()

    [news] = smtp_server.to("one@example.net")[1:]
    assert news.message["Subject"] == "Hearing postponed"
    assert f"{BASE}/en/campaigns/{campaign.slug}#update-{update.id}" in news.text()
    assert news.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_unfollow_deletes_the_follower_without_a_cookie(
    app, campaign: Campaign, follow, smtp_server: SMTPServer, drain, staff: User, client: FlaskClient
) -> None:
    follow(campaign.defender, "one@example.net")
    _save_status(client, campaign.defender, "released")
    drain()
    header = smtp_server.to("one@example.net")[-1].message["List-Unsubscribe"]
    path = header.strip("<>").removeprefix(BASE)

    response = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Follower)) == 0


def test_an_unfollow_link_mailed_before_the_secret_key_was_rotated_still_works(
    app, campaign: Campaign, follow, smtp_server: SMTPServer, drain, staff: User, client: FlaskClient
) -> None:
    follow(campaign.defender, "one@example.net")
    _save_status(client, campaign.defender, "released")
    drain()
    path = smtp_server.to("one@example.net")[-1].message["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    old = app.config["SECRET_KEY"]
    app.config.update(SECRET_KEY="rotated-after-a-leak-" + old, SECRET_KEY_FALLBACKS=[old])

    response = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Follower)) == 0


def test_the_defender_page_with_its_follow_form_sets_no_cookie(
    client: FlaskClient, campaign: Campaign
) -> None:
    response = client.get(f"/en/defenders/{campaign.defender.slug}")

    assert 'name="email"' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_following_works_for_a_browser_that_refuses_cookies_and_sets_none(
    app, campaign: Campaign, drain: Callable[[], None], smtp_server: SMTPServer
) -> None:
    browser = app.test_client(use_cookies=False)
    page = browser.get(f"/en/defenders/{campaign.defender.slug}")

    sent = _post_follow(browser, campaign.defender, "reader@example.net")
    drain()
    link = _link(smtp_server, "reader@example.net")
    confirmed = browser.post(link)

    assert (sent.status_code, confirmed.status_code) == (200, 200) and _followers() == 1
    for response in (page, sent, confirmed):
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("data", [{}, {"form_token": "forged"}])
def test_a_follow_without_the_pages_form_token_is_refused_and_mails_nothing(
    client: FlaskClient, campaign: Campaign, drain: Callable[[], None], smtp_server: SMTPServer, data: dict
) -> None:
    url = f"/en/defenders/{campaign.defender.slug}/follow"

    response = client.post(url, data={"email": "reader@example.net"} | data)
    drain()

    assert response.status_code == 400
    assert "open too long" in response.get_data(as_text=True)
    assert smtp_server.to("reader@example.net") == []


def test_a_follow_sent_from_another_site_is_refused(
    client: FlaskClient, campaign: Campaign, drain: Callable[[], None], smtp_server: SMTPServer
) -> None:
    response = _post_follow(
        client, campaign.defender, "reader@example.net", **{"Sec-Fetch-Site": "cross-site"}
    )
    drain()

    assert response.status_code == 403 and smtp_server.to("reader@example.net") == []


def _age_requests(hours: int) -> None:
    db.session.execute(update(Follower).values(created_at=utcnow() - timedelta(hours=hours)))
    db.session.commit()


def test_the_retention_job_deletes_requests_never_confirmed_within_the_window(
    app, campaign: Campaign, follow: Callable[..., str]
) -> None:
    follow(campaign.defender, "kept@example.net")
    follow(campaign.defender, "stale@example.net", confirm=False)
    _age_requests(app.config["PENDING_FOLLOWER_TTL_HOURS"] + 1)
    follow(campaign.defender, "fresh@example.net", confirm=False)

    retention.apply_retention()

    assert set(db.session.scalars(select(Follower.email))) == {"kept@example.net", "fresh@example.net"}
    assert "stale@example.net" not in database_dump()


def test_an_expired_confirmation_link_confirms_nothing(
    app, client: FlaskClient, campaign: Campaign, follow: Callable[..., str]
) -> None:
    link = follow(campaign.defender, "late@example.net", confirm=False)
    _age_requests(app.config["PENDING_FOLLOWER_TTL_HOURS"] + 1)

    assert client.post(link).status_code == 404 and _followers() == 0


def test_asking_again_gives_a_fresh_window(
    app, client: FlaskClient, campaign: Campaign, follow: Callable[..., str]
) -> None:
    follow(campaign.defender, "again@example.net", confirm=False)
    _age_requests(app.config["PENDING_FOLLOWER_TTL_HOURS"] + 1)
    link = follow(campaign.defender, "again@example.net", confirm=False)

    retention.apply_retention()

    assert client.post(link).status_code == 200 and _followers() == 1
