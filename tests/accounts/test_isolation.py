"""Who may use which organisation endpoint: the matrix of actors and endpoints on organisation A.

Allowed answers are 200 or a 303 redirect; anonymous visitors are sent to the login page; every
other access answers 404 and leaves a "forbidden" line in the access log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import pyotp
import pytest
from sqlalchemy import select

from campaign.accounts import invitations, services
from campaign.accounts.models import Membership, Organisation, User
from campaign.extensions import db
from tests.conftest import PASSWORD, csrf_token

STAFF = {"admin", "campaigner"}
MANAGERS = STAFF | {"owner_a"}
MEMBERS_OF_A = MANAGERS | {"editor_a", "signer_a"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    allowed: frozenset[str]
    data: tuple[tuple[str, str], ...] = ()


def endpoints(ids: dict[str, int]) -> list[Endpoint]:
    org = f"/en/account/organisations/{ids['org_a']}"
    profile = (("name_en", "ADC Memorial"), ("city", "Brussels"), ("country", "BE"))
    invite = (("email", "someone@example.org"), ("role", "signer"), ("lang", "en"))
    staff_invite = (("email", "staff2@example.org"), ("role", "campaigner"), ("lang", "en"))
    return [
        Endpoint("profile", "GET", f"{org}/profile", frozenset(MANAGERS)),
        Endpoint("save profile", "POST", f"{org}/profile", frozenset(MANAGERS), profile),
        Endpoint("members", "GET", f"{org}/members", frozenset(MEMBERS_OF_A)),
        Endpoint(
            "change role",
            "POST",
            f"{org}/members/{ids['editor_membership']}/role",
            frozenset(MANAGERS),
            (("role", "editor"),),
        ),
        Endpoint(
            "remove member", "POST", f"{org}/members/{ids['extra_membership']}/remove", frozenset(MANAGERS)
        ),
        Endpoint("invite", "POST", f"{org}/invitations", frozenset(MANAGERS), invite),
        Endpoint(
            "revoke invitation", "POST", f"{org}/invitations/{ids['invitation']}/revoke", frozenset(MANAGERS)
        ),
        Endpoint("all organisations", "GET", "/en/account/organisations/", frozenset(STAFF)),
        Endpoint("staff invitation form", "GET", "/en/account/staff/invite", frozenset({"admin"})),
        Endpoint("invite staff", "POST", "/en/account/staff/invite", frozenset({"admin"}), staff_invite),
    ]


@lru_cache(maxsize=1)
def password_hash() -> str:
    return services.hash_password(PASSWORD)


@pytest.fixture
def create_user(app):
    """Like conftest's, but hashing the password once for the whole module: the matrix makes many users."""

    def create(email: str, org: str | None = None, org_role: str = "owner", role: str | None = None) -> User:
        user = User(email=email, password_hash=password_hash(), staff_role=role)
        if org:
            organisation = services.find_or_create_organisation(org)
            user.memberships.append(Membership(organisation=organisation, role=org_role))
        services.enable_totp(user, pyotp.random_base32())
        db.session.add(user)
        db.session.commit()
        return user

    return create


@pytest.fixture
def world(create_user) -> dict[str, int]:
    """Organisation A with an owner, an editor, a signer and one more signer; organisation B with
    its owner; two staff members; a pending invitation to A."""
    users = {
        "owner_a": create_user(email="owner-a@example.org", org="Org A", org_role="owner"),
        "editor_a": create_user(email="editor-a@example.org", org="Org A", org_role="editor"),
        "signer_a": create_user(email="signer-a@example.org", org="Org A", org_role="signer"),
        "extra_a": create_user(email="extra-a@example.org", org="Org A", org_role="signer"),
        "owner_b": create_user(email="owner-b@example.org", org="Org B", org_role="owner"),
        "admin": create_user(email="admin@example.org", role="admin"),
        "campaigner": create_user(email="campaigner@example.org", role="campaigner"),
    }
    org_a = db.session.scalar(select(Organisation).where(Organisation.slug == "org-a"))
    invitation = invitations.invite(
        "invited@example.org", "editor", "en", organisation=org_a, invited_by=users["owner_a"]
    )
    db.session.commit()

    def membership(user: User) -> int:
        return db.session.scalar(select(Membership.id).where(Membership.user_id == user.id))

    return {
        **{name: user.id for name, user in users.items()},
        "org_a": org_a.id,
        "editor_membership": membership(users["editor_a"]),
        "extra_membership": membership(users["extra_a"]),
        "invitation": invitation.id,
    }


