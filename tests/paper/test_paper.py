"""Paper signatures: sheets by count and imported lists, counted apart from online signatures in
the API and on the page, the goal counting both, imports deduplicated and their refusals reported."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select, update

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.paper.models import PaperSheet, PaperSigner
from campaign.signatures.models import Signature
from campaign.signatures.services import email_hash
from tests.conftest import csrf_token


def _page(campaign: Campaign) -> str:
    return f"/en/dashboard/campaigns/{campaign.slug}/paper/"


def _add_sheet(client: FlaskClient, campaign: Campaign, **fields: Any) -> Any:
    data = {"count": "40", "country": "kz", "collected_on": "2026-11-28", "organisation": "0"} | fields
    data["csrf_token"] = csrf_token(client, _page(campaign))
    return client.post(f"{_page(campaign)}sheets", data=data, content_type="multipart/form-data")


def _import(client: FlaskClient, campaign: Campaign, text: str, **fields: Any) -> Any:
    data = {"country": "KZ", "organisation": "0"} | fields
    data["file"] = (io.BytesIO(text.encode("utf-8-sig")), "signers.csv")
    data["csrf_token"] = csrf_token(client, _page(campaign))
    return client.post(f"{_page(campaign)}imports", data=data, content_type="multipart/form-data")


def test_a_sheet_by_count_appears_apart_in_the_api_and_on_the_page(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 3)

    assert _add_sheet(client, campaign).status_code == 303

    api = client.get(f"/api/v1/campaigns/{campaign.slug}").get_json()
    assert (api["signature_count"], api["offline_signature_count"]) == (3, 40)
    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
    assert "43 people have signed" in html
    assert "3 online · 40 on paper" in html


def test_the_goal_counts_online_and_paper_signatures(
    client: FlaskClient,
    staff: User,
    create_campaign: Callable[..., Campaign],
    add_signatures: Callable[..., None],
) -> None:
    campaign = create_campaign(goal=100)
    add_signatures(campaign.id, 10)
    _add_sheet(client, campaign, count="50")

    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert '<progress max="100" value="60">' in html


def test_a_scan_is_kept_without_its_metadata_and_shown_to_staff(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, "PNG")
    picture.seek(0)

    _add_sheet(client, campaign, scan=(picture, "sheet.png"))

    sheet = db.session.scalar(select(PaperSheet))
    assert sheet is not None and sheet.scan
    scan = client.get(f"{_page(campaign)}{sheet.id}/scan.jpg")
    body = scan.get_data()
    scan.close()
    assert scan.status_code == 200 and body.startswith(b"\xff\xd8")


def test_a_sheet_without_a_count_is_refused_with_a_message(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    response = _add_sheet(client, campaign, count="")

    assert response.status_code == 422
    assert "Please give how many people signed." in response.get_data(as_text=True)
    assert db.session.scalar(select(PaperSheet)) is None


def test_an_import_keeps_valid_rows_and_reports_each_refused_one(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, email="online@example.org")
    db.session.execute(update(Signature).values(email_hash=email_hash("online@example.org")))
    db.session.commit()
    csv_text = (
        "Name,Email,Country\n"
        "Айгерим Т.,aigerim@example.org,KZ\n"  # noqa: RUF001  (kept)
        "Online Signer,Online+petition@Example.org,KZ\n"  # signed online already (normalised)
        ",nobody@example.org,KZ\n"  # no name
        "Bad Country,bad@example.org,XX\n"  # no such country
        "No Address,,\n"  # kept, country from the form
        "Again,AIGERIM@example.org,KZ\n"  # twice in the file
        "Broken,not-an-address,KZ\n"
    )

    response = _import(client, campaign, csv_text)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 signers imported" in html and "5 rows were not imported:" in html
    for row, reason in (
        (3, "Already signed online"),
        (4, "No name"),
        (5, "No known two-letter country code"),
        (7, "Twice in this file"),
        (8, "Not an email address"),
    ):
        assert f"<tr><td>{row}</td><td>{reason}" in html
    names = set(db.session.scalars(select(PaperSigner.name)))
    assert names == {"Айгерим Т.", "No Address"}  # noqa: RUF001
    assert client.get(f"/api/v1/campaigns/{campaign.slug}").get_json()["offline_signature_count"] == 2


def test_a_second_import_does_not_count_the_same_signer_again(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    _import(client, campaign, "name,email\nAnna,anna@example.org\n")

    html = _import(client, campaign, "name,email\nAnna K.,Anna@Example.org\n").get_data(as_text=True)

    assert "Already on an earlier paper list" in html
    assert client.get(f"/api/v1/campaigns/{campaign.slug}").get_json()["offline_signature_count"] == 1


def test_an_import_keeps_no_address_only_its_keyed_hash(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    _import(client, campaign, "name,email\nAnna,anna@example.org\n")

    signer = db.session.scalar(select(PaperSigner))
    assert signer is not None and signer.email_hash == email_hash("anna@example.org")


def test_a_file_without_a_name_column_is_refused_with_a_message(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    response = _import(client, campaign, "email\nanna@example.org\n")

    assert response.status_code == 422
    assert "one of them “name”" in response.get_data(as_text=True)


def test_entering_paper_signatures_is_audited(client: FlaskClient, staff: User, campaign: Campaign) -> None:
    _add_sheet(client, campaign)
    _import(client, campaign, "name\nAnna\n")

    actions = list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("paper.%")).order_by(AuditEntry.id)
        )
    )
    assert actions == ["paper.sheet_added", "paper.imported"]
