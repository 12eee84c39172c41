# ruff: noqa: RUF001 - the Russian page and the en dash of an empty rate are the point of some tests
"""The cross-campaign overview on the dashboard's index: today, the last 7 days, a chosen period
and its confirmation rate per campaign and in total, from one grouped query."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from campaign.accounts.models import User
from campaign.campaigns.models import Campaign
from campaign.dashboard import figures
from campaign.extensions import db
from campaign.formatting import format_percent
from campaign.models_base import utcnow
from campaign.signatures.models import SignatureStatus


@pytest.fixture
def two_campaigns(
    create_campaign: Callable[..., Campaign], add_signatures: Callable[..., None]
) -> tuple[Campaign, Campaign]:
    """Roza: 2 confirmed today, 1 three days ago, 1 twenty days ago, 1 forty days ago, 1 pending
    today. Aigul: 1 confirmed today, 1 pending three days ago, 1 held today, 1 invalidated today."""
    now = utcnow()
    roza, aigul = create_campaign("free-roza"), create_campaign("free-aigul")
    add_signatures(roza.id, 2)
    add_signatures(roza.id, 1, confirmed_at=now - timedelta(days=3))
    add_signatures(roza.id, 1, confirmed_at=now - timedelta(days=20))
    add_signatures(roza.id, 1, confirmed_at=now - timedelta(days=40))
    add_signatures(roza.id, 1, status=SignatureStatus.PENDING)
    add_signatures(aigul.id, 1)
    add_signatures(aigul.id, 1, status=SignatureStatus.PENDING, created_at=now - timedelta(days=3))
    add_signatures(aigul.id, 1, status=SignatureStatus.HELD, confirmed_at=now)
    add_signatures(aigul.id, 1, status=SignatureStatus.INVALIDATED, confirmed_at=now)
    return roza, aigul


def cells(html: str, needle: str) -> list[str]:
    """The texts of the cells of the overview's row that contains ``needle``."""
    rows = [row for row in re.findall(r"<tr\b(.*?)</tr>", html, re.S) if needle in row]
    assert len(rows) == 1, needle
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", rows[0], re.S)
    ]


def test_each_campaign_shows_today_the_last_7_days_the_last_30_and_its_rate(
    client: FlaskClient, staff: User, two_campaigns: tuple[Campaign, Campaign]
) -> None:
    response = client.get("/en/dashboard/")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    # campaign, status, signatures, today, last 7 days, period, rate, goal, languages
    assert cells(html, "/en/dashboard/campaigns/free-roza")[2:7] == ["5", "2", "3", "4", "80%"]
    assert cells(html, "/en/dashboard/campaigns/free-aigul")[2:7] == ["1", "1", "1", "1", "67%"]
    assert cells(html, 'id="overview-total"')[:6] == ["All campaigns", "6", "3", "4", "5", "75%"]
    today = utcnow().date()
    assert f'name="from" value="{(today - timedelta(days=29)).isoformat()}"' in html
    assert f'name="to" value="{today.isoformat()}"' in html
    assert "in UTC" in html
    assert "share whose signer has confirmed the email" in html


def test_a_chosen_period_counts_only_its_days(
    client: FlaskClient, staff: User, two_campaigns: tuple[Campaign, Campaign]
) -> None:
    today = utcnow().date()
    first, last = (today - timedelta(days=41)).isoformat(), (today - timedelta(days=35)).isoformat()

    html = client.get(f"/en/dashboard/?from={first}&to={last}").get_data(as_text=True)

    assert cells(html, "/en/dashboard/campaigns/free-roza")[3:7] == ["2", "3", "1", "100%"]
    assert cells(html, "/en/dashboard/campaigns/free-aigul")[3:7] == ["1", "1", "0", "–"]
    assert cells(html, 'id="overview-total"')[1:6] == ["6", "3", "4", "1", "100%"]
    assert f'value="{first}"' in html


def test_the_overview_is_one_query_for_every_campaign(
    app: Flask, two_campaigns: tuple[Campaign, Campaign]
) -> None:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    today = utcnow().date()
    ids = [c.id for c in two_campaigns]
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        rows = figures.overview(ids, today - timedelta(days=29), today)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    assert len(statements) == 1
    assert "GROUP BY" in statements[0]
    assert rows[ids[0]] == figures.OverviewRow(today=2, week=3, in_range=4, made_confirmed=4, made=5)
    assert rows[ids[1]] == figures.OverviewRow(today=1, week=1, in_range=1, made_confirmed=2, made=3)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "Please give the dates as calendar days (year-month-day)."),
        ("to=yesterday", "Please give the dates as calendar days (year-month-day)."),
        ("to=9999-12-31", "Please give the dates as calendar days (year-month-day)."),
        ("from=2026-06-02&to=2026-06-01", "The period&#39;s first day must not come after its last day."),
    ],
)
def test_a_bad_period_gives_the_page_with_a_message_and_400(
    client: FlaskClient, staff: User, two_campaigns: tuple[Campaign, Campaign], query: str, message: str
) -> None:
    response = client.get(f"/en/dashboard/?{query}")
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert message in html
    assert 'aria-invalid="true"' in html
    # the default period's figures meanwhile
    assert cells(html, "/en/dashboard/campaigns/free-roza")[5] == "4"


def test_the_message_and_numbers_are_in_the_pages_language(
    client: FlaskClient, staff: User, two_campaigns: tuple[Campaign, Campaign]
) -> None:
    response = client.get("/ru/dashboard/?from=2026-02-30")
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "Укажите даты как календарные дни (год-месяц-день)." in html
    assert "Все кампании" in html
    assert cells(html, 'id="overview-total"')[5] == format_percent(0.75, "ru")
    assert format_percent(0.75, "ru") != "75%"


def test_a_partner_gets_404_and_a_visitor_the_login(
    client: FlaskClient, create_user: Callable[..., User], login: Callable[..., Any]
) -> None:
    anonymous = client.get("/en/dashboard/?from=2026-01-01")
    assert anonymous.status_code == 302
    assert "/account/login" in anonymous.headers["Location"]

    login(create_user("partner@example.org", org="PEN Kazakhstan"))
    assert client.get("/en/dashboard/?from=2026-01-01").status_code == 404


def test_the_overview_answers_get_only(client: FlaskClient, staff: User) -> None:
    assert client.post("/en/dashboard/", data={"from": "2026-01-01"}).status_code == 405


def test_archived_campaigns_stay_apart(
    client: FlaskClient, staff: User, two_campaigns: tuple[Campaign, Campaign]
) -> None:
    two_campaigns[1].archived_at = utcnow()
    db.session.commit()

    current = client.get("/en/dashboard/").get_data(as_text=True)
    archived = client.get("/en/dashboard/?archived=1").get_data(as_text=True)

    assert "free-aigul" not in current
    assert cells(current, 'id="overview-total"')[1:6] == ["5", "2", "3", "4", "80%"]
    assert cells(archived, 'id="overview-total"')[1:6] == ["1", "1", "1", "1", "67%"]
    assert 'name="archived" value="1"' in archived
