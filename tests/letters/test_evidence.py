"""What a delivery proves: the SMTP server's own reply, and a Merkle root over the tied campaign's
confirmed signatures that an implementation written here, from docs/evidence.md alone, agrees with."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign import merkle
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.evidence import EvidenceLeaf, for_letter, receipts
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Delivery
from campaign.models_base import utcnow
from campaign.signatures.models import Signature

QUEUED_REPLY = "250 2.0.0 Ok: queued as 4F2B1C3D9E"


def opened(world):
    """The world's letter open for sign-on and signed by its coordinator."""
    letter = world.letter
    services.open_for_sign_on(letter)
    services.sign_on(
        letter,
        world.organisations["coord"],
        world.users["coord_owner"],
        services.SignOnInput("Galina P", "Chair"),
    )
    db.session.commit()
    return letter


def add_signatures(campaign_id, countries, status="confirmed", start=None):
    """Signatures confirmed a second apart, in this order of countries; their ids."""
    start = start or utcnow() - timedelta(days=1)
    first = db.session.query(Signature).count()
    rows = [
        Signature(
            campaign_id=campaign_id,
            name=f"Signer {first + i}",
            email=f"signer{first + i}@example.org",
            email_hash=hashlib.sha256(f"signer{first + i}".encode()).hexdigest(),
            email_domain="example.org",
            country=country,
            lang="en",
            ip_hash="0" * 32,
            status=status,
            confirmed_at=start + timedelta(seconds=i) if status == "confirmed" else None,
        )
        for i, country in enumerate(countries)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def reference_root(records: list[bytes]) -> str:
    """docs/evidence.md's tree, level by level: pairs left to right, an odd last node carried up."""
    level = [hashlib.sha256(b"\x00" + record).digest() for record in records]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        level = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
    return level[0].hex()


def reference_record(app, campaign_id: int, email_hash: str, confirmed_at) -> bytes:
    key = hmac.new(app.config["IDENTITY_KEY"].encode(), b"evidence-leaf", hashlib.sha256).digest()
    keyed = hmac.new(key, f"{campaign_id}:{email_hash}".encode(), hashlib.sha256).hexdigest()
    return f"{keyed}|{confirmed_at:%Y-%m-%dT%H:%M:%S.%f}Z".encode()


@pytest.mark.parametrize("pipelining", [True, False])
def test_a_delivery_records_the_servers_reply_line_its_acceptance_time_and_message_id(
    world, drain, smtp_server, monkeypatch, pipelining
):
    monkeypatch.setattr(smtp_server.handler, "accepted", QUEUED_REPLY)
    monkeypatch.setattr(smtp_server.handler, "pipelining", pipelining)
    letter = opened(world)
    before = utcnow()

    deliver_letter(letter.id)
    drain()

    [delivery] = db.session.scalars(select(Delivery)).all()
    assert delivery.status == "sent"
    assert delivery.smtp_reply == QUEUED_REPLY
    assert before <= delivery.sent_at <= utcnow()
    [mail] = smtp_server.to("president-kz@example.org")
    assert mail.message["Message-ID"] == delivery.message_id
    assert delivery.attempts == 1


def test_a_refused_delivery_keeps_no_acceptance(world, drain, smtp_server, monkeypatch):
    monkeypatch.setattr(smtp_server.handler, "failures", ["550 5.1.1 Mailbox unavailable"])
    letter = opened(world)

    deliver_letter(letter.id)
    drain()

    [delivery] = db.session.scalars(select(Delivery)).all()
    assert delivery.status == "failed"
    assert delivery.smtp_reply is None
    assert "550 5.1.1 Mailbox unavailable" in delivery.last_error


def test_the_root_covers_the_campaigns_confirmed_signatures_at_delivery_and_matches_an_independent_tree(
    app, world, drain, campaign, monkeypatch
):
    monkeypatch.setitem(app.config, "COUNTRY_COUNT_MIN", 3)
    monkeypatch.setitem(app.config, "EVIDENCE_BATCH_ROWS", 4)  # several pages: the keyset must not skip
    monkeypatch.setattr(merkle, "BLOCK", 4)  # several blocks, the last one partial
    countries = ["KZ"] * 5 + ["RU"] * 3 + ["TJ"] * 2 + ["FR"]
    add_signatures(campaign.id, countries)
    add_signatures(campaign.id, ["KZ", "KZ"], status="pending")
    world.letter.campaign_id = campaign.id
    letter = opened(world)

    deliver_letter(letter.id)
    add_signatures(campaign.id, ["KZ"], start=utcnow() + timedelta(minutes=1))  # confirmed after delivery
    drain()

    evidence = for_letter(letter.id)
    assert evidence is not None and evidence.status == "done"
    assert evidence.leaf_count == 11
    assert evidence.countries == {"KZ": 5, "RU": 3, "other": 3}
    covered = db.session.scalars(
        select(Signature)
        .where(Signature.campaign_id == campaign.id, Signature.status == "confirmed")
        .order_by(Signature.confirmed_at, Signature.id)
    ).all()[:11]
    records = [reference_record(app, campaign.id, s.email_hash, s.confirmed_at) for s in covered]
    assert evidence.root == reference_root(records)
    stored = db.session.scalars(select(EvidenceLeaf.record).order_by(EvidenceLeaf.position)).all()
    assert [record.encode() for record in stored] == records
    assert not any("@" in record or "Signer" in record for record in stored)


def test_each_covered_signer_has_a_receipt_that_climbs_to_the_root_and_a_tampered_one_does_not(
    world, drain, campaign, monkeypatch
):
    monkeypatch.setattr(merkle, "BLOCK", 4)
    ids = add_signatures(campaign.id, ["KZ"] * 7)
    world.letter.campaign_id = campaign.id
    letter = opened(world)
    deliver_letter(letter.id)
    drain()

    for position, signature_id in enumerate(ids):
        [receipt] = receipts(signature_id)
        assert receipt.position == position
        assert receipt.verifies
    receipt = receipts(ids[5])[0]
    forged = receipt.path[0].__class__(receipt.path[0].side, bytes(32))
    assert merkle.climb(receipt.leaf, [forged, *receipt.path[1:]]).hex() != receipt.evidence.root
    assert merkle.climb(bytes(32), receipt.path).hex() != receipt.evidence.root


def test_a_letter_without_a_campaign_has_no_root_and_delivering_twice_queues_one(world, drain, campaign):
    letter = opened(world)
    deliver_letter(letter.id)
    drain()
    assert for_letter(letter.id) is None

    letter.campaign_id = campaign.id
    db.session.commit()
    deliver_letter(letter.id)
    deliver_letter(letter.id)
    drain()
    evidence = for_letter(letter.id)
    assert evidence is not None and evidence.leaf_count == 0
    assert evidence.root == hashlib.sha256(b"").hexdigest()
