"""Reachable through Tor: pages link to themselves by path only, and can point Tor Browser at
the onion service."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.smoke.test_crawl import LINK, SKIP

ONION = "http://campaignexample7xyzexample7xyzexample7xyzexample7xyzexample7.onion"


URL_ATTRIBUTE = re.compile(r'(?:href|src|action)="(https?://[^"]+)"')


@pytest.fixture
def demo(app: Flask) -> None:
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0


def test_no_public_page_links_to_itself_by_an_absolute_address(app, demo):
    visitor = app.test_client(use_cookies=False)
    absolute: dict[str, list[str]] = {}
    seen, todo = set(), ["/en/", "/en/privacy", "/en/forget"]
    while todo and len(seen) < 120:
        url = todo.pop()
        if url in seen or any(part in url for part in SKIP) or "/account/" in url:
            continue
        seen.add(url)
        response = visitor.get(url, base_url="http://somewhere.onion")
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        own = [u for u in URL_ATTRIBUTE.findall(html) if "example.org" in u or ".onion" in u]
        if own:
            absolute[url] = own
        todo.extend(LINK.findall(html.replace("&amp;", "&")))

    assert len(seen) > 10
    assert absolute == {}


def test_the_onion_location_header_points_at_the_same_page_on_the_onion_service(app, client, campaign):
    app.config["ONION_LOCATION"] = ONION

    response = client.get(f"/en/campaigns/{campaign.slug}?ref=memorial")

    assert response.headers["Onion-Location"] == f"{ONION}/en/campaigns/{campaign.slug}?ref=memorial"


def test_no_onion_location_without_the_setting_or_on_the_onion_service_itself(app, client, campaign):
    assert "Onion-Location" not in client.get("/en/privacy").headers
    app.config["ONION_LOCATION"] = ONION

    assert "Onion-Location" not in client.get("/en/privacy", base_url=ONION).headers
