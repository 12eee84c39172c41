"""The public signing form works without a session: a signed form token and the request's origin."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.signatures.models import Signature, SignatureStatus
from tests.conftest import form_token
from tests.signatures.test_signing import confirmation_link, count

FIELDS = {"name": "Aigerim", "email": "aigerim@example.org", "country": "KZ"}


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Signature)) or 0


def token_on(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_signing_and_confirming_work_for_a_browser_that_refuses_cookies(app, campaign, drain, smtp_server):
    browser = app.test_client(use_cookies=False)
    url = f"/en/campaigns/{campaign.slug}"
    page = browser.get(url)
    token = token_on(page)

    signed = browser.post(url, data=FIELDS | {"form_token": token})
    drain()
    link = confirmation_link(smtp_server.messages[0])
    confirm_page = browser.get(link)
    confirmed = browser.post(link, data={"form_token": token_on(confirm_page)})

    assert (signed.status_code, confirmed.status_code) == (303, 200)
    assert db.session.scalar(select(Signature.status)) == SignatureStatus.CONFIRMED
    assert count(browser, campaign.slug) == 1
    for response in (page, signed, confirm_page, confirmed):
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example.net"},
    ],
)
def test_a_submission_from_another_site_is_refused(client, campaign, headers):
    url = f"/en/campaigns/{campaign.slug}"

    response = client.post(url, data=FIELDS | {"form_token": form_token(client, url)}, headers=headers)

    assert response.status_code == 403
    assert "can only be sent from our own pages" in response.get_data(as_text=True)
    assert stored() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "null"},  # a browser, with our no-referrer policy
        {"Origin": "http://localhost"},  # an older browser
        {},  # a client that sends neither: the token decides
    ],
)
def test_a_submission_from_our_own_page_is_accepted(client, campaign, headers):
    url = f"/en/campaigns/{campaign.slug}"

    response = client.post(url, data=FIELDS | {"form_token": form_token(client, url)}, headers=headers)

    assert response.status_code == 303
    assert stored() == 1


def test_a_form_left_open_too_long_is_shown_again_with_what_was_typed(app, client, campaign):
    url = f"/en/campaigns/{campaign.slug}"
    token = form_token(client, url)
    app.config["PUBLIC_FORM_MAX_AGE"] = -1  # every token is now too old

    response = client.post(url, data=FIELDS | {"form_token": token})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This form was open too long" in html
    assert 'value="aigerim@example.org"' in html
    assert stored() == 0


def test_a_token_drawn_for_another_form_is_refused(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug, email="first@example.org")
    drain()
    other_form = form_token(client, confirmation_link(smtp_server.messages[0]))  # the confirmation page's

    response = client.post(f"/en/campaigns/{campaign.slug}", data=FIELDS | {"form_token": other_form})

    assert response.status_code == 400
    assert stored() == 1


def test_a_form_drawn_before_the_secret_key_was_rotated_still_signs(app, client, campaign):
    url = f"/en/campaigns/{campaign.slug}"
    token = form_token(client, url)
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "rotated-" + app.config["SECRET_KEY"]

    response = client.post(url, data=FIELDS | {"form_token": token})

    assert response.status_code == 303
    assert stored() == 1


def test_a_tampered_token_is_refused(client, campaign):
    url = f"/en/campaigns/{campaign.slug}"
    token = form_token(client, url)

    response = client.post(url, data=FIELDS | {"form_token": token[:-2] + "xx"})

    assert response.status_code == 400
    assert stored() == 0
