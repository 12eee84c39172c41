"""Creating and editing campaigns from the dashboard, in every language."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from tests.conftest import csrf_token

NEW_CAMPAIGN = "/en/dashboard/campaigns/new"


def _campaign_fields(client: FlaskClient, **overrides: Any) -> dict[str, Any]:
    return {
        "csrf_token": csrf_token(client, NEW_CAMPAIGN),
        "slug": "free-aigul",
        "defender_id": "0",
        "status": "live",
        "default_lang": "en",
        "goal": "5000",
        "text_en-title": "Free Aigul",
        "text_en-demand": "Release her",
        "text_ru-title": "Свободу Айгуль",
    } | overrides


def test_creating_a_campaign_saves_each_language_and_audits_it(client: FlaskClient, staff: User) -> None:
    response = client.post(NEW_CAMPAIGN, data=_campaign_fields(client))

    assert response.status_code == 303
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "free-aigul"))
    assert campaign is not None and campaign.goal == 5000
    assert {lang: text.title for lang, text in campaign.translations.items()} == {
        "en": "Free Aigul",
        "ru": "Свободу Айгуль",
    }
    # the staff member's login is audited too, and the order of rows is the database's
    assert "campaign.created" in db.session.scalars(select(AuditEntry.action)).all()


def test_the_edit_page_lists_missing_languages(client: FlaskClient, staff: User) -> None:
    client.post(NEW_CAMPAIGN, data=_campaign_fields(client, **{"text_ru-title": ""}))

    html = client.get("/en/dashboard/campaigns/free-aigul/edit").get_data(as_text=True)

    assert "Missing languages: Russian" in html


def test_editing_a_campaign_removes_an_emptied_language(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    url = f"/en/dashboard/campaigns/{campaign.slug}/edit"
    fields = _campaign_fields(client, slug=campaign.slug, **{"text_ru-title": ""})

    assert client.post(url, data=fields).status_code == 303
    assert set(db.session.get(Campaign, campaign.id).translations) == {"en"}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"slug": "Free Aigul!"}, "lower-case letters, digits and hyphens"),
        ({"goal": "0"}, "The goal must be between 1 and 100,000,000."),
        ({"text_en-title": ""}, "required for each language you write in"),
        ({"text_ru-title": "", "text_ru-demand": "Освободите"}, "required for each language you write in"),
        ({"opens_at": "2026-05-02T10:00", "closes_at": "2026-05-01T10:00"}, "must come after the opening"),
        ({"default_lang": "xx"}, "Not a valid choice"),
    ],
)
def test_bad_campaign_input_is_refused_with_a_message(
    client: FlaskClient, staff: User, overrides: dict[str, str], message: str
) -> None:
    response = client.post(NEW_CAMPAIGN, data=_campaign_fields(client, **overrides))

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Campaign)) is None


def test_a_taken_campaign_address_is_refused(client: FlaskClient, staff: User, campaign: Campaign) -> None:
    response = client.post(NEW_CAMPAIGN, data=_campaign_fields(client, slug=campaign.slug))

    assert response.status_code == 409
    assert "Another campaign already uses this address." in response.get_data(as_text=True)


def test_a_campaign_keeps_its_own_retention_period_or_the_default(client: FlaskClient, staff: User) -> None:
    client.post(NEW_CAMPAIGN, data=_campaign_fields(client, retention_days="30"))
    client.post(NEW_CAMPAIGN, data=_campaign_fields(client, slug="free-other", retention_days=""))

    kept = dict(db.session.execute(select(Campaign.slug, Campaign.retention_days)).all())
    assert kept == {"free-aigul": 30, "free-other": None}
    assert 'placeholder="180"' in client.get("/en/dashboard/campaigns/free-other/edit").get_data(as_text=True)


def test_a_retention_period_out_of_range_is_explained(client: FlaskClient, staff: User) -> None:
    response = client.post(NEW_CAMPAIGN, data=_campaign_fields(client, retention_days="-1"))

    assert response.status_code == 422
    assert "Please give a number of days from 0 to 3650." in response.get_data(as_text=True)


def test_the_preview_button_renders_the_draft_and_saves_nothing(client: FlaskClient, staff: User) -> None:
    fields = _campaign_fields(
        client, preview="1", **{"text_en-body": "She is **innocent**.\n\n<script>x()</script>"}
    )

    response = client.post(NEW_CAMPAIGN, data=fields)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview (not saved yet)" in html and "<strong>innocent</strong>" in html
    assert "<script>x()</script>" not in html  # rendered as the public page does: sanitised
    assert 'rows="18"' in html
    assert db.session.scalar(select(Campaign)) is None


def test_the_preview_button_needs_the_csrf_token(client: FlaskClient, staff: User) -> None:
    fields = _campaign_fields(client, preview="1", csrf_token="forged")

    assert client.post(NEW_CAMPAIGN, data=fields).status_code == 400
