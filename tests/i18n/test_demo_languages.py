"""The demo shows the fallback, the matrix and the switcher working: each campaign is written in
English, Russian and the language of its defender's country."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from campaign.campaigns.models import Campaign
from campaign.extensions import db

#: the language of each demo defender's country that the interface speaks
COUNTRY_LANGUAGE = {
    "KZ": "kk",
    "KG": "ky",
    "TJ": "tg",
    "UZ": "uz",
    "TM": "tk",
    "AZ": "az",
    "AM": "hy",
    "GE": "ka",
    "RU": "ru",
    "BY": "be",
    "UA": "uk",
}


def test_each_demo_campaign_is_in_english_russian_and_its_defenders_language(app: Flask) -> None:
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    campaigns = db.session.scalars(select(Campaign)).unique().all()

    assert campaigns and all(campaign.defender for campaign in campaigns)
    missing = {
        campaign.slug: {"en", "ru", COUNTRY_LANGUAGE[campaign.defender.country]} - set(campaign.translations)
        for campaign in campaigns
    }
    assert {slug: langs for slug, langs in missing.items() if langs} == {}
