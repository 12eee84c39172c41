"""Signing on PostgreSQL (one statement through the driver) writes the same rows as the session's
path that SQLite takes, the signature and its confirmation's outbox row alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.accounts.models import Organisation
from campaign.extensions import db
from campaign.outbox import OutboxMessage
from campaign.signatures import services
from campaign.signatures.models import Signature

#: what differs between two signers by nature: who they are, their secrets, when they signed
PER_SIGNER = {"id", "name", "email", "email_hash", "token_hash", "token_sent_at", "created_at"}
PER_MESSAGE = {"id", "recipient", "idempotency_key", "created_at", "payload"}


def rows(table, column, value) -> dict:
    return dict(db.session.execute(select(table).where(column == value)).mappings().one())


def signed(email: str) -> tuple[dict, dict]:
    signature = rows(Signature.__table__, Signature.__table__.c.email, email)
    message = rows(OutboxMessage.__table__, OutboxMessage.__table__.c.recipient, email)
    return signature, message


def test_both_signing_paths_write_the_same_rows(app, campaign, sign, monkeypatch):
    if not services.in_one_statement():
        pytest.skip("the one-statement path runs on PostgreSQL only")
    db.session.add(Organisation(slug="adc-memorial", names={"en": "ADC Memorial"}))
    db.session.commit()
    # every box ticked, through a partner's link: each column the form sets is compared set
    ticked = {"ref": "adc-memorial", "show_name": "y", "consent_updates": "y", "partner_may_contact": "y"}
    sign(campaign.slug, email="statement@example.org", name="Signer", ip="198.51.100.1", **ticked)
    monkeypatch.setattr(services, "in_one_statement", lambda: False)
    sign(campaign.slug, email="session@example.org", name="Signer", ip="198.51.100.1", **ticked)
    db.session.rollback()

    (statement, statement_mail), (session, session_mail) = (
        signed("statement@example.org"),
        signed("session@example.org"),
    )

    assert (statement["partner_may_contact"], statement["source"]) == (True, "adc-memorial")
    assert {key: statement[key] for key in statement.keys() - PER_SIGNER} == {
        key: session[key] for key in session.keys() - PER_SIGNER
    }
    assert {key: statement_mail[key] for key in statement_mail.keys() - PER_MESSAGE} == {
        key: session_mail[key] for key in session_mail.keys() - PER_MESSAGE
    }
    assert statement_mail["payload"].keys() == session_mail["payload"].keys() == {"signature_id", "token"}
    assert statement_mail["payload"]["signature_id"] == statement["id"]
    assert session_mail["payload"]["signature_id"] == session["id"]
    assert statement_mail["idempotency_key"].split(":")[0] == session_mail["idempotency_key"].split(":")[0]
