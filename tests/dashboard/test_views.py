"""The dashboard through the browser: who may see it, figures, exports and moderation pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.moderation.models import TrendingFlag
from campaign.signatures import counts
from tests.conftest import csrf_token


def test_anonymous_visitors_are_sent_to_the_login(client: FlaskClient, campaign: Campaign) -> None:
    response = client.get(f"/en/dashboard/campaigns/{campaign.slug}")

    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_a_partner_account_gets_404_on_the_staff_dashboard(
    client: FlaskClient, campaign: Campaign, create_user: Callable[..., User], login: Callable[..., Any]
) -> None:
    login(create_user("partner@example.org", org="PEN Kazakhstan"))

    assert client.get(f"/en/dashboard/campaigns/{campaign.slug}").status_code == 404


def test_campaign_page_shows_the_figures_chart_and_table(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 7, country="KZ", source="pen")

    html = client.get(f"/en/dashboard/campaigns/{campaign.slug}").get_data(as_text=True)

    assert re.search(r"<dt>Confirmed</dt><dd>7</dd>", html)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert 'id="hourly-table"' in html
    assert "<td>pen</td><td>7</td>" in html


def test_trending_flag_links_to_a_preview_of_its_filter(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 4, ip_hash="b" * 32)
    db.session.add(
        TrendingFlag(
            campaign_id=campaign.id, kind="ip_hash", value="b" * 32, signatures_last_hour=4, share=1.0
        )
    )
    db.session.commit()

    html = client.get(f"/en/dashboard/campaigns/{campaign.slug}").get_data(as_text=True)
    link = re.search(r'href="([^"]*moderation\?ip_hash=b+)"', html)
    assert link
    preview = client.get(link.group(1)).get_data(as_text=True)

    assert "4 signatures match" in preview


def test_invalidating_through_the_pages_lowers_the_public_count_and_is_audited(
    client: FlaskClient,
    staff: User,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    add_signatures(campaign.id, 3, email_domain="bots.example")
    add_signatures(campaign.id, 2)
    counts.reconcile(campaign.id)
    url = f"/en/dashboard/campaigns/{campaign.slug}/moderation"
    token = csrf_token(client, f"/en/dashboard/campaigns/{campaign.slug}")

    response = client.post(url, data={"csrf_token": token, "email_domain": "bots.example"})
    assert response.status_code == 303
    drain()

    assert client.get(f"/api/v1/campaigns/{campaign.slug}").json["signature_count"] == 2
    assert "Done" in client.get(response.headers["Location"]).get_data(as_text=True)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="invalidation.finished"))
    assert (entry.user_id, entry.affected) == (staff.id, 3)


def test_a_filter_with_no_condition_is_refused_with_a_message(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    url = f"/en/dashboard/campaigns/{campaign.slug}/moderation"
    token = csrf_token(client, f"/en/dashboard/campaigns/{campaign.slug}")

    response = client.post(url, data={"csrf_token": token})

    assert response.status_code == 422
    assert "a whole campaign is never invalidated" in response.get_data(as_text=True)


def test_a_bad_ip_hash_in_the_preview_is_answered_with_a_message(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    response = client.get(f"/en/dashboard/campaigns/{campaign.slug}/moderation?ip_hash=zzz")

    assert response.status_code == 422
    assert "32 characters" in response.get_data(as_text=True)


def test_staff_export_goes_through_the_progress_page_to_a_download(
    client: FlaskClient,
    staff: User,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    add_signatures(campaign.id, name="@Public", is_name_public=True)
    url = f"/en/dashboard/campaigns/{campaign.slug}"
    progress = client.post(f"{url}/exports", data={"csrf_token": csrf_token(client, url)})
    assert 'http-equiv="refresh"' in client.get(progress.headers["Location"]).get_data(as_text=True)

    drain()
    page = client.get(progress.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="([^"]*/exports/download/[^"]+)"', page)
    assert link
    download = client.get(link.group(1))
    body = download.get_data(as_text=True)
    download.close()

    assert (download.status_code, download.mimetype) == (200, "text/csv")
    assert "'@Public" in body
