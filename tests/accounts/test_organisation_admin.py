"""Staff create, edit and archive organisations and invite their first owner, all from the interface."""

from __future__ import annotations

from sqlalchemy import select

from campaign.accounts.models import Invitation, Organisation
from campaign.extensions import db
from tests.conftest import csrf_token


def test_staff_create_an_organisation_with_its_city_and_letterhead_per_language(client, create_user, login):
    login(create_user("staff@example.org", role="campaigner"))
    token = csrf_token(client, "/en/account/organisations/new")

    response = client.post(
        "/en/account/organisations/new",
        data={
            "csrf_token": token,
            "name_en": "Nota Bene",
            "name_ru": "Нота Бене",
            "city": "Dushanbe",
            "city_ru": "Душанбе",
            "country": "TJ",
            "contact_email": "Office@Nota-Bene.example.org",
            "address_en": "1 Rudaki Avenue, Dushanbe",
        },
    )

    assert response.status_code == 303
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "nota-bene"))
    assert organisation.city_name("ru") == "Душанбе" and organisation.city_name("en") == "Dushanbe"
    assert organisation.contact_email == "office@nota-bene.example.org"
    assert organisation.postal_address("ru") == "1 Rudaki Avenue, Dushanbe"
    assert response.headers["Location"].endswith(f"/organisations/{organisation.id}/members")


def test_partners_cannot_create_organisations(client, create_user, login):
    login(create_user("owner@example.org", org="Some Org", org_role="owner"))
    assert client.get("/en/account/organisations/new").status_code == 404


def test_staff_archive_an_organisation_and_it_can_no_longer_be_invited_into_a_letter(
    client, create_user, login
):
    login(create_user("staff@example.org", role="campaigner"))
    create_user("owner@example.org", org="Some Org", org_role="owner")
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "some-org"))
    token = csrf_token(client, "/en/account/organisations/")

    response = client.post(
        f"/en/account/organisations/{organisation.id}/archive", data={"csrf_token": token, "archived": "1"}
    )

    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).archived_at is not None
    assert "archived" in client.get("/en/account/organisations/").get_data(as_text=True)


def test_an_invitation_offers_the_least_powerful_role_first(client, create_user, login):
    login(create_user("staff@example.org", role="campaigner"))
    create_user("owner@example.org", org="Some Org", org_role="owner")
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "some-org"))

    page = client.get(f"/en/account/organisations/{organisation.id}/members").get_data(as_text=True)

    assert '<option selected value="signer">' in page
    assert db.session.scalar(select(Invitation)) is None
