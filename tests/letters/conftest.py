"""Letter fixtures: organisations with members in each role, a letter, and logged-in clients."""

# ruff: noqa: RUF001 - Cyrillic names and text are the point of these tests

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts import services as account_services
from campaign.accounts.models import Organisation, User
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import Letter, LetterParticipant, Recipient
from campaign.models_base import utcnow
from tests.conftest import csrf_token

BODY_EN = "We call on the **President** to release the defenders.\n\nSigned below."
BODY_RU = "Мы призываем **президента** освободить правозащитников.\n\nПодписи ниже."


@dataclass
class World:
    """Coordinator, partner (accepted) and outsider organisations, their members, and one letter."""

    letter: Letter
    users: dict[str, User]
    organisations: dict[str, Organisation]
    clients: dict[str, FlaskClient] = field(default_factory=dict)


def organisation(name: str, city: str, names: dict[str, str] | None = None) -> Organisation:
    found = account_services.find_or_create_organisation(name)
    found.city = city
    if names:
        found.names = names
    return found


@pytest.fixture
def world(app: Flask, create_user: Callable[..., User]) -> World:
    coordinator = organisation("Coord Org", "Almaty", {"en": "Coord Org", "ru": "Коорд Орг"})
    partner = organisation("Partner Org", "Moscow", {"en": "Partner Org", "ru": "Партнёр Орг"})
    outsider = organisation("Outsider Org", "Paris")
    db.session.commit()
    users = {
        "staff": create_user("staff@example.org", role="campaigner"),
        "coord_owner": create_user("coord-owner@example.org", org="Coord Org", org_role="owner"),
        "coord_editor": create_user("coord-editor@example.org", org="Coord Org", org_role="editor"),
        "coord_signer": create_user("coord-signer@example.org", org="Coord Org", org_role="signer"),
        "partner_editor": create_user("partner-editor@example.org", org="Partner Org", org_role="editor"),
        "partner_signer": create_user("partner-signer@example.org", org="Partner Org", org_role="signer"),
        "outsider": create_user("outsider@example.org", org="Outsider Org", org_role="owner"),
    }
    letter = services.create_letter(
        "test-letter", coordinator, users["coord_owner"], "en", "Free the defenders", BODY_EN
    )
    services.save_version(letter, "ru", "Свободу правозащитникам", BODY_RU, users["coord_owner"], coordinator)
    letter.participants.append(
        LetterParticipant(organisation=partner, invited_by_id=users["coord_owner"].id, accepted_at=utcnow())
    )
    letter.recipients.append(
        Recipient(
            name="Kassym-Jomart Tokayev",
            titles={"en": "President of Kazakhstan", "ru": "Президент Казахстана"},
            country="KZ",
            email="president-kz@example.org",
            lang="en",
        )
    )
    db.session.commit()
    return World(
        letter=letter,
        users=users,
        organisations={"coord": coordinator, "partner": partner, "outsider": outsider},
    )


@pytest.fixture
def as_user(app: Flask, world: World, login: Callable[..., Any]) -> Callable[[str], FlaskClient]:
    """A client logged in as one of the world's users (made once per test and role)."""

    def client_for(role: str) -> FlaskClient:
        if role not in world.clients:
            http = app.test_client()
            if role != "anonymous":
                login(world.users[role], http=http)
            world.clients[role] = http
        return world.clients[role]

    return client_for


def _session_token(http: FlaskClient) -> str:
    """A CSRF token for this client's session: any form of the site carries it."""
    response = http.get("/en/account/")
    if response.status_code == 200:
        return csrf_token(http, "/en/account/")
    return csrf_token(http, "/en/account/login")


def post(http: FlaskClient, url: str, **data: Any) -> Any:
    """POST a form as a browser would; the session's CSRF token is fetched once per client."""
    if not getattr(http, "csrf", None):
        http.csrf = _session_token(http)  # type: ignore[attr-defined]
    return http.post(url, data={"csrf_token": http.csrf, **data})  # type: ignore[attr-defined]


def reload(letter: Letter) -> Letter:
    db.session.expire_all()
    return db.session.get(Letter, letter.id)
