"""A partner sees its own referral slice and exports only its own consenting signers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.signatures.models import Signature
from tests.conftest import csrf_token


def _partner(create_user: Callable[..., User], login: Callable[..., Any], org: str, **role: str) -> User:
    user = create_user(f"{org.split()[0].lower()}@example.org", org=org, **role)
    login(user)
    return user


def test_partner_page_counts_only_its_own_link(
    client: FlaskClient,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    create_user: Callable[..., User],
    login: Callable[..., Any],
) -> None:
    add_signatures(campaign.id, 3, source="pen-kazakhstan")
    add_signatures(campaign.id, 5, source="other-org")
    _partner(create_user, login, "PEN Kazakhstan")

    html = client.get(f"/en/partner/pen-kazakhstan/campaigns/{campaign.slug}").get_data(as_text=True)

    assert re.search(r"<dt>Confirmed</dt><dd>3</dd>", html)
    assert f"/en/campaigns/{campaign.slug}?ref=pen-kazakhstan" in html
    assert "other-org" not in html


def test_another_organisations_slice_answers_404(
    client: FlaskClient, campaign: Campaign, create_user: Callable[..., User], login: Callable[..., Any]
) -> None:
    create_user("other@example.org", org="Other Org", totp=False)
    _partner(create_user, login, "PEN Kazakhstan")

    assert client.get(f"/en/partner/other-org/campaigns/{campaign.slug}").status_code == 404


def test_partner_export_holds_only_its_consenting_signers(
    client: FlaskClient,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    create_user: Callable[..., User],
    login: Callable[..., Any],
    drain: Callable[[], None],
) -> None:
    add_signatures(
        campaign.id, name="Ours", email="ours@example.org", source="pen-kazakhstan", partner_may_contact=True
    )
    add_signatures(campaign.id, name="Silent", source="pen-kazakhstan", wants_updates=False)
    add_signatures(campaign.id, name="Updates Only", source="pen-kazakhstan", wants_updates=True)
    add_signatures(campaign.id, name="Theirs", source="other-org", partner_may_contact=True)
    _partner(create_user, login, "PEN Kazakhstan")
    url = f"/en/partner/pen-kazakhstan/campaigns/{campaign.slug}"

    progress = client.post(f"{url}/exports", data={"csrf_token": csrf_token(client, url)})
    drain()
    page = client.get(progress.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="([^"]*/exports/download/[^"]+)"', page)
    assert link
    download = client.get(link.group(1))
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    download.close()

    assert [row[:2] for row in rows[1:]] == [["Ours", "ours@example.org"]]


def test_a_signer_member_cannot_export_addresses(
    client: FlaskClient, campaign: Campaign, create_user: Callable[..., User], login: Callable[..., Any]
) -> None:
    _partner(create_user, login, "PEN Kazakhstan", org_role="signer")
    url = f"/en/partner/pen-kazakhstan/campaigns/{campaign.slug}"

    token = csrf_token(client, "/en/account/")  # a valid token of this session

    response = client.post(f"{url}/exports", data={"csrf_token": token})

    assert response.status_code == 404


def test_another_organisations_export_answers_404(
    app: Flask,
    client: FlaskClient,
    campaign: Campaign,
    create_user: Callable[..., User],
    login: Callable[..., Any],
    drain: Callable[[], None],
) -> None:
    other_client = app.test_client()
    login(create_user("other@example.org", org="Other Org"), http=other_client)
    url = f"/en/partner/other-org/campaigns/{campaign.slug}"
    progress = other_client.post(f"{url}/exports", data={"csrf_token": csrf_token(other_client, url)})
    export_path = progress.headers["Location"]
    assert other_client.get(export_path).status_code == 200
    _partner(create_user, login, "PEN Kazakhstan")

    assert client.get(export_path).status_code == 404
    assert client.get(export_path.replace("other-org", "pen-kazakhstan")).status_code == 404


def test_signing_through_a_partner_link_keeps_the_source_and_an_unknown_code_is_dropped(
    client: FlaskClient, campaign: Campaign, create_user: Callable[..., User], sign: Callable[..., Any]
) -> None:
    create_user("pen@example.org", org="PEN Kazakhstan")
    sign(campaign.slug, email="one@example.org", ref="pen-kazakhstan")
    sign(campaign.slug, email="two@example.org", ref="made-up")

    sources = dict(db.session.execute(db.select(Signature.email, Signature.source)).all())
    assert sources == {"one@example.org": "pen-kazakhstan", "two@example.org": None}
