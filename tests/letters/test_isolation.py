"""The isolation matrix: every role by every letter endpoint by a letter of their own or another's.

Allowed requests must not be refused; every forbidden one answers 404 (or 403) and is logged;
anonymous visitors are sent to the login page and see nothing.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import LetterVersion, Recipient
from tests.letters.conftest import post

ROLES = (
    "anonymous",
    "staff",
    "coord_owner",
    "coord_editor",
    "coord_signer",
    "partner_editor",
    "partner_signer",
    "outsider",
)
#: who may, in the world's letter (coordinated by Coord Org, with Partner Org in it)
VIEW = {"staff", "coord_owner", "coord_editor", "coord_signer", "partner_editor", "partner_signer"}
WRITE = {"coord_owner", "coord_editor", "partner_editor"}
MANAGE = {"coord_owner", "coord_editor"}
SIGN = {"coord_owner", "coord_signer", "partner_signer"}
DELIVER = MANAGE | {"staff"}

#: (method, path under /en/letters/<slug>, form data, who may)
ENDPOINTS = [
    ("GET", "/work", {}, VIEW),
    ("GET", "/versions", {}, VIEW),
    ("GET", "/versions/{version}", {}, VIEW),
    ("GET", "/diff?from={version}&to={version}", {}, VIEW),
    ("GET", "/deliveries", {}, VIEW),
    ("POST", "/versions/{version}/comments", {"body": "A comment"}, VIEW),
    ("GET", "/text/en", {}, WRITE),
    ("POST", "/text/en", {"title": "T", "body": "Changed"}, WRITE),
    ("POST", "/versions/{version}/restore", {}, MANAGE),
    ("POST", "/participants", {"organisation": "nobody"}, MANAGE),
    ("POST", "/recipients", {"name": "X", "country": "FR", "email": "x@example.org", "lang": "en"}, MANAGE),
    ("POST", "/recipients/{recipient}/delete", {}, MANAGE),
    ("POST", "/close", {}, MANAGE),
    ("POST", "/open", {}, MANAGE),
    ("GET", "/sign", {}, SIGN),
    ("POST", "/sign", {"representative": "R"}, SIGN),
    ("POST", "/withdraw", {}, SIGN),
    ("POST", "/deliver", {}, DELIVER),
    ("GET", "/invitation", {}, {"partner_editor", "partner_signer"}),  # joined: sent on to the workspace
]

#: in the other organisation's letter, Coord and Partner members are the outsiders and vice versa
OTHER = {"outsider": "coord_owner"}


def other_letter(world):
    """A letter coordinated by Outsider Org, with no one else in it."""
    letter = services.create_letter(
        "other-letter", world.organisations["outsider"], world.users["outsider"], "en", "Other", "Other text"
    )
    letter.recipients.append(Recipient(name="N", titles={}, country="FR", email="n@example.org", lang="en"))
    db.session.commit()
    return letter


def allowed_in_other(role: str, allowed: set[str]) -> bool:
    """In the other letter, the outsider stands where the coordinator's owner stands in ours."""
    if role == "staff":
        return "staff" in allowed
    return role == "outsider" and "coord_owner" in allowed


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_with_a_logged_404_exactly_where_it_has_no_right(
    world, as_user, caplog, whose, role
):
    letter = world.letter if whose == "own" else other_letter(world)
    version = db.session.scalar(select(LetterVersion.id).where(LetterVersion.letter_id == letter.id))
    http = as_user(role)
    for method, path, data, allowed in ENDPOINTS:
        recipient = Recipient(
            letter_id=letter.id, name="N", titles={}, country="FR", email="n@example.org", lang="en"
        )
        db.session.add(recipient)
        db.session.commit()  # a fresh one each time: an allowed request may have removed the last
        url = f"/en/letters/{letter.slug}" + path.format(version=version, recipient=recipient.id)
        may = (role in allowed) if whose == "own" else allowed_in_other(role, allowed)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="campaign.access"):
            response = post(http, url, **data) if method == "POST" else http.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/account/login" in response.location, url
        elif may:
            assert response.status_code not in (403, 404), (url, response.status_code)
            assert response.status_code < 500, url
        else:
            assert response.status_code in (403, 404), (url, response.status_code)
            assert any("forbidden" in record.getMessage() for record in caplog.records), url
            assert letter.coordinator.name("en") not in response.get_data(as_text=True), url


def test_an_outsider_cannot_see_a_draft_on_the_public_page_and_it_is_logged(world, as_user, caplog):
    with caplog.at_level(logging.WARNING, logger="campaign.access"):
        response = as_user("outsider").get(f"/en/letters/{world.letter.slug}")
    assert response.status_code == 404
    assert any("forbidden" in record.getMessage() for record in caplog.records)


def test_an_invited_organisation_sees_only_the_invitation_until_it_joins(world, as_user):
    services.invite(world.letter, world.organisations["outsider"], world.users["coord_owner"])
    db.session.commit()
    http = as_user("outsider")
    assert http.get(f"/en/letters/{world.letter.slug}/invitation").status_code == 200
    assert http.get(f"/en/letters/{world.letter.slug}/work").status_code == 404
    assert http.get(f"/en/letters/{world.letter.slug}/versions").status_code == 404


def test_a_version_of_another_letter_is_not_reachable_through_mine(world, as_user):
    other = other_letter(world)
    foreign = db.session.scalar(select(LetterVersion.id).where(LetterVersion.letter_id == other.id))
    http = as_user("coord_owner")
    assert http.get(f"/en/letters/{world.letter.slug}/versions/{foreign}").status_code == 404
    assert (
        post(http, f"/en/letters/{world.letter.slug}/versions/{foreign}/comments", body="x").status_code
        == 404
    )
