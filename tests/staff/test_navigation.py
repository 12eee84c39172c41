"""The staff navigation: every staff feature one click away, on every staff page, in the page's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.campaigns.models import Campaign

NAV = re.compile(r'<nav class="staff"[^>]*>(.*?)</nav>', re.S)


def _nav_links(html: str) -> list[tuple[str, str]]:
    match = NAV.search(html)
    assert match, "no staff navigation on the page"
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', match.group(1))


def test_every_section_of_the_staff_navigation_opens_for_a_campaigner(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    links = _nav_links(client.get("/en/dashboard/").get_data(as_text=True))

    labels = [label for _, label in links]
    for expected in (
        "Campaigns",
        "Defenders",
        "Updates",
        "Letters",
        "Moderation",
        "Exports",
        "Organisations",
        "Team",
        "Audit log",
    ):
        assert expected in labels
    for url, label in links:
        assert client.get(url).status_code == 200, label


def test_the_navigation_marks_the_section_of_the_page(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    html = client.get(f"/en/dashboard/campaigns/{campaign.slug}/updates/").get_data(as_text=True)

    assert re.search(r'aria-current="page">Updates<', NAV.search(html).group(1))  # type: ignore[union-attr]


def test_the_navigation_links_stay_in_the_page_language(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    links = _nav_links(client.get("/ru/dashboard/").get_data(as_text=True))

    assert links and all(url.startswith("/ru/") for url, _ in links)


def test_a_partner_sees_no_staff_navigation(
    client: FlaskClient, create_user: Callable[..., User], login: Callable[..., Any]
) -> None:
    login(create_user("partner@example.org", org="PEN Kazakhstan"))

    assert 'class="staff"' not in client.get("/en/account/").get_data(as_text=True)


def test_the_updates_overview_lists_each_campaigns_updates(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    html = client.get("/en/dashboard/updates/").get_data(as_text=True)

    assert f'/en/dashboard/campaigns/{campaign.slug}/updates/"' in html
