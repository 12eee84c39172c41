"""An organisation's members page: owners change roles and remove members, never the last owner."""

from __future__ import annotations

from sqlalchemy import select

from campaign.accounts.models import Membership
from campaign.extensions import db
from tests.conftest import csrf_token


def org_url(user) -> str:
    return f"/en/account/organisations/{user.memberships[0].organisation_id}"


def membership_id(user) -> int:
    return db.session.scalar(select(Membership.id).where(Membership.user_id == user.id))


def test_an_owner_changes_a_members_role(client, create_user, login):
    owner = create_user(email="owner@example.org", org="Org A")
    editor = create_user(email="editor@example.org", org="Org A", org_role="editor")
    login(owner)

    response = client.post(
        f"{org_url(owner)}/members/{membership_id(editor)}/role",
        data={"csrf_token": csrf_token(client, "/en/account/"), "role": "signer"},
    )

    assert response.status_code == 303
    assert db.session.scalar(select(Membership.role).where(Membership.user_id == editor.id)) == "signer"


def test_an_unknown_role_is_refused_with_a_clear_message(client, create_user, login):
    owner = create_user(email="owner@example.org", org="Org A")
    editor = create_user(email="editor@example.org", org="Org A", org_role="editor")
    login(owner)

    response = client.post(
        f"{org_url(owner)}/members/{membership_id(editor)}/role",
        data={"csrf_token": csrf_token(client, "/en/account/"), "role": "emperor"},
    )

    assert response.status_code == 422
    assert "Please choose a role from the list." in response.get_data(as_text=True)


def test_an_owner_removes_a_member(client, create_user, login):
    owner = create_user(email="owner@example.org", org="Org A")
    signer = create_user(email="signer@example.org", org="Org A", org_role="signer")
    login(owner)

    client.post(
        f"{org_url(owner)}/members/{membership_id(signer)}/remove",
        data={"csrf_token": csrf_token(client, "/en/account/")},
    )

    assert db.session.scalar(select(Membership).where(Membership.user_id == signer.id)) is None


def test_the_last_owner_cannot_be_removed_or_demoted(client, create_user, login):
    owner = create_user(email="owner@example.org", org="Org A")
    login(owner)
    url = f"{org_url(owner)}/members/{membership_id(owner)}"

    removal = client.post(f"{url}/remove", data={"csrf_token": csrf_token(client, "/en/account/")})
    demotion = client.post(
        f"{url}/role", data={"csrf_token": csrf_token(client, "/en/account/"), "role": "editor"}
    )

    assert removal.status_code == demotion.status_code == 409
    assert "needs at least one owner" in removal.get_data(as_text=True)
    assert db.session.scalar(select(Membership.role).where(Membership.user_id == owner.id)) == "owner"


def test_an_owner_may_step_down_when_another_owner_remains(client, create_user, login):
    owner = create_user(email="owner@example.org", org="Org A")
    create_user(email="second@example.org", org="Org A", org_role="owner")
    login(owner)

    response = client.post(
        f"{org_url(owner)}/members/{membership_id(owner)}/role",
        data={"csrf_token": csrf_token(client, "/en/account/"), "role": "editor"},
    )

    assert response.status_code == 303
    assert db.session.scalar(select(Membership.role).where(Membership.user_id == owner.id)) == "editor"


def test_editors_see_members_and_roles_but_not_addresses_or_invitations(client, create_user, login):
    create_user(email="owner@example.org", org="Org A")
    editor = create_user(email="editor@example.org", org="Org A", org_role="editor")
    login(editor)

    page = client.get(f"{org_url(editor)}/members").get_data(as_text=True)

    assert "Owner" in page
    assert "owner@example.org" not in page
    assert "Pending invitations" not in page
    assert "Remove" not in page


def test_owners_see_addresses_and_pending_invitations(client, create_user, login):
    owner = create_user(email="owner@example.org", org="Org A")
    login(owner)
    url = f"{org_url(owner)}/members"
    client.post(
        f"{org_url(owner)}/invitations",
        data={
            "csrf_token": csrf_token(client, url),
            "email": "new@example.org",
            "role": "editor",
            "lang": "en",
        },
    )

    page = client.get(url).get_data(as_text=True)

    assert "owner@example.org" in page
    assert "new@example.org" in page
