"""The defenders' register in JSON, as DESIGN.md section 4 gives it."""

from __future__ import annotations

from datetime import date

from campaign.defenders.models import STATUS, CaseFact
from campaign.extensions import db


def test_the_list_gives_each_public_defender(client, create_defender) -> None:
    create_defender("kozlov", {"en": "Vladimir Kozlov", "ru": "Владимир Козлов"}, status="sentenced")
    create_defender("hidden", {"en": "Hidden"}, is_public=False)

    body = client.get("/api/v1/defenders?lang=ru").get_json()

    assert body == {
        "defenders": [
            {
                "slug": "kozlov",
                "name": "Владимир Козлов",
                "country": "KZ",
                "status": "sentenced",
                "status_verified_on": "2026-11-01",
                "url": "https://campaign.example.org/ru/defenders/kozlov",
            }
        ]
    }


def test_the_list_takes_the_registers_filters(client, create_defender) -> None:
    create_defender("kozlov", {"en": "Vladimir Kozlov"}, country="KZ")
    create_defender("other", {"en": "Bakyt"}, country="KG")

    body = client.get("/api/v1/defenders?q=козлов&country=kz").get_json()

    assert [entry["slug"] for entry in body["defenders"]] == ["kozlov"]


def test_one_defender_gives_the_status_history_at_its_precision_and_campaigns(client, campaign) -> None:
    defender = campaign.defender
    defender.facts = [
        CaseFact(kind=STATUS, status="detained", happened_on=date(2012, 1, 1), precision="month"),
        CaseFact(
            kind=STATUS, status="sentenced", happened_on=date(2012, 10, 8), verified_on=date(2026, 11, 2)
        ),
    ]
    db.session.commit()

    body = client.get(f"/api/v1/defenders/{defender.slug}").get_json()

    assert body["status_history"] == [
        {"status": "detained", "date": "2012-01"},
        {"status": "sentenced", "date": "2012-10-08"},
    ]
    assert body["occupation"] == "activist"
    assert body["campaigns"] == [campaign.slug]
    assert body["status_verified_on"] == "2026-11-02"


def test_an_unknown_defender_is_a_404_in_json(client) -> None:
    response = client.get("/api/v1/defenders/nobody")

    assert response.status_code == 404 and response.get_json()["error"] == "not found"
