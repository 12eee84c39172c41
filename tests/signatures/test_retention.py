"""Keeping the least: addresses erased once confirmed, campaigns anonymised after retention."""

from __future__ import annotations

import zlib
from datetime import timedelta

from sqlalchemy import select

from campaign.audit.models import AuditEntry
from campaign.extensions import db
from campaign.jobclaims import JobStatus
from campaign.models_base import utcnow
from campaign.moderation.models import Invalidation, TrendingFlag
from campaign.paper import services as paper
from campaign.paper.models import PaperSheet, PaperSigner
from campaign.signatures import retention
from campaign.signatures.models import Signature, SignatureStatus, Supporter
from tests.dump import database_dump, redis_dump
from tests.signatures.test_signing import confirm, count

ADDRESS = "Aigerim.Private@Example.org"


def holds(address: str) -> list[str]:
    """Where the system still holds ``address`` (any case): the database, Redis."""
    found = []
    if address.lower() in database_dump().lower():
        found.append("database")
    if address.lower().encode() in redis_dump().lower():
        found.append("redis")
    return found


def test_a_confirmed_signer_without_updates_leaves_no_address_anywhere(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug, email=ADDRESS)
    drain()
    confirm(client, smtp_server.messages[0])
    drain()

    assert count(client, campaign.slug) == 1
    assert holds(ADDRESS) == []
    assert db.session.scalar(select(Signature.email_hash)) is not None  # a second signing is still known


def test_a_signer_who_wants_updates_keeps_the_address_that_updates_need(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug, email=ADDRESS, consent_updates="y")
    drain()
    confirm(client, smtp_server.messages[0])

    assert db.session.scalar(select(Supporter.email)) == ADDRESS.replace("Example.org", "example.org")


def test_the_already_signed_reminder_goes_to_the_address_just_typed(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug, email="roza@example.org")
    drain()
    confirm(client, smtp_server.messages[0])
    smtp_server.messages.clear()

    sign(campaign.slug, email="Roza+again@example.org", ip="198.51.100.30")
    drain()

    [reminder] = smtp_server.messages
    assert reminder.rcpt_tos == ["Roza+again@example.org"]
    assert reminder.message["Subject"].startswith("You have already signed")
    assert db.session.scalar(select(Signature.email)) is None
    assert holds("roza+again@example.org") == []  # the reminder's row forgot it once sent


def test_an_address_is_erased_once_its_signer_unsubscribes(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug, email=ADDRESS, consent_updates="y")
    drain()
    confirm(client, smtp_server.messages[0])
    db.session.execute(db.update(Signature).values(wants_updates=False))  # as the unsubscribe page does
    db.session.commit()

    retention.apply_retention()

    assert holds(ADDRESS) == []


def closed_campaign(create_campaign, sign, client, drain, smtp_server, days_ago: int, **fields):
    campaign = create_campaign(slug=f"closed-{days_ago}-{zlib.crc32(repr(fields).encode())}", **fields)
    for number in range(3):
        sign(campaign.slug, name=f"Signer Number{number}", email=f"s{number}@example.org", show_name="y",
             consent_updates="y", ip=f"198.51.100.{number + 40}")  # fmt: skip
    sign(campaign.slug, name="Never Confirmed", email="pending@example.org", ip="198.51.100.50")
    drain()
    for message in list(smtp_server.messages)[:3]:
        confirm(client, message)
    smtp_server.messages.clear()
    campaign.status, campaign.closes_at = "closed", utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return campaign


def test_a_closed_campaign_past_retention_keeps_its_counts_and_no_names(
    client, create_campaign, sign, drain, smtp_server
):
    campaign = closed_campaign(create_campaign, sign, client, drain, smtp_server, days_ago=181)

    assert retention.apply_retention() == 1

    rows = db.session.execute(
        select(Signature.status, Signature.name, Signature.email, Signature.ip_hash)
    ).all()
    assert rows == [(SignatureStatus.CONFIRMED, "", None, "")] * 3
    assert count(client, campaign.slug) == 3
    assert "Signer Number" not in client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
    dump = database_dump()
    assert "Signer Number" not in dump and "s1@example.org" not in dump


