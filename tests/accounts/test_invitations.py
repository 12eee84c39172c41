"""Invitations by email: a new partner joins through the mail, sets a password, enrols TOTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from campaign.accounts.models import Invitation, Membership, User
from campaign.extensions import db
from tests.accounts.links import link_in_mail
from tests.conftest import PASSWORD, csrf_token

NEW_PASSWORD = "a long and new passphrase"


def members_url(user: User) -> str:
    return f"/en/account/organisations/{user.memberships[0].organisation_id}/members"


def invite(client, owner: User, email: str, role: str = "editor", lang: str = "en"):
    url = members_url(owner)
    return client.post(
        f"/en/account/organisations/{owner.memberships[0].organisation_id}/invitations",
        data={"csrf_token": csrf_token(client, url), "email": email, "role": role, "lang": lang},
    )


def accept_new(client, path: str, name: str = "Dilnoza K", password: str = NEW_PASSWORD):
    return client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "name": name,
            "password": password,
            "confirm": password,
        },
    )


def test_an_invited_person_joins_through_the_mail_and_enrols_totp(
    app, client, create_user, login, drain, smtp_server
):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    assert invite(client, owner, "Dilnoza@Example.org", role="editor").status_code == 303
    drain()

    mail = smtp_server.to("dilnoza@example.org")[-1]
    assert "ADC Memorial" in mail.message["Subject"]
    path = link_in_mail(smtp_server, "dilnoza@example.org")
    newcomer = app.test_client()
    assert newcomer.get(path).status_code == 200
    created = accept_new(newcomer, path)
    assert created.location.endswith("/en/account/setup-2fa")
    page = newcomer.get("/en/account/setup-2fa").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    enrolled = newcomer.post(
        "/en/account/setup-2fa",
        data={"csrf_token": csrf_token(newcomer, "/en/account/setup-2fa"), "code": pyotp.TOTP(secret).now()},
    )

    assert enrolled.status_code == 200
    user = db.session.scalar(select(User).where(User.email == "dilnoza@example.org"))
    assert user.name == "Dilnoza K"
    assert user.has_totp
    assert user.role_in(owner.memberships[0].organisation_id) == "editor"
    assert newcomer.get(members_url(owner)).status_code == 200


def test_the_invitation_mail_is_in_the_chosen_language(client, create_user, login, drain, smtp_server):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    invite(client, owner, "ru@example.org", lang="ru")
    drain()

    assert "Здравствуйте" in smtp_server.to("ru@example.org")[-1].text()
    assert "/ru/account/invite/" in smtp_server.to("ru@example.org")[-1].text()


def test_an_invitation_link_works_only_once(app, client, create_user, login, drain, smtp_server):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    invite(client, owner, "once@example.org")
    drain()
    path = link_in_mail(smtp_server, "once@example.org")
    first, second = app.test_client(), app.test_client()
    form_token = csrf_token(second, path)
    accept_new(first, path)

    reuse = second.post(
        path, data={"csrf_token": form_token, "name": "Mallory", "password": PASSWORD, "confirm": PASSWORD}
    )

    assert reuse.status_code == 404
    assert "This link is not valid" in reuse.get_data(as_text=True)
    assert db.session.scalar(select(User.name).where(User.email == "once@example.org")) == "Dilnoza K"


def test_opening_the_link_changes_nothing(app, client, create_user, login, drain, smtp_server):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    invite(client, owner, "scanner@example.org")
    drain()

    app.test_client().get(link_in_mail(smtp_server, "scanner@example.org"))

    assert db.session.scalar(select(Invitation.accepted_at)) is None
    assert db.session.scalar(select(User).where(User.email == "scanner@example.org")) is None


def test_the_token_is_stored_only_as_its_hash(client, create_user, login, drain, smtp_server):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    invite(client, owner, "hash@example.org")
    drain()

    token = link_in_mail(smtp_server, "hash@example.org").rsplit("/", 1)[1]

    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert db.session.scalar(select(Invitation.token_hash)) != token
    assert token not in str(db.session.scalar(select(Invitation.id)))


def test_an_expired_invitation_is_refused(app, client, create_user, login, drain, smtp_server):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    invite(client, owner, "late@example.org")
    drain()
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at -= timedelta(days=8)
    db.session.commit()

    response = app.test_client().get(link_in_mail(smtp_server, "late@example.org"))

    assert response.status_code == 404


def test_a_revoked_invitation_is_refused(app, client, create_user, login, drain, smtp_server):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    invite(client, owner, "revoked@example.org")
    drain()
    invitation = db.session.scalar(select(Invitation))
    url = members_url(owner)
    client.post(
        f"{url.rsplit('/', 1)[0]}/invitations/{invitation.id}/revoke",
        data={"csrf_token": csrf_token(client, url)},
    )

    assert app.test_client().get(link_in_mail(smtp_server, "revoked@example.org")).status_code == 404


def test_a_short_password_is_refused_with_a_clear_message(
    app, client, create_user, login, drain, smtp_server
):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    invite(client, owner, "short@example.org")
    drain()

    response = accept_new(app.test_client(), link_in_mail(smtp_server, "short@example.org"), password="short")

    assert response.status_code == 422
    assert "Please use between 12 and 1000 characters." in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation.accepted_at)) is None


def test_an_existing_account_accepts_the_invitation_after_logging_in(
    app, client, create_user, login, drain, smtp_server
):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    other = create_user(email="partner@example.org", org="Other NGO")
    login(owner)
    invite(client, owner, "partner@example.org", role="signer")
    drain()
    assert "already have an account" in app.test_client().get(
        link_in_mail(smtp_server, "partner@example.org")
    ).get_data(as_text=True)
    assert other.role_in(owner.memberships[0].organisation_id) is None

    browser = app.test_client()
    login(other, http=browser)
    invitation_id = db.session.scalar(select(Invitation.id))
    browser.post(
        f"/en/account/invitations/{invitation_id}/accept",
        data={"csrf_token": csrf_token(browser, "/en/account/")},
    )

    assert (
        db.session.scalar(
            select(Membership.role).where(
                Membership.user_id == other.id,
                Membership.organisation_id == owner.memberships[0].organisation_id,
            )
        )
        == "signer"
    )


def test_someone_else_cannot_accept_an_invitation_by_its_number(app, client, create_user, login, drain):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    stranger = create_user(email="stranger@example.org", org="Other NGO")
    login(owner)
    invite(client, owner, "partner@example.org")
    browser = app.test_client()
    login(stranger, http=browser)
    invitation_id = db.session.scalar(select(Invitation.id))

    response = browser.post(
        f"/en/account/invitations/{invitation_id}/accept",
        data={"csrf_token": csrf_token(browser, "/en/account/")},
    )

    assert response.status_code == 404
    assert stranger.role_in(owner.memberships[0].organisation_id) is None


def test_an_admin_invites_staff(app, client, create_user, login, drain, smtp_server):
    admin = create_user(email="admin@example.org", role="admin")
    login(admin)
    url = "/en/account/staff/invite"
    client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "email": "new-staff@example.org",
            "role": "campaigner",
            "lang": "en",
        },
    )
    drain()

    accept_new(app.test_client(), link_in_mail(smtp_server, "new-staff@example.org"))

    assert (
        db.session.scalar(select(User.staff_role).where(User.email == "new-staff@example.org"))
        == "campaigner"
    )


def test_an_invitation_to_a_malformed_address_is_refused(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    response = invite(client, owner, "not an address")

    assert response.status_code == 422
    assert "Please enter a valid email address" in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation)) is None