def request(client, endpoint: Endpoint):
    if endpoint.method == "GET":
        return client.get(endpoint.path)
    data = {"csrf_token": csrf_token(client, "/en/account/login"), **dict(endpoint.data)}
    return client.post(endpoint.path, data=data)


@pytest.mark.parametrize("actor", ["admin", "campaigner", "owner_a", "editor_a", "signer_a", "owner_b"])
def test_each_actor_reaches_exactly_its_endpoints_and_forbidden_ones_are_logged(
    actor, client, world, login, caplog
):
    login(db.session.get(User, world[actor]))
    outcomes, expected, unlogged = {}, {}, []

    for endpoint in endpoints(world):
        with caplog.at_level(logging.WARNING, logger="campaign.access"):
            caplog.clear()
            response = request(client, endpoint)
        allowed = actor in endpoint.allowed
        outcomes[endpoint.name] = "allowed" if response.status_code in (200, 303) else response.status_code
        expected[endpoint.name] = "allowed" if allowed else 404
        if not allowed and not any(
            "forbidden" in record.getMessage() and endpoint.path in record.getMessage()
            for record in caplog.records
        ):
            unlogged.append(endpoint.name)

    assert outcomes == expected
    assert unlogged == []


def test_anonymous_visitors_are_sent_to_the_login_page_everywhere(client, world):
    for endpoint in endpoints(world):
        response = request(client, endpoint)

        assert response.status_code == 302, endpoint.name
        assert "/en/account/login" in response.location, endpoint.name


def test_an_owner_cannot_reach_another_organisations_member_through_their_own(client, create_user, login):
    owner_a = create_user(email="owner-a@example.org", org="Org A")
    owner_b = create_user(email="owner-b@example.org", org="Org B")
    login(owner_a)
    org_a = owner_a.memberships[0].organisation_id
    member_of_b = owner_b.memberships[0].id
    token = csrf_token(client, "/en/account/")

    role = client.post(
        f"/en/account/organisations/{org_a}/members/{member_of_b}/role",
        data={"csrf_token": token, "role": "signer"},
    )
    removal = client.post(
        f"/en/account/organisations/{org_a}/members/{member_of_b}/remove", data={"csrf_token": token}
    )

    assert role.status_code == removal.status_code == 404
    assert db.session.scalar(select(Membership.role).where(Membership.id == member_of_b)) == "owner"


def test_an_owner_cannot_revoke_another_organisations_invitation_through_their_own(
    client, create_user, login
):
    owner_a = create_user(email="owner-a@example.org", org="Org A")
    owner_b = create_user(email="owner-b@example.org", org="Org B")
    organisation_b = db.session.get(Organisation, owner_b.memberships[0].organisation_id)
    invitation = invitations.invite(
        "x@example.org", "editor", "en", organisation=organisation_b, invited_by=owner_b
    )
    db.session.commit()
    login(owner_a)

    response = client.post(
        f"/en/account/organisations/{owner_a.memberships[0].organisation_id}/invitations/{invitation.id}/revoke",
        data={"csrf_token": csrf_token(client, "/en/account/")},
    )

    assert response.status_code == 404
    assert db.session.get(type(invitation), invitation.id).revoked_at is None


def test_an_unknown_organisation_answers_404(client, create_user, login):
    login(create_user(email="admin@example.org", role="admin"))

    assert client.get("/en/account/organisations/999999/members").status_code == 404
