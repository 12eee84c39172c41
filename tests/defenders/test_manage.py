"""Creating and editing defenders from the dashboard, in every language."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
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


def _photo_src(client: FlaskClient) -> str:
    html = client.get("/en/dashboard/defenders/aigul-s/edit").get_data(as_text=True)
    start = html.index('src="/defenders/aigul-s/photo.') + len('src="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


def test_a_replaced_photo_gets_a_new_url_and_the_old_file_is_gone(client: FlaskClient, staff: User) -> None:
    edit = "/en/dashboard/defenders/aigul-s/edit"
    fields = _defender_fields(client, photo=(_picture(), "portrait.png"))
    client.post(NEW_DEFENDER, data=fields, content_type="multipart/form-data")
    first = _photo_src(client)
    first_file = db.session.scalar(select(Defender.photo))
    public = client.application.test_client()  # logged in, every response is no-store
    cached = public.get(first)
    cached.close()
    assert cached.cache_control.immutable and cached.cache_control.max_age == 365 * 86400

    new = (_picture("JPEG"), "new.jpg")
    fields = _defender_fields(client, csrf_token=csrf_token(client, edit), photo=new)
    assert client.post(edit, data=fields, content_type="multipart/form-data").status_code == 303

    second = _photo_src(client)
    assert second != first and "?v=" in second
    stale = public.get(first)  # an old link still shows the current photo, cached only briefly
    stale.close()
    assert stale.status_code == 200 and stale.cache_control.max_age == 300
    assert not stale.cache_control.immutable
    assert not (Path(client.application.instance_path) / "uploads" / "defenders" / str(first_file)).exists()


def test_a_removed_photo_leaves_the_initials(client: FlaskClient, staff: User) -> None:
    edit = "/en/dashboard/defenders/aigul-s/edit"
    client.post(
        NEW_DEFENDER,
        data=_defender_fields(client, is_public="y", photo=(_picture(), "portrait.png")),
        content_type="multipart/form-data",
    )
    assert "Remove the photo" in client.get(edit).get_data(as_text=True)

    fields = _defender_fields(client, csrf_token=csrf_token(client, edit), is_public="y", remove_photo="y")
    assert client.post(edit, data=fields).status_code == 303

    assert db.session.scalar(select(Defender.photo)) is None
    assert 'src="/defenders/aigul-s/photo.svg"' in client.get("/en/defenders/aigul-s").get_data(as_text=True)
    assert client.get("/defenders/aigul-s/photo.jpg").status_code == 404
    entry = db.session.scalars(select(AuditEntry).filter_by(action="defender.updated")).all()[-1]
    assert entry.details["photo"] == "removed"


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
