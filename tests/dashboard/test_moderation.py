"""Bulk invalidation by a filter, its progress and cancelling, the audit log, and trending flags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign import jobs
from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign
from campaign.extensions import db, queues
from campaign.jobclaims import JobStatus
from campaign.models_base import utcnow
from campaign.moderation import services, trending
from campaign.moderation.filters import SignatureFilter
from campaign.moderation.models import EMAIL_DOMAIN, IP_HASH, Invalidation
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus


def _invalidate(flt: SignatureFilter, drain: Callable[[], None], user_id: int = 42) -> Invalidation:
    invalidation = services.start_invalidation(flt, user_id)
    db.session.commit()  # queues its job
    drain()
    return db.session.get(Invalidation, invalidation.id)  # type: ignore[return-value]


def test_preview_counts_what_each_filter_part_selects(
    campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    now = utcnow()
    add_signatures(campaign.id, 3, ip_hash="b" * 32, email_domain="bots.example", country="RU")
    add_signatures(campaign.id, 2, confirmed_at=now - timedelta(days=2))

    assert SignatureFilter(campaign.id, ip_hash="b" * 32).count() == 3
    assert SignatureFilter(campaign.id, email_domain="BOTS.example").count() == 3
    assert SignatureFilter(campaign.id, country="ru").count() == 3
    assert (
        SignatureFilter(campaign.id, since=now - timedelta(days=3), until=now - timedelta(days=1)).count()
        == 2
    )


def test_a_filter_without_any_criterion_is_refused(campaign: Campaign) -> None:
    with pytest.raises(ValueError, match="narrow"):
        services.start_invalidation(SignatureFilter(campaign.id), user_id=1)


def test_bulk_invalidation_lowers_the_public_count(
    client: FlaskClient,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    add_signatures(campaign.id, 12, country="KZ")
    add_signatures(campaign.id, 5, ip_hash="b" * 32, country="RU")
    counts.reconcile(campaign.id)
    assert client.get(f"/api/v1/campaigns/{campaign.slug}").json["signature_count"] == 17

    invalidation = _invalidate(SignatureFilter(campaign.id, ip_hash="b" * 32), drain)

    assert (invalidation.status, invalidation.matched, invalidation.affected) == (JobStatus.DONE, 5, 5)
    body = client.get(f"/api/v1/campaigns/{campaign.slug}").json
    assert body["signature_count"] == 12
    assert body["signatures_by_country"] == {"KZ": 12, "other": 0}


def test_invalidated_signatures_are_marked_with_a_time(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 2, country="RU")

    _invalidate(SignatureFilter(campaign.id, country="RU"), drain)

    rows = db.session.execute(select(Signature.status, Signature.invalidated_at)).all()
    assert all(status == SignatureStatus.INVALIDATED and at is not None for status, at in rows)


def test_audit_log_records_who_invalidated_what_and_how_many(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 3, email_domain="bots.example")

    invalidation = _invalidate(SignatureFilter(campaign.id, email_domain="bots.example"), drain, user_id=42)

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.user_id, e.campaign_id, e.affected) for e in entries] == [
        ("invalidation.started", 42, campaign.id, 3),
        ("invalidation.finished", 42, campaign.id, 3),
    ]
    assert entries[0].details == {
        "invalidation_id": invalidation.id,
        "filter": {"campaign_id": campaign.id, "email_domain": "bots.example"},
    }


def test_a_cancelled_invalidation_touches_nothing_more(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 3, country="RU")
    invalidation = services.start_invalidation(SignatureFilter(campaign.id, country="RU"), user_id=1)
    db.session.commit()  # queues its job

    assert services.cancel(invalidation, user_id=1)
    db.session.commit()
    drain()

    invalidation = db.session.get(Invalidation, invalidation.id)  # type: ignore[assignment]
    assert (invalidation.status, invalidation.affected) == (JobStatus.CANCELLED, 0)
    assert SignatureFilter(campaign.id, country="RU").count() == 3


def test_running_an_invalidation_twice_changes_nothing_the_second_time(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 2, country="RU")
    invalidation = _invalidate(SignatureFilter(campaign.id, country="RU"), drain)

    services.run_invalidation(invalidation.id)

    assert db.session.get(Invalidation, invalidation.id).affected == 2  # type: ignore[union-attr]


def test_trending_flags_a_busy_address_and_domain_but_not_big_providers(
    app: Flask, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 12, ip_hash="b" * 32, email_domain="bots.example")
    add_signatures(campaign.id, 12, ip_hash="c" * 32, email_domain="gmail.com")
    for number in range(30):
        add_signatures(campaign.id, 1, ip_hash=f"{number:032d}", email_domain=f"mail{number}.example")

    trending.detect_trending()

    flags = {
        (flag.kind, flag.value, flag.signatures_last_hour) for flag in trending.recent_flags(campaign.id)
    }
    assert flags == {(IP_HASH, "b" * 32, 12), (EMAIL_DOMAIN, "bots.example", 12), (IP_HASH, "c" * 32, 12)}


def test_trending_ignores_a_busy_address_that_is_a_small_share_of_the_hour(
    campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 10, ip_hash="b" * 32, email_domain="mail.example")
    for number in range(60):
        add_signatures(campaign.id, 1, ip_hash=f"{number:032d}", email_domain=f"mail{number}.example")

    trending.detect_trending()

    assert trending.recent_flags(campaign.id) == []


def test_trending_ignores_signatures_older_than_an_hour(
    campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 20, ip_hash="b" * 32, confirmed_at=utcnow() - timedelta(hours=2))

    trending.detect_trending()

    assert trending.recent_flags(campaign.id) == []


def test_an_invalidation_whose_job_was_lost_is_resumed(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 3, country="RU")
    invalidation = services.start_invalidation(SignatureFilter(campaign.id, country="RU"), user_id=1)
    invalidation.created_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    queues.queue("bulk").empty()  # the job was lost with Redis

    assert jobs.resume_queued() == 1
    drain()

    resumed = db.session.get(Invalidation, invalidation.id)
    assert resumed is not None and resumed.affected == 3
