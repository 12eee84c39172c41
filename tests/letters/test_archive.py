"""Archiving a letter: staff and the coordinator's owners and editors may; the letter leaves the
public lists and the API, its page answers 410, it takes no sign-ons (members' or requests), and
a restore brings it back with its sign-ons as they were."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.audit.models import AuditEntry
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.jobs import deliver_scheduled
from campaign.letters.models import Letter, SignOn, SignOnRequest
from campaign.models_base import utcnow
from tests.conftest import form_token
from tests.letters.conftest import World, post, reload
from tests.letters.test_public import open_and_sign
from tests.letters.test_sign_on import sign
from tests.letters.test_sign_on_requests import FIELDS

SLUG = "test-letter"


def archive(http: FlaskClient) -> Any:
    return post(http, f"/en/letters/{SLUG}/archive")


def restore(http: FlaskClient) -> Any:
    return post(http, f"/en/letters/{SLUG}/restore")


def listed(client: FlaskClient) -> bool:
    return SLUG in {entry["slug"] for entry in client.get("/api/v1/letters").get_json()["letters"]}


def audited(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.mark.parametrize("role", ["staff", "coord_owner", "coord_editor"])
def test_staff_and_the_coordinators_managers_archive_a_letter_out_of_public_view(
    world: World, as_user: Any, client: FlaskClient, role: str
) -> None:
    open_and_sign(world)
    assert listed(client) and client.get(f"/en/letters/{SLUG}").status_code == 200
    http = as_user(role)
    assert http.get(f"/en/letters/{SLUG}/archive").status_code == 200  # the confirmation: nothing yet
    assert reload(world.letter).archived_at is None

    assert archive(http).status_code == 303

    assert not listed(client)
    page = client.get(f"/ru/letters/{SLUG}")
    assert page.status_code == 410
    assert "Это письмо перенесено в архив" in page.get_data(as_text=True)
    assert client.get(f"/api/v1/letters/{SLUG}").status_code == 404
    [entry] = audited("letter.archived")
    assert entry.letter_id == world.letter.id and entry.user_id == world.users[role].id
    mine = http.get("/en/letters/mine").get_data(as_text=True)
    assert f"/en/letters/{SLUG}/work" not in mine
    assert f"/en/letters/{SLUG}/work" in http.get("/en/letters/mine?archived=1").get_data(as_text=True)


@pytest.mark.parametrize(
    "role", ["coord_signer", "partner_editor", "partner_signer", "outsider", "anonymous"]
)
def test_others_cannot_archive_a_letter(world: World, as_user: Any, role: str) -> None:
    open_and_sign(world)

    assert archive(as_user(role)).status_code in (302, 404)  # the login page, or the logged 404

    assert reload(world.letter).archived_at is None and audited("letter.archived") == []


def test_an_archived_letter_takes_no_sign_on_and_no_request(
    world: World, as_user: Any, client: FlaskClient
) -> None:
    services.open_for_sign_on(world.letter)
    db.session.commit()
    url = f"/ru/letters/{SLUG}/request"
    token = form_token(client, url)
    digest = services.frozen_digest(world.letter)
    archive(as_user("staff"))

    member = sign(as_user("partner_signer"), SLUG)
    asked = client.post(url, data={"form_token": token, "digest": digest, **FIELDS})

    assert member.status_code == 410 and "has been archived" in member.get_data(as_text=True)
    assert asked.status_code == 410
    assert db.session.scalar(select(func.count()).select_from(SignOn)) == 0
    assert db.session.scalar(select(func.count()).select_from(SignOnRequest)) == 0


def test_a_restored_letter_is_back_with_its_sign_ons(world: World, as_user: Any, client: FlaskClient) -> None:
    open_and_sign(world)
    before = client.get(f"/api/v1/letters/{SLUG}").get_json()
    archive(as_user("coord_owner"))

    assert restore(as_user("coord_owner")).status_code == 303

    assert client.get(f"/api/v1/letters/{SLUG}").get_json() == before
    assert listed(client) and client.get(f"/en/letters/{SLUG}").status_code == 200
    letter = db.session.scalar(select(Letter).where(Letter.slug == SLUG))
    assert letter is not None and letter.archived_at is None and letter.status == "open"
    assert len(audited("letter.restored")) == 1
    assert sign(as_user("coord_signer"), SLUG).status_code == 303


def test_an_archived_letters_scheduled_delivery_waits_until_it_is_restored(
    world: World, as_user: Any
) -> None:
    open_and_sign(world)
    letter = reload(world.letter)
    letter.deliver_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    archive(as_user("coord_owner"))

    assert deliver_scheduled() == 0

    restore(as_user("coord_owner"))
    assert deliver_scheduled() == 1
