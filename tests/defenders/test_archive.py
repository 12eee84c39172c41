"""Archiving a defender: gone from the register, the country page, the API and the feeds, the page
answers 410 and takes no followers; a restore brings the page back as it was. Staff only, by POST."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
from campaign.defenders.models import Follower
from campaign.extensions import db
from tests.conftest import csrf_token

ARCHIVE = "/en/dashboard/defenders/{slug}/archive"
RESTORE = "/en/dashboard/defenders/{slug}/restore"


def archive(client: FlaskClient, slug: str) -> Any:
    url = ARCHIVE.format(slug=slug)
    return client.post(url, data={"csrf_token": csrf_token(client, url)})


def restore(client: FlaskClient, slug: str) -> Any:
    token = csrf_token(client, f"/en/dashboard/defenders/{slug}/edit")
    return client.post(RESTORE.format(slug=slug), data={"csrf_token": token})


def listed(client: FlaskClient, slug: str) -> dict[str, bool]:
    """Where the defender appears, as an anonymous visitor sees it."""
    api = client.get("/api/v1/defenders").get_json()["defenders"]
    return {
        "register": f"/en/defenders/{slug}" in client.get("/en/defenders").get_data(as_text=True),
        "country": f"/en/defenders/{slug}" in client.get("/en/countries/kz").get_data(as_text=True),
        "search": f"/en/defenders/{slug}" in client.get("/en/defenders?q=aigul").get_data(as_text=True),
        "api": slug in {entry["slug"] for entry in api},
    }


def audited(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_an_archived_defender_is_gone_from_the_register_and_the_api_and_the_page_answers_410(
    app: Flask, client: FlaskClient, staff: User, create_defender: Any
) -> None:
    defender = create_defender("aigul-a", {"en": "Aigul Abaeva", "ru": "Айгуль Абаева"})
    public = app.test_client()
    assert listed(public, defender.slug) == {"register": True, "country": True, "search": True, "api": True}
    assert client.get(ARCHIVE.format(slug=defender.slug)).status_code == 200  # the confirmation: nothing yet
    assert listed(public, defender.slug)["register"] and audited("defender.archived") == []

    assert archive(client, defender.slug).status_code == 303

    assert listed(public, defender.slug) == {
        "register": False,
        "country": False,
        "search": False,
        "api": False,
    }
    page = public.get(f"/ru/defenders/{defender.slug}")
    assert page.status_code == 410
    assert "Страница этого правозащитника перенесена в архив" in page.get_data(as_text=True)
    assert public.get(f"/en/defenders/{defender.slug}/feed.atom").status_code == 410
    assert public.get(f"/api/v1/defenders/{defender.slug}").status_code == 404
    [entry] = audited("defender.archived")
    assert entry.user_id == staff.id and entry.details["slug"] == defender.slug
    assert "aigul-a/edit" not in client.get("/en/dashboard/defenders").get_data(as_text=True)
    assert "aigul-a/edit" in client.get("/en/dashboard/defenders?archived=1").get_data(as_text=True)


def test_an_archived_defender_takes_no_followers(
    app: Flask, client: FlaskClient, staff: User, create_defender: Any
) -> None:
    defender = create_defender("aigul-a", {"en": "Aigul A"})
    public = app.test_client()
    page = public.get(f"/en/defenders/{defender.slug}").get_data(as_text=True)
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', page)
    assert token
    archive(client, defender.slug)

    response = public.post(
        f"/en/defenders/{defender.slug}/follow", data={"email": "f@example.org", "form_token": token.group(1)}
    )

    assert response.status_code == 410
    assert "has been archived" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Follower)) == 0


def test_the_page_cache_forgets_an_archived_defender_at_once(
    app: Flask, client: FlaskClient, staff: User, create_defender: Any
) -> None:
    app.extensions["page_cache"].seconds = 30
    defender = create_defender("aigul-a", {"en": "Aigul A"})
    public = app.test_client()
    assert public.get(f"/en/defenders/{defender.slug}").status_code == 200
    assert "/en/defenders/aigul-a" in public.get("/en/defenders").get_data(as_text=True)

    archive(client, defender.slug)

    assert public.get(f"/en/defenders/{defender.slug}").status_code == 410
    assert "/en/defenders/aigul-a" not in public.get("/en/defenders").get_data(as_text=True)


def test_a_restored_defender_is_back_as_they_were(
    app: Flask, client: FlaskClient, staff: User, create_defender: Any
) -> None:
    defender = create_defender("aigul-a", {"en": "Aigul A"}, status="sentenced")
    public = app.test_client()
    before = public.get("/api/v1/defenders/aigul-a").get_json()
    archive(client, defender.slug)

    assert restore(client, defender.slug).status_code == 303

    assert public.get("/api/v1/defenders/aigul-a").get_json() == before
    assert listed(public, defender.slug) == {"register": True, "country": True, "search": True, "api": True}
    assert public.get(f"/en/defenders/{defender.slug}").status_code == 200
    db.session.refresh(defender)
    assert defender.archived_at is None and defender.is_public and defender.status == "sentenced"
    assert len(audited("defender.restored")) == 1


def test_partners_and_visitors_cannot_archive_a_defender(
    app: Flask, client: FlaskClient, create_defender: Any, create_user: Any, login: Any
) -> None:
    defender = create_defender("aigul-a", {"en": "Aigul A"})
    assert app.test_client().post(ARCHIVE.format(slug=defender.slug)).status_code in (302, 400)
    login(create_user("partner@example.org", org="PEN Kazakhstan"))
    token = csrf_token(client, "/en/account/login")

    assert client.get(ARCHIVE.format(slug=defender.slug)).status_code == 404  # staff pages hide themselves
    assert client.post(ARCHIVE.format(slug=defender.slug), data={"csrf_token": token}).status_code == 404
    assert client.post(RESTORE.format(slug=defender.slug), data={"csrf_token": token}).status_code == 404
    db.session.refresh(defender)
    assert defender.archived_at is None and audited("defender.archived") == []
