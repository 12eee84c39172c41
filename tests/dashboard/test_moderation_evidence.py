"""Moderation with evidence: a sample before invalidating, undoing the latest invalidation, and one
signature found by its address to invalidate, restore or erase."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select, update

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.moderation import services
from campaign.moderation.filters import SignatureFilter
from campaign.moderation.models import Invalidation
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus
from campaign.signatures.services import email_hash
from tests.conftest import csrf_token


def _count(client: FlaskClient, campaign: Campaign) -> int:
    return int(client.get(f"/api/v1/campaigns/{campaign.slug}").get_json()["signature_count"])


def _invalidate(campaign: Campaign, drain: Callable[[], None], **conditions: Any) -> Invalidation:
    invalidation = services.start_invalidation(SignatureFilter(campaign.id, **conditions), user_id=None)
    db.session.commit()
    drain()
    return db.session.get(Invalidation, invalidation.id)  # type: ignore[return-value]


def _moderation(campaign: Campaign) -> str:
    return f"/en/dashboard/campaigns/{campaign.slug}/moderation"


def test_the_preview_shows_a_sample_without_names_or_addresses(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(
        campaign.id,
        3,
        name="Secret Person",
        email="secret@bots.example",
        email_domain="bots.example",
        country="AM",
    )

    html = client.get(f"{_moderation(campaign)}?email_domain=bots.example").get_data(as_text=True)

    assert "3 signatures match" in html
    assert html.count("<td>bots.example</td>") == 3 and "<td>AM</td>" in html
    assert "Secret Person" not in html and "secret@bots.example" not in html


def test_an_undone_invalidation_restores_the_count(
    client: FlaskClient,
    staff: User,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    add_signatures(campaign.id, 4)
    add_signatures(campaign.id, 6, email_domain="bots.example")
    invalidation = _invalidate(campaign, drain, email_domain="bots.example")
    assert _count(client, campaign) == 4

    page = _moderation(campaign)
    response = client.post(
        f"/en/dashboard/invalidations/{invalidation.id}/undo", data={"csrf_token": csrf_token(client, page)}
    )

    assert response.status_code == 303
    progress = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Waiting to start" in progress and 'http-equiv="refresh"' in progress
    drain()  # the undo is a job, like the invalidation
    assert _count(client, campaign) == 10
    progress = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Signatures given back</dt><dd>6<" in progress and 'http-equiv="refresh"' not in progress
    entry = db.session.scalar(select(AuditEntry).filter_by(action="invalidation.undone"))
    assert entry is not None and entry.affected == 6


def test_undoing_gives_each_signature_back_the_state_it_had(
    client: FlaskClient,
    staff: User,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    now = utcnow()
    add_signatures(campaign.id, 1, email_domain="bots.example")
    add_signatures(campaign.id, 1, email_domain="bots.example", status=SignatureStatus.PENDING)
    add_signatures(
        campaign.id,
        1,
        email_domain="bots.example",
        status=SignatureStatus.HELD,
        is_over_limit=True,
        confirmed_at=now,
    )
    invalidation = _invalidate(campaign, drain, email_domain="bots.example")

    client.post(
        f"/en/dashboard/invalidations/{invalidation.id}/undo",
        data={"csrf_token": csrf_token(client, _moderation(campaign))},
    )
    drain()

    assert list(db.session.scalars(select(Signature.status).order_by(Signature.id))) == [
        SignatureStatus.CONFIRMED,
        SignatureStatus.PENDING,
        SignatureStatus.HELD,
    ]
    assert _count(client, campaign) == 1


def test_only_the_latest_invalidation_can_be_undone(
    client: FlaskClient,
    staff: User,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    add_signatures(campaign.id, 2, email_domain="bots.example")
    add_signatures(campaign.id, 2, country="RU")
    first = _invalidate(campaign, drain, email_domain="bots.example")
    _invalidate(campaign, drain, country="RU")

    response = client.post(
        f"/en/dashboard/invalidations/{first.id}/undo",
        data={"csrf_token": csrf_token(client, _moderation(campaign))},
    )

    assert response.status_code == 409
    assert _count(client, campaign) == 0


def test_an_undo_asked_twice_gives_back_once(
    client: FlaskClient,
    staff: User,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    add_signatures(campaign.id, 3, email_domain="bots.example")
    invalidation = _invalidate(campaign, drain, email_domain="bots.example")
    url = f"/en/dashboard/invalidations/{invalidation.id}/undo"
    token = csrf_token(client, _moderation(campaign))

    assert client.post(url, data={"csrf_token": token}).status_code == 303
    assert client.post(url, data={"csrf_token": token}).status_code == 409
    drain()

    assert _count(client, campaign) == 3
    assert db.session.scalar(select(AuditEntry).filter_by(action="invalidation.undone")).affected == 3  # type: ignore[union-attr]


def test_an_undo_cancelled_while_queued_gives_nothing_back_and_may_be_asked_again(
    client: FlaskClient,
    staff: User,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    add_signatures(campaign.id, 3, email_domain="bots.example")
    invalidation = _invalidate(campaign, drain, email_domain="bots.example")
    base = f"/en/dashboard/invalidations/{invalidation.id}"
    token = csrf_token(client, _moderation(campaign))
    client.post(f"{base}/undo", data={"csrf_token": token})
    assert "Cancel the undo" in client.get(base).get_data(as_text=True)

    cancelled = client.post(f"{base}/undo/cancel", data={"csrf_token": token})
    drain()  # the queued job finds the undo cancelled and gives nothing back

    assert cancelled.status_code == 303 and _count(client, campaign) == 0
    assert "Cancel the undo" not in client.get(base).get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry).filter_by(action="invalidation.undo_cancelled")) is not None
    assert client.post(f"{base}/undo/cancel", data={"csrf_token": token}).status_code == 409
    assert client.get(f"{base}/undo/cancel").status_code == 405
    assert f"{base}/undo" in client.get(_moderation(campaign)).get_data(as_text=True)  # undoable again

    assert client.post(f"{base}/undo", data={"csrf_token": token}).status_code == 303
    drain()
    assert _count(client, campaign) == 3
    # once it ran, there is nothing left to cancel
    assert client.post(f"{base}/undo/cancel", data={"csrf_token": token}).status_code == 409


def test_one_signature_is_found_by_its_normalised_address_and_invalidated_then_restored(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 2)
    target = db.session.scalars(select(Signature.id)).first()
    db.session.execute(
        update(Signature).where(Signature.id == target).values(email_hash=email_hash("anna@example.org"))
    )
    db.session.commit()
    counts.reconcile(campaign.id)
    page = _moderation(campaign)

    found = client.post(
        f"{page}/find", data={"csrf_token": csrf_token(client, page), "email": "Anna+petition@Example.org"}
    ).get_data(as_text=True)
    assert f"/en/dashboard/signatures/{target}/invalidate" in found

    client.post(
        f"/en/dashboard/signatures/{target}/invalidate", data={"csrf_token": csrf_token(client, page)}
    )
    assert _count(client, campaign) == 1
    client.post(f"/en/dashboard/signatures/{target}/restore", data={"csrf_token": csrf_token(client, page)})
    assert _count(client, campaign) == 2


def test_one_signature_is_erased(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 1)
    target = db.session.scalar(select(Signature.id))

    client.post(
        f"/en/dashboard/signatures/{target}/erase",
        data={"csrf_token": csrf_token(client, _moderation(campaign))},
    )

    assert db.session.get(Signature, target) is None
    assert _count(client, campaign) == 0
    assert "signature.erased" in db.session.scalars(select(AuditEntry.action)).all()


def test_an_unknown_address_finds_nothing_and_says_so(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    page = _moderation(campaign)

    html = client.post(
        f"{page}/find", data={"csrf_token": csrf_token(client, page), "email": "nobody@example.org"}
    ).get_data(as_text=True)

    assert "No signature of this campaign has this address." in html


def test_staff_hide_one_name_from_the_public_list_and_the_signature_still_counts(
    app, client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 1, name="Kept Signer", is_name_public=True)
    add_signatures(campaign.id, 1, name="Unwanted Name", is_name_public=True)
    target = db.session.scalar(select(Signature.id).where(Signature.name == "Unwanted Name"))
    counts.reconcile(campaign.id)
    page = _moderation(campaign)
    assert f"/en/dashboard/signatures/{target}/hide" in client.get(page).get_data(as_text=True)
    app.extensions["page_cache"].seconds = 30  # the render cache on: the hidden name must not linger in it
    assert "Unwanted Name" in app.test_client().get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    hidden = client.post(
        f"/en/dashboard/signatures/{target}/hide", data={"csrf_token": csrf_token(client, page)}
    )

    public = app.test_client().get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
    assert hidden.status_code == 303
    assert "Kept Signer" in public and "Unwanted Name" not in public
    assert _count(client, campaign) == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "signature.name_hidden"))
    assert entry is not None and entry.user_id == staff.id
    assert "no longer shown" in client.get(hidden.headers["Location"]).get_data(as_text=True)


def test_hiding_a_name_needs_the_session_csrf_token(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 1, name="Unwanted Name", is_name_public=True)
    target = db.session.scalar(select(Signature.id))

    response = client.post(f"/en/dashboard/signatures/{target}/hide")

    assert response.status_code == 400
    assert db.session.scalar(select(Signature.is_name_public)) is True
