"""Creating and editing defenders from the dashboard, in every language."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.defenders.models import Defender
from campaign.extensions import db
from tests.conftest import csrf_token
from tests.test_images import assert_upright_and_bare, rotated_jpeg

NEW_DEFENDER = "/en/dashboard/defenders/new"


def _defender_fields(client: FlaskClient, **overrides: Any) -> dict[str, Any]:
    return {
        "csrf_token": csrf_token(client, NEW_DEFENDER),
        "slug": "aigul-s",
        "country": "kz",
        "status": "detained",
        "default_lang": "en",
        "text_en-name": "Aigul S",
        "text_ru-name": "Айгуль Сатпаева",
        "timeline-0-happened_on": "2025-03-01",
        "timeline-0-text_en": "Arrested",
        "timeline-1-happened_on": "2024-01-10",
        "timeline-1-text_ru": "Обыск",
        "sources-0-url": "https://example.org/report",
        "sources-0-title": "Report",
    } | overrides


def test_creating_a_defender_saves_timeline_and_sources(client: FlaskClient, staff: User) -> None:
    assert client.post(NEW_DEFENDER, data=_defender_fields(client)).status_code == 303

    defender = db.session.scalar(select(Defender))
    assert defender is not None and defender.country == "KZ"
    assert [(str(e.happened_on), e.texts) for e in defender.timeline] == [
        ("2024-01-10", {"ru": "Обыск"}),
        ("2025-03-01", {"en": "Arrested"}),
    ]
    assert [(s.url, s.title) for s in defender.sources] == [("https://example.org/report", "Report")]


def test_a_timeline_event_without_a_date_is_refused(client: FlaskClient, staff: User) -> None:
    fields = _defender_fields(client, **{"timeline-0-happened_on": ""})

    response = client.post(NEW_DEFENDER, data=fields)

    assert response.status_code == 422
    assert "Please give the date of this event." in response.get_data(as_text=True)


def _picture(kind: str = "PNG") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (1200, 900), "red").save(data, format=kind)
    data.seek(0)
    return data


def test_an_uploaded_photo_is_reencoded_and_served(client: FlaskClient, staff: User) -> None:
    fields = _defender_fields(client, photo=(_picture(), "portrait.png"))

    assert client.post(NEW_DEFENDER, data=fields, content_type="multipart/form-data").status_code == 303
    response = client.get("/defenders/aigul-s/photo.jpg")
    body = response.get_data()
    response.close()

    assert response.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(body)).size == (800, 600)


def test_a_sideways_phone_photo_is_served_upright_without_its_exif(client: FlaskClient, staff: User) -> None:
    fields = _defender_fields(client, photo=(io.BytesIO(rotated_jpeg()), "phone.jpg"))

    assert client.post(NEW_DEFENDER, data=fields, content_type="multipart/form-data").status_code == 303
    response = client.get("/defenders/aigul-s/photo.jpg")
    body = response.get_data()
    response.close()

    assert_upright_and_bare(body)


def test_a_file_that_is_not_a_picture_is_refused(client: FlaskClient, staff: User) -> None:
    fields = _defender_fields(client, photo=(io.BytesIO(b"<svg onload=alert(1)>"), "x.png"))

    response = client.post(NEW_DEFENDER, data=fields, content_type="multipart/form-data")

    assert response.status_code == 422
    assert "This file is not a picture we can read." in response.get_data(as_text=True)
    assert db.session.scalar(select(Defender)) is None


def test_a_case_fact_is_saved_with_its_partial_date_source_and_verification(
    client: FlaskClient, staff: User
) -> None:
    fields = _defender_fields(
        client,
        **{
            "facts_hearing-0-happened_on": "2012-10",
            "facts_hearing-0-text_en": "Aktau city court",
            "facts_hearing-0-outcome_en": "Sentenced to 7.5 years",
            "facts_hearing-0-source_url": "https://example.org/trial",
            "facts_hearing-0-source_title": "Trial report",
            "facts_hearing-0-verified_on": "2026-11-20",
        },
    )

    assert client.post(NEW_DEFENDER, data=fields).status_code == 303

    defender = db.session.scalar(select(Defender))
    assert defender is not None
    [hearing] = defender.facts_of("hearing")
    assert (str(hearing.when), hearing.texts, hearing.outcomes) == (
        "2012-10",
        {"en": "Aktau city court"},
        {"en": "Sentenced to 7.5 years"},
    )
    assert (hearing.source_title, str(hearing.verified_on)) == ("Trial report", "2026-11-20")


def test_a_date_written_otherwise_is_refused_with_the_forms_it_may_take(
    client: FlaskClient, staff: User
) -> None:
    fields = _defender_fields(client, **{"timeline-0-happened_on": "16.12.2011"})

    response = client.post(NEW_DEFENDER, data=fields)

    assert response.status_code == 422
    assert "2011, 2011-12 or 2011-12-16" in response.get_data(as_text=True)


def test_changing_the_present_status_adds_it_to_the_history(client: FlaskClient, staff: User) -> None:
    client.post(NEW_DEFENDER, data=_defender_fields(client))
    edit = "/en/dashboard/defenders/aigul-s/edit"
    fields = _defender_fields(client, status="released", **{"facts_status-0-status": "detained"})

    assert client.post(edit, data=fields).status_code == 303

    defender = db.session.scalar(select(Defender))
    assert defender is not None
    assert [fact.status for fact in defender.status_history] == ["detained", "released"]
    assert defender.status_history[-1].verified_on is not None
