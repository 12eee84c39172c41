"""Every page reachable by following links, as each kind of user, answers without a server error."""

from __future__ import annotations

import re
from collections import deque

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.accounts.services import enable_totp, new_totp_secret
from campaign.extensions import db

LINK = re.compile(r'href="(/[^"#]*)"')
#: links that leave the pages under test, or end the session being crawled
SKIP = ("/static/", "/dev/", "/media/", "/account/logout", "photo.")


def crawl(client: FlaskClient, start: str, limit: int = 250) -> dict[str, int]:
    seen: dict[str, int] = {}
    todo = deque([start])
    while todo and len(seen) < limit:
        url = todo.popleft()
        if url in seen or any(part in url for part in SKIP):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.mimetype == "text/html":
            todo.extend(LINK.findall(response.get_data(as_text=True).replace("&amp;", "&")))
    return seen


@pytest.fixture
def demo(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def enrol(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    enable_totp(user, new_totp_secret())
    db.session.commit()
    return user


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_public_site_has_no_broken_page(client, demo, lang):
    pages = crawl(client, f"/{lang}/")

    assert len(pages) > 10
    assert {url: code for url, code in pages.items() if code >= 500} == {}


def test_the_staff_dashboard_has_no_broken_page(client, demo, login):
    login(enrol("admin@example.org"), password="demo-partner-password")

    pages = crawl(client, "/en/dashboard/")

    assert len(pages) > 20
    assert {url: code for url, code in pages.items() if code >= 500} == {}


def test_a_partners_pages_have_no_broken_page(client, demo, login):
    login(enrol("adc-memorial@example.org"), password="demo-partner-password")

    pages = crawl(client, "/ru/account/")

    assert len(pages) > 10
    assert {url: code for url, code in pages.items() if code >= 500} == {}


#: pages behind these are for partners and staff, whose login sets the session's cookie
ACCOUNT_PAGES = ("/account/", "/dashboard/", "/letters/mine")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_anonymous_public_page_sets_a_cookie(app, demo, lang):
    """A signer leaves no cookie behind, and a page cache can hold one page for everyone."""
    visitor = app.test_client(use_cookies=False)
    setting: dict[str, str] = {}
    seen: set[str] = set()
    todo = deque([f"/{lang}/"])
    while todo and len(seen) < 250:
        url = todo.popleft()
        if url in seen or any(part in url for part in SKIP + ACCOUNT_PAGES):
            continue
        seen.add(url)
        response = visitor.get(url)
        if "Set-Cookie" in response.headers:
            setting[url] = response.headers["Set-Cookie"].split("=", 1)[0]
        if response.mimetype == "text/html":
            todo.extend(LINK.findall(response.get_data(as_text=True).replace("&amp;", "&")))

    assert len(seen) >= 10
    assert setting == {}
