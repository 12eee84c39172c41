"""The public register of defenders: filters, search in any script, pages, the country page."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from campaign.defenders import views
from campaign.defenders.models import Defender

Create = Callable[..., Defender]


def _names(html: str, *candidates: str) -> set[str]:
    return {name for name in candidates if name in html}


def test_the_register_lists_public_defenders_with_status_and_its_verification(
    client: FlaskClient, create_defender: Create
) -> None:
    create_defender("aigul", {"en": "Aigul Utepova"}, status="sentenced")
    create_defender("hidden", {"en": "Hidden Person"}, is_public=False)

    html = client.get("/en/defenders").get_data(as_text=True)

    assert "Aigul Utepova" in html and "Hidden Person" not in html
    assert "Sentenced" in html and "last verified November 1, 2026" in html


def test_the_register_filters_by_country_and_status(client: FlaskClient, create_defender: Create) -> None:
    create_defender("a", {"en": "Asel Kz"}, country="KZ", status="detained")
    create_defender("b", {"en": "Bakyt Kg"}, country="KG", status="detained")
    create_defender("c", {"en": "Chingiz Kz"}, country="KZ", status="released")

    html = client.get("/en/defenders?country=kz&status=detained").get_data(as_text=True)

    assert _names(html, "Asel Kz", "Bakyt Kg", "Chingiz Kz") == {"Asel Kz"}


def test_a_cyrillic_query_finds_a_latin_script_name(client: FlaskClient, create_defender: Create) -> None:
    create_defender("kozlov", {"en": "Vladimir Kozlov"})
    create_defender("other", {"en": "Roza Tuletayeva"})

    html = client.get("/ru/defenders?q=Козлов").get_data(as_text=True)

    assert _names(html, "Vladimir Kozlov", "Roza Tuletayeva") == {"Vladimir Kozlov"}


def test_a_latin_query_finds_a_name_written_only_in_cyrillic(
    client: FlaskClient, create_defender: Create
) -> None:
    create_defender("kotlyar", {"ru": "Татьяна Котляр"})

    html = client.get("/en/defenders?q=kotlyar").get_data(as_text=True)

    assert "Татьяна Котляр" in html


def test_an_unknown_filter_is_refused_with_a_message_and_the_register_still_shown(
    client: FlaskClient, create_defender: Create
) -> None:
    create_defender("a", {"en": "Asel Kz"})

    response = client.get("/en/defenders?status=vanished")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Some filters were not understood" in html and "Asel Kz" in html


def test_the_register_is_paginated(client: FlaskClient, create_defender: Create, monkeypatch) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for letter in "abc":
        create_defender(f"d-{letter}", {"en": f"Person {letter.upper()}"})

    first = client.get("/en/defenders").get_data(as_text=True)
    second = client.get("/en/defenders?page=2").get_data(as_text=True)

    assert _names(first, "Person A", "Person B", "Person C") == {"Person A", "Person B"}
    assert _names(second, "Person A", "Person B", "Person C") == {"Person C"}
    assert 'rel="next"' in first and "Page 1 of 2" in first


def test_the_country_page_lists_its_defenders_and_campaigns(
    client: FlaskClient, create_defender: Create, create_campaign
) -> None:
    create_defender("a", {"en": "Asel Kz"}, country="KZ")
    create_defender("b", {"en": "Bakyt Kg"}, country="KG")
    campaign = create_campaign(slug="free-roza")

    html = client.get("/en/countries/kz").get_data(as_text=True)

    assert "<h1>Kazakhstan</h1>" in html
    assert _names(html, "Asel Kz", "Bakyt Kg") == {"Asel Kz"}
    assert f"/en/campaigns/{campaign.slug}" in html


def test_an_unknown_country_is_not_found(client: FlaskClient) -> None:
    assert client.get("/en/countries/xx").status_code == 404


def test_a_hidden_defender_has_no_public_page(client: FlaskClient, create_defender: Create) -> None:
    create_defender("hidden", {"en": "Hidden Person"}, is_public=False)

    assert client.get("/en/defenders/hidden").status_code == 404


def test_the_register_sets_no_cookie(client: FlaskClient, create_defender: Create) -> None:
    create_defender("a", {"en": "Asel Kz"})

    for url in ("/en/defenders", "/en/defenders/a", "/en/countries/kz"):
        assert "Set-Cookie" not in client.get(url).headers