def test_running_the_retention_job_again_changes_nothing(client, create_campaign, sign, drain, smtp_server):
    campaign = closed_campaign(create_campaign, sign, client, drain, smtp_server, days_ago=181)
    retention.apply_retention()
    anonymised_at = db.session.get(type(campaign), campaign.id).anonymised_at

    assert retention.apply_retention() == 0
    assert db.session.get(type(campaign), campaign.id).anonymised_at == anonymised_at
    assert count(client, campaign.slug) == 3


def test_a_campaign_within_its_retention_keeps_its_signers(client, create_campaign, sign, drain, smtp_server):
    closed_campaign(create_campaign, sign, client, drain, smtp_server, days_ago=10)

    assert retention.apply_retention() == 0
    assert sorted(db.session.scalars(select(Signature.name))) == [
        "Never Confirmed", "Signer Number0", "Signer Number1", "Signer Number2",
    ]  # fmt: skip


def test_a_campaign_of_its_own_retention_is_anonymised_after_it(
    client, create_campaign, sign, drain, smtp_server
):
    closed_campaign(create_campaign, sign, client, drain, smtp_server, days_ago=10, retention_days=7)

    assert retention.apply_retention() == 1
    assert set(db.session.scalars(select(Signature.name))) == {""}


def test_a_closed_campaign_past_retention_keeps_its_paper_counts_and_no_paper_names_or_scans(
    client, create_campaign, sign, drain, smtp_server
):
    campaign = closed_campaign(create_campaign, sign, client, drain, smtp_server, days_ago=181)
    scan = paper.scan_dir() / "0123456789abcdef0123456789abcdef.jpg"
    scan.write_bytes(b"\xff\xd8 a picture of names")
    sheet = paper.add_sheet(campaign.id, paper.SheetInput(40, "KZ", None, None, "", scan.name), None)
    listed = b"name,email\nPaper Person,paper@example.org\n"
    paper.import_signers(campaign.id, listed, paper.SheetInput(0, "KZ", None, None, ""), None)
    db.session.commit()

    retention.apply_retention()

    assert not scan.exists() and db.session.get(PaperSheet, sheet.id).scan is None
    assert set(db.session.scalars(select(PaperSigner.name))) == {""}
    assert client.get(f"/api/v1/campaigns/{campaign.slug}").get_json()["offline_signature_count"] == 41
    assert "Paper Person" not in database_dump()


def test_past_retention_no_ip_hash_of_its_signers_is_left_in_moderations_records(
    client, create_campaign, sign, drain, smtp_server
):
    campaign = closed_campaign(create_campaign, sign, client, drain, smtp_server, days_ago=181)
    hashes = set(db.session.scalars(select(Signature.ip_hash)))
    flagged = sorted(hashes)[0]
    db.session.add_all([
        TrendingFlag(campaign_id=campaign.id, kind="ip_hash", value=flagged, signatures_last_hour=3,
                     share=0.5),
        Invalidation(campaign_id=campaign.id, filter={"ip_hash": flagged, "country": "KZ"},
                     status=JobStatus.DONE),
        AuditEntry(action="invalidation.started", campaign_id=campaign.id,
                   details={"invalidation_id": 1, "filter": {"ip_hash": flagged}}),
        AuditEntry(action="held.invalidated", campaign_id=campaign.id, details={"ip_hash": flagged}),
    ])  # fmt: skip
    db.session.commit()

    retention.apply_retention()

    dump = database_dump()
    assert [value for value in hashes if value in dump] == []
    assert db.session.scalar(select(Invalidation.filter)) == {"ip_hash": "", "country": "KZ"}
    assert len(db.session.scalars(select(AuditEntry.action)).all()) >= 2  # what was done stays


def test_a_closed_campaign_turned_back_into_a_draft_is_still_anonymised_after_its_retention(
    client, create_campaign, sign, drain, smtp_server
):
    campaign = closed_campaign(create_campaign, sign, client, drain, smtp_server, days_ago=10)
    retention.apply_retention()  # notes when it closed
    campaign.status, campaign.retention_days = "draft", 7  # hidden, and its period already past
    db.session.commit()

    assert retention.apply_retention() == 1
    assert set(db.session.scalars(select(Signature.name))) == {""}
