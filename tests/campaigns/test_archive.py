"""Archiving a campaign: gone from every public list and page, taking no signatures, its
signatures kept; a restore brings it back as it was. Only staff archive, and only by POST."""

from __future__ import annotations

from typing import Any

import feedparser
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures.models import Signature
from campaign.updates import services
from tests.conftest import csrf_token
from tests.signatures.test_signing import confirm, confirmation_link, count

ARCHIVE = "/en/dashboard/campaigns/{slug}/archive"
RESTORE = "/en/dashboard/campaigns/{slug}/restore"


def archive(client: FlaskClient, slug: str) -> Any:
    url = ARCHIVE.format(slug=slug)
    return client.post(url, data={"csrf_token": csrf_token(client, url)})


def restore(client: FlaskClient, slug: str) -> Any:
    token = csrf_token(client, f"/en/dashboard/campaigns/{slug}")
    return client.post(RESTORE.format(slug=slug), data={"csrf_token": token})


def listed(client: FlaskClient, slug: str) -> dict[str, bool]:
    """Where the campaign appears, as an anonymous visitor sees it."""
    api = client.get("/api/v1/campaigns").get_json()["campaigns"]
    feed = feedparser.parse(client.get("/en/feed.atom").get_data())
    return {
        "home": f"/en/campaigns/{slug}" in client.get("/en/").get_data(as_text=True),
        "index": f"/en/campaigns/{slug}" in client.get("/en/campaigns").get_data(as_text=True),
        "api": slug in {entry["slug"] for entry in api},
        "feed": any(f"/campaigns/{slug}" in entry.link for entry in feed.entries),
    }


def publish_update(campaign: Campaign) -> None:
    update = services.create_update(campaign, "en", "Court date set", "News")
    update.published_at = utcnow()
    db.session.commit()


