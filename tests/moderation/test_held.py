"""Held for review: past the fraud threshold, signatures are confirmed as usual but wait for a
moderator, who sees them by campaign and by address and releases or invalidates them."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import select

from campaign import create_app
from campaign.audit.models import AuditEntry
from campaign.extensions import db
from campaign.signatures.models import Signature, SignatureStatus
from tests.conftest import csrf_token
from tests.signatures.test_signing import confirm

SHARED_EXIT = "203.0.113.50"  # ten honest people and one more behind one Tor exit


def api(client, slug: str) -> dict:
    return client.get(f"/api/v1/campaigns/{slug}").get_json()


def sign_and_confirm(client, sign, drain, smtp_server, slug: str, number: int, ip: str = SHARED_EXIT) -> None:
    for person in range(number):
        assert sign(slug, email=f"person{person}@uni.example.org", ip=ip).status_code == 303
    drain()
    for message in list(smtp_server.messages):
        assert confirm(client, message).status_code == 200


def statuses() -> list[str]:
    return list(db.session.scalars(select(Signature.status).order_by(Signature.id)))


def decide(client, action: str, **fields) -> object:
    url = "/en/dashboard/held/"
    return client.post(f"/en/dashboard/held/{action}", data={"csrf_token": csrf_token(client, url)} | fields)


def test_eleven_signatures_from_one_address_give_ten_counted_and_one_held(
    client, campaign, sign, drain, smtp_server
):
    sign_and_confirm(client, sign, drain, smtp_server, campaign.slug, 11)

    assert statuses() == [SignatureStatus.CONFIRMED] * 10 + [SignatureStatus.HELD]
    found = api(client, campaign.slug)
    assert (found["signature_count"], found["held_for_review"]) == (10, 1)


def test_a_held_signer_sees_the_same_pages_as_any_other(client, app, campaign, sign, drain, smtp_server):
    app.config["FRAUD_SIGNATURES_PER_IP_HOUR"] = 1
    sign_and_confirm(client, sign, drain, smtp_server, campaign.slug, 1)
    assert sign(campaign.slug, email="second@uni.example.org", ip=SHARED_EXIT).location.endswith(
        "/check-email"
    )
    drain()

    page = confirm(client, smtp_server.to("second@uni.example.org")[0])

    assert "is confirmed and counted" in page.get_data(as_text=True)
    assert statuses() == [SignatureStatus.CONFIRMED, SignatureStatus.HELD]


def test_invalid_submissions_do_not_count_toward_the_threshold(
    client, app, campaign, sign, drain, smtp_server
):
    app.config["FRAUD_SIGNATURES_PER_IP_HOUR"] = 2
    for typo in ("not-an-address", "", "still@wrong"):
        assert sign(campaign.slug, email=typo, ip=SHARED_EXIT).status_code == 422

    sign_and_confirm(client, sign, drain, smtp_server, campaign.slug, 2)

    assert statuses() == [SignatureStatus.CONFIRMED, SignatureStatus.CONFIRMED]


def test_a_moderator_releases_held_signatures_and_the_audit_log_says_who(
    client, app, campaign, sign, drain, smtp_server, create_user, login
):
    sign_and_confirm(client, sign, drain, smtp_server, campaign.slug, 11)
    moderator = create_user(role="campaigner")
    login(moderator)

    response = decide(client, "release", campaign=campaign.slug)

    assert response.status_code == 303
    assert "1 signature now counts" in client.get(response.location).get_data(as_text=True)
    assert statuses() == [SignatureStatus.CONFIRMED] * 11
    found = api(client, campaign.slug)
    assert (found["signature_count"], found["held_for_review"]) == (11, 0)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "held.released"))
    assert (entry.user_id, entry.campaign_id, entry.affected) == (moderator.id, campaign.id, 1)
    assert not any(
        db.session.scalars(select(Signature.is_over_limit))
    )  # undoing a later invalidation counts it


def test_a_moderator_invalidates_one_addresss_held_signatures_only(
    client, app, campaign, sign, drain, smtp_server, create_user, login
):
    app.config["FRAUD_SIGNATURES_PER_IP_HOUR"] = 1
    sign_and_confirm(client, sign, drain, smtp_server, campaign.slug, 3)
    smtp_server.messages.clear()
    sign(campaign.slug, email="elsewhere1@example.net", ip="198.51.100.61")
    sign(campaign.slug, email="elsewhere2@example.net", ip="198.51.100.61")
    drain()
    for message in list(smtp_server.messages):
        confirm(client, message)
    bot_hash = db.session.scalar(select(Signature.ip_hash).where(Signature.email_domain == "uni.example.org"))
    login(create_user(role="campaigner"))

    decide(client, "invalidate", campaign=campaign.slug, ip_hash=bot_hash)

    assert statuses() == [
        SignatureStatus.CONFIRMED,
        SignatureStatus.INVALIDATED,
        SignatureStatus.INVALIDATED,
        SignatureStatus.CONFIRMED,
        SignatureStatus.HELD,
    ]
    assert api(client, campaign.slug)["held_for_review"] == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "held.invalidated"))
    assert (entry.details, entry.affected) == ({"ip_hash": bot_hash}, 2)


def test_the_held_page_groups_by_address_and_shows_no_address_or_name(
    client, app, campaign, sign, drain, smtp_server, create_user, login
):
    app.config["FRAUD_SIGNATURES_PER_IP_HOUR"] = 1
    sign_and_confirm(client, sign, drain, smtp_server, campaign.slug, 3)
    login(create_user(role="campaigner"))

    html = client.get("/en/dashboard/held/").get_data(as_text=True)

    bot_hash = db.session.scalar(select(Signature.ip_hash))
    assert bot_hash in html and "2 signatures held" in html
    assert "uni.example.org" in html and "Kazakhstan" in html
    assert "person1@" not in html and "Aigerim" not in html and SHARED_EXIT not in html


def test_a_partner_cannot_see_held_signatures(client, campaign, create_user, login):
    login(create_user("partner@example.org", org="Memorial"))

    assert client.get("/en/dashboard/held/").status_code == 404  # as for any page a partner may not see


def test_the_migration_turns_todays_shadow_banned_signatures_into_held(base_config, tmp_path):
    app = create_app(base_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(revision="0009_source_versions")  # the last one before held for review
        with db.engine.begin() as connection:
            for number, (status, is_fraudulent) in enumerate(
                [("confirmed", True), ("confirmed", False), ("pending", True), ("invalidated", True)]
            ):
                connection.execute(
                    sa.text(
                        "INSERT INTO signature (campaign_id, name, email_hash, email_domain, country, lang,"
                        " is_name_public, wants_updates, ip_hash, status, is_fraudulent, created_at)"
                        " VALUES (1, 'A', :hash, 'example.org', 'KZ', 'en', 0, 0, 'x', :status, :fraud,"
                        " '2026-11-30 10:00:00')"
                    ),
                    {"hash": f"h{number}", "status": status, "fraud": is_fraudulent},
                )
        upgrade()
        rows = db.session.execute(
            select(Signature.status, Signature.is_over_limit).order_by(Signature.id)
        ).all()
        db.session.remove()
        db.engine.dispose()

    assert rows == [("held", True), ("confirmed", False), ("pending", True), ("invalidated", True)]
