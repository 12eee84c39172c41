"""The country list is in the page's language and in that language's alphabetical order."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from campaign.campaigns.models import Campaign
from campaign.i18n import countries, sort_key


def names(lang: str) -> list[str]:
    return [name for _, name in countries(lang)]


def test_aland_comes_right_after_afghanistan_in_english(app: Flask) -> None:
    assert names("en")[:3] == ["Afghanistan", "Åland Islands", "Albania"]


def test_uzbekistan_comes_after_z_in_uzbek_as_its_alphabet_has_it(app: Flask) -> None:
    listed = names("uz")
    assert listed.index("O\u02bbzbekiston") > listed.index("Zimbabve")


def test_azerbaijani_sorts_c_cedilla_after_every_c(app: Flask) -> None:
    listed = names("az")
    assert listed.index("Çin") > listed.index("Cibuti")


def test_kazakh_sorts_its_own_letters_after_their_neighbours(app: Flask) -> None:
    listed = names("kk")
    assert listed.index("Оңтүстік Судан") < listed.index("Өзбекстан") < listed.index("Палау")


def test_german_sorts_umlauts_with_their_vowel() -> None:
    assert sorted(["Zypern", "Ägypten", "Albanien"], key=sort_key("de")) == ["Ägypten", "Albanien", "Zypern"]


def test_the_signing_form_lists_countries_in_the_pages_language_and_order(
    client: FlaskClient, campaign: Campaign
) -> None:
    html = client.get(f"/ru/campaigns/{campaign.slug}").get_data(as_text=True)
    options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', html)
    listed = [name for _, name in options]
    assert listed.index("Австралия") < listed.index("Австрия") < listed.index("Япония")
    assert dict(options)["KZ"] == "Казахстан"


def test_the_switcher_names_each_language_in_its_own_language(client: FlaskClient) -> None:
    html = client.get("/en/").get_data(as_text=True)

    for code, name in (
        ("ru", "Русский"),
        ("kk", "Қазақ тілі"),
        ("uz", "O\u2018zbek"),
        ("ka", "ქართული"),
        ("de", "Deutsch"),
    ):
        assert f'hreflang="{code}" lang="{code}">{name}</a>' in html