def audited(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_archive_page_asks_for_confirmation_and_changes_nothing(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    page = client.get(ARCHIVE.format(slug=campaign.slug))

    assert page.status_code == 200
    assert "Its signatures and counts are kept" in page.get_data(as_text=True)
    db.session.refresh(campaign)
    assert campaign.archived_at is None and audited("campaign.archived") == []
    assert client.get(f"/en/campaigns/{campaign.slug}", headers={"Cookie": ""}).status_code == 200


def test_an_archived_campaign_is_gone_from_every_public_list_and_its_page_answers_410(
    app: Flask, client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    publish_update(campaign)
    public = app.test_client()
    assert listed(public, campaign.slug) == {"home": True, "index": True, "api": True, "feed": True}

    response = archive(client, campaign.slug)

    assert response.status_code == 303
    assert listed(public, campaign.slug) == {"home": False, "index": False, "api": False, "feed": False}
    page = public.get(f"/en/campaigns/{campaign.slug}")
    assert page.status_code == 410
    assert "This campaign has been archived" in page.get_data(as_text=True)
    assert public.get(f"/ru/campaigns/{campaign.slug}").status_code == 410
    assert public.get(f"/en/embed/campaigns/{campaign.slug}").status_code == 410
    assert public.get(f"/api/v1/campaigns/{campaign.slug}").status_code == 404
    [entry] = audited("campaign.archived")
    assert entry.campaign_id == campaign.id and entry.user_id == staff.id
    # staff find it again behind the dashboard's filter, and still see its page
    assert campaign.slug not in client.get("/en/dashboard/").get_data(as_text=True)
    assert f"/dashboard/campaigns/{campaign.slug}" in client.get("/en/dashboard/?archived=1").get_data(
        as_text=True
    )
    assert "Archived: only staff" in client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)


def test_the_page_cache_forgets_an_archived_campaign_at_once(
    app: Flask, client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    app.extensions["page_cache"].seconds = 30
    public = app.test_client()
    assert public.get(f"/en/campaigns/{campaign.slug}").status_code == 200
    assert f"/en/campaigns/{campaign.slug}" in public.get("/en/").get_data(as_text=True)

    archive(client, campaign.slug)

    assert public.get(f"/en/campaigns/{campaign.slug}").status_code == 410
    assert f"/en/campaigns/{campaign.slug}" not in public.get("/en/").get_data(as_text=True)


def test_an_archived_campaign_refuses_a_signature_with_a_message_and_stores_nothing(
    app: Flask, client: FlaskClient, staff: User, campaign: Campaign, sign: Any
) -> None:
    public = app.test_client()
    url = f"/ru/campaigns/{campaign.slug}"
    token = public.get(url).get_data(as_text=True).split('name="form_token" value="', 1)[1].split('"', 1)[0]
    archive(client, campaign.slug)

    fields = {"name": "Aigerim", "email": "aigerim@example.org", "country": "KZ", "form_token": token}
    response = public.post(url, data=fields)
    embedded = public.post(f"/en/embed/campaigns/{campaign.slug}", data=fields)

    assert response.status_code == 410
    assert "Эта кампания перенесена в архив" in response.get_data(as_text=True)
    assert embedded.status_code == 410
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_a_restored_campaign_is_back_with_the_same_count(
    app: Flask, client: FlaskClient, staff: User, campaign: Campaign, sign: Any, drain: Any, smtp_server: Any
) -> None:
    public = app.test_client()
    for email in ("one@example.org", "two@example.org"):
        sign(campaign.slug, email=email, ip="198.51.100.8")
    drain()
    for email in ("one@example.org", "two@example.org"):
        [message] = smtp_server.to(email)
        confirm(public, message)
    assert count(public, campaign.slug) == 2
    archive(client, campaign.slug)

    response = restore(client, campaign.slug)

    assert response.status_code == 303
    assert count(public, campaign.slug) == 2
    assert public.get(f"/en/campaigns/{campaign.slug}").status_code == 200
    assert listed(public, campaign.slug)["index"] and listed(public, campaign.slug)["api"]
    db.session.refresh(campaign)
    assert campaign.archived_at is None and campaign.status == "live"
    [entry] = audited("campaign.restored")
    assert entry.campaign_id == campaign.id
    assert sign(campaign.slug, email="three@example.org", ip="198.51.100.9").status_code == 303


def test_partners_and_visitors_cannot_archive(
    app: Flask, client: FlaskClient, campaign: Campaign, create_user: Any, login: Any
) -> None:
    anonymous = app.test_client()
    assert anonymous.post(ARCHIVE.format(slug=campaign.slug)).status_code in (302, 400, 403)
    login(create_user("partner@example.org", org="PEN Kazakhstan"))

    assert client.get(ARCHIVE.format(slug=campaign.slug)).status_code == 404  # staff pages hide themselves
    token = csrf_token(client, "/en/account/login")
    assert client.post(ARCHIVE.format(slug=campaign.slug), data={"csrf_token": token}).status_code == 404
    assert client.post(RESTORE.format(slug=campaign.slug), data={"csrf_token": token}).status_code == 404
    db.session.refresh(campaign)
    assert campaign.archived_at is None and audited("campaign.archived") == []


def test_archiving_without_the_form_token_is_refused(
    client: FlaskClient, staff: User, campaign: Campaign
) -> None:
    assert client.post(ARCHIVE.format(slug=campaign.slug)).status_code == 400
    db.session.refresh(campaign)
    assert campaign.archived_at is None


def test_a_pending_signature_is_not_confirmed_while_archived_and_is_after_the_restore(
    app: Flask, client: FlaskClient, staff: User, campaign: Campaign, sign: Any, drain: Any, smtp_server: Any
) -> None:
    public = app.test_client()
    sign(campaign.slug, email="late@example.org", ip="198.51.100.8")
    drain()
    [message] = smtp_server.to("late@example.org")
    link = confirmation_link(message)
    token = public.get(link).get_data(as_text=True).split('name="form_token" value="', 1)[1].split('"', 1)[0]
    archive(client, campaign.slug)

    assert public.get(link).status_code == 410
    assert public.post(link, data={"form_token": token}).status_code == 410
    assert db.session.scalar(select(Signature.status)) == "pending"

    restore(client, campaign.slug)
    assert confirm(public, message).status_code == 200
    assert count(public, campaign.slug) == 1
