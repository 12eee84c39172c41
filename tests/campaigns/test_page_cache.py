"""Public pages under a viral read load: HTTP caching headers, 304s, and the render cache."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from campaign.campaigns.models import CampaignTranslation
from campaign.extensions import db
from tests.signatures.test_signing import confirm

PUBLIC_PAGES = (
    "/en/",
    "/ru/campaigns",
    "/en/campaigns/free-roza",
    "/en/embed/campaigns/free-roza",
    "/en/defenders",
    "/en/defenders/free-roza-defender",
    "/en/countries/kz",
    "/en/privacy",
)


@pytest.fixture
def cached_app(app):
    """The app with its render cache on (the suite's other tests render every page afresh)."""
    app.extensions["page_cache"].seconds = 30
    return app


def title_behind_the_caches_back(title: str) -> None:
    """Change the title outside the app's session, so no invalidation is heard of."""
    with db.engine.begin() as connection:
        connection.execute(sa.update(CampaignTranslation).values(title=title))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_an_anonymous_public_page_is_cacheable_by_anyone_and_sets_no_cookie(client, campaign, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=3, stale-while-revalidate=30"
    assert response.headers["ETag"]
    assert response.headers["Vary"] == "Cookie"  # a session cookie gets another answer, never cached


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/api/v1/campaigns/free-roza"])
def test_a_known_etag_is_answered_304_without_a_body(client, cached_app, campaign, path):
    etag = client.get(path).headers["ETag"]

    again = client.get(path, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.get_data() == b""
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_logged_in_visitor_gets_the_page_uncached(client, cached_app, campaign, create_user, login):
    client.get(f"/en/campaigns/{campaign.slug}")  # the anonymous rendering, cached
    login(create_user(role="campaigner"))

    response = client.get(f"/en/campaigns/{campaign.slug}")

    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    assert "Your account" in response.get_data(as_text=True)  # their own page, not the cached one


def test_a_public_page_is_rendered_once_until_public_content_changes(client, cached_app, campaign):
    assert "Title en" in client.get("/en/campaigns/free-roza").get_data(as_text=True)

    title_behind_the_caches_back("Silent change")
    assert "Title en" in client.get("/en/campaigns/free-roza").get_data(as_text=True)  # the cached rendering
    assert "Silent change" in client.get("/en/campaigns/free-roza?ref=x").get_data(as_text=True)

    translation = db.session.scalar(sa.select(CampaignTranslation).where(CampaignTranslation.lang == "ru"))
    translation.summary = "Edited through the app"
    db.session.commit()  # any process's commit drops every process's renderings
    assert "Silent change" in client.get("/en/campaigns/free-roza").get_data(as_text=True)


def test_a_cached_page_keeps_its_own_headers(client, cached_app, campaign):
    first = client.get("/en/embed/campaigns/free-roza")
    second = client.get("/en/embed/campaigns/free-roza")

    assert "frame-ancestors *" in second.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in second.headers
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.get_data() == first.get_data()


def test_a_confirmation_moves_the_api_at_once_and_the_page_within_its_seconds(
    client, cached_app, campaign, sign, drain, smtp_server
):
    assert "0 people have signed" in client.get("/en/campaigns/free-roza").get_data(as_text=True)
    sign(campaign.slug)
    drain()
    [mail] = smtp_server.messages

    confirm(client, mail)

    assert client.get("/api/v1/campaigns/free-roza").get_json()["signature_count"] == 1
    assert "0 people have signed" in client.get("/en/campaigns/free-roza").get_data(as_text=True)
    cached_app.extensions["page_cache"].seconds = 0.5
    time.sleep(0.6)  # waits out the cache's lifetime; no timing is measured
    assert "1 person has signed" in client.get("/en/campaigns/free-roza").get_data(as_text=True)


def test_a_page_answered_once_is_answered_again_without_flask_the_same_to_the_byte(
    client, cached_app, campaign
):
    """The second and later answers come from FastPath: no request hook runs, and what goes out
    (body, security headers, ETag, cache headers) is what the first, whole answer sent."""
    reached_flask = []
    cached_app.before_request_funcs.setdefault(None, []).insert(0, lambda: reached_flask.append(1))
    path = f"/en/campaigns/{campaign.slug}"

    first = client.get(path)
    again = client.get(path)
    head = client.head(path)
    not_modified = client.get(path, headers={"If-None-Match": first.headers["ETag"]})

    assert len(reached_flask) == 1
    assert again.get_data() == first.get_data() and head.get_data() == b""
    assert dict(again.headers) == dict(first.headers)
    assert again.headers["Content-Security-Policy"] and again.headers["X-Content-Type-Options"] == "nosniff"
    assert not_modified.status_code == 304 and not_modified.headers["ETag"] == first.headers["ETag"]
    weak = client.get(path, headers={"If-None-Match": f"W/{first.headers['ETag']}"})
    assert weak.status_code == 304  # compared weakly, as Flask's own answer does (RFC 9110)
    assert "Set-Cookie" not in again.headers


def test_fastpath_leaves_sessions_other_urls_and_changed_content_to_flask(client, cached_app, campaign):
    reached_flask = []
    cached_app.before_request_funcs.setdefault(None, []).insert(0, lambda: reached_flask.append(1))
    path = f"/en/campaigns/{campaign.slug}"
    client.get(path)
    client.get(path)

    client.get(f"{path}?ref=someone")  # another URL: rendered (then cached) on its own
    client.set_cookie("session", "x", domain="localhost")
    client.get(path)  # a session: Flask decides (and never from the cache)
    client.delete_cookie("session", domain="localhost")
    for translation in db.session.scalars(sa.select(CampaignTranslation)):
        translation.title = "Changed through the app"
    db.session.commit()  # invalidates: every process's pages go
    changed = client.get(path)

    assert len(reached_flask) == 4
    assert "Changed through the app" in changed.get_data(as_text=True)
