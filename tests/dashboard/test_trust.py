"""A dashboard you can trust: cached figures say when they were computed and can be refreshed;
the charts carry dates and a running total towards the goal."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.campaigns.models import Campaign
from tests.conftest import csrf_token

CONFIRMED = re.compile(r"<dt>Confirmed</dt><dd>(\d+)</dd>")


def _confirmed(html: str) -> int:
    match = CONFIRMED.search(html)
    assert match
    return int(match.group(1))


def test_cached_figures_say_when_they_were_computed(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    html = client.get(f"/en/dashboard/campaigns/{campaign.slug}").get_data(as_text=True)

    assert re.search(r"As of \d\d:\d\d:\d\d UTC", html)


def test_refreshing_recomputes_the_cached_figures(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    url = f"/en/dashboard/campaigns/{campaign.slug}"
    add_signatures(campaign.id, 2)
    assert _confirmed(client.get(url).get_data(as_text=True)) == 2
    add_signatures(campaign.id, 3)
    assert _confirmed(client.get(url).get_data(as_text=True)) == 2  # still the cached figures

    refreshed = client.post(f"{url}/figures/refresh", data={"csrf_token": csrf_token(client, url)})

    assert refreshed.status_code == 303
    assert _confirmed(client.get(url).get_data(as_text=True)) == 5


def test_the_running_total_climbs_towards_a_labelled_goal_line(
    client: FlaskClient,
    staff: User,
    create_campaign: Callable[..., Campaign],
    add_signatures: Callable[..., None],
) -> None:
    campaign = create_campaign(goal=500)
    add_signatures(campaign.id, 4)

    html = client.get(f"/en/dashboard/campaigns/{campaign.slug}").get_data(as_text=True)

    assert 'aria-label="Confirmed signatures in total, day by day, and the goal"' in html
    assert "stroke-dasharray" in html and ">Goal</text>" in html and ">500</text>" in html


def test_the_hourly_axis_names_the_day(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 1)

    html = client.get(f"/en/dashboard/campaigns/{campaign.slug}").get_data(as_text=True)
    hourly = html.split('aria-label="Confirmed signatures per hour, last 48 hours"', 1)[1].split("</svg>", 1)[
        0
    ]

    assert re.search(r">[A-Z][a-z]{2} \d{1,2} \d{1,2}:\d\d", hourly)
