"""Public case updates: published by the campaigner's choice, shown on the pages, in Atom feeds."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.updates import services
from campaign.updates.models import Update
from tests.conftest import csrf_token


@pytest.fixture
def update(campaign: Campaign) -> Update:
    made = services.create_update(campaign, "en", "Hearing postponed", "The court *adjourned* again.")
    services.set_text(made, "ru", "Заседание отложено", "Суд снова отложил заседание.")
    db.session.commit()
    return made


def _publish(client: FlaskClient, campaign: Campaign, update: Update) -> Any:
    page = f"/en/dashboard/campaigns/{campaign.slug}/updates/{update.id}"
    return client.post(f"{page}/publish", data={"csrf_token": csrf_token(client, page)})


def _feed(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_a_published_update_is_shown_on_the_campaign_and_defender_pages(
    client: FlaskClient, staff: User, campaign: Campaign, update: Update
) -> None:
    assert _publish(client, campaign, update).status_code == 303

    campaign_page = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
    defender_page = client.get(f"/ru/defenders/{campaign.defender.slug}").get_data(as_text=True)

    assert f'id="update-{update.id}"' in campaign_page and "<em>adjourned</em>" in campaign_page
    assert "Заседание отложено" in defender_page


def test_an_update_that_is_only_mailed_is_not_public(
    client: FlaskClient, campaign: Campaign, update: Update
) -> None:
    services.send_update(update.id)
    db.session.commit()

    assert "Hearing postponed" not in client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
    assert _feed(client, f"/en/campaigns/{campaign.slug}/feed.atom").entries == []


def test_publishing_is_a_post_with_the_csrf_token(
    client: FlaskClient, staff: User, campaign: Campaign, update: Update
) -> None:
    url = f"/en/dashboard/campaigns/{campaign.slug}/updates/{update.id}/publish"

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 400
    assert db.session.get(Update, update.id).published_at is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "feed",
    [
        "/{lang}/feed.atom",
        "/{lang}/countries/kz/feed.atom",
        "/{lang}/defenders/{defender}/feed.atom",
        "/{lang}/campaigns/{campaign}/feed.atom",
    ],
)
def test_each_feed_is_valid_atom_with_the_update_in_its_language(
    client: FlaskClient, staff: User, campaign: Campaign, update: Update, feed: str
) -> None:
    _publish(client, campaign, update)
    values = {"defender": campaign.defender.slug, "campaign": campaign.slug}

    english = _feed(client, feed.format(lang="en", **values))
    russian = _feed(client, feed.format(lang="ru", **values))

    assert [entry.title for entry in english.entries] == ["Hearing postponed"]
    assert [entry.title for entry in russian.entries] == ["Заседание отложено"]
    assert english.entries[0].id == russian.entries[0].id
    assert (
        english.entries[0].link
        == f"https://campaign.example.org/en/campaigns/{campaign.slug}#update-{update.id}"
    )
    assert russian.feed.language == "ru"


@pytest.mark.parametrize(
    "page", ["/en/defenders", "/en/defenders/{defender}", "/en/countries/kz", "/en/campaigns/{campaign}"]
)
def test_pages_with_a_feed_link_it(client: FlaskClient, campaign: Campaign, page: str) -> None:
    html = client.get(page.format(defender=campaign.defender.slug, campaign=campaign.slug)).get_data(
        as_text=True
    )

    assert '<link rel="alternate" type="application/atom+xml"' in html
    feed_url = html.split('type="application/atom+xml"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    _feed(client, feed_url)
