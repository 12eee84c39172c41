"""Outages answered, not suffered: the database or Redis gone, pages from the cache or a 503."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from campaign import create_app
from campaign.extensions import db
from campaign.signatures.models import Signature
from tests.conftest import form_token
from tests.smtp import free_port

#: a PostgreSQL address nothing listens on: connections are refused at once, as when it is down
DEAD_DATABASE = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/gone"


@contextlib.contextmanager
def database_down_for(app) -> Iterator[None]:
    """The app's database goes away under it (its engine now reaches a server that is down)."""
    engines = db._app_engines[app]
    alive = engines[None]
    db.session.remove()
    engines[None] = sa.create_engine(DEAD_DATABASE, connect_args={"connect_timeout": 2})
    try:
        yield
    finally:
        db.session.remove()
        engines[None].dispose()
        engines[None] = alive


@pytest.fixture
def database_down(app) -> Iterator[None]:
    with database_down_for(app):
        yield


@pytest.fixture
def no_redis_app(base_config: dict[str, Any], _schema: None):
    app = create_app(base_config | {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_public_page_is_served_from_the_cache_while_the_database_is_down(client, app, campaign):
    app.extensions["page_cache"].seconds = 0.001  # expired by the time it is asked for again
    url = f"/en/campaigns/{campaign.slug}"
    page = client.get(url).get_data(as_text=True)

    with database_down_for(app):
        response = client.get(url)

    assert response.status_code == 200
    assert response.get_data(as_text=True) == page


def test_a_page_never_rendered_is_a_503_in_the_visitors_language(client, database_down):
    response = client.get("/ru/defenders")

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    html = response.get_data(as_text=True)
    assert '<html lang="ru">' in html
    assert "Повторите попытку через минуту" in html


def test_a_signature_that_cannot_be_stored_says_try_again_and_leaves_nothing(client, app, campaign):
    url = f"/en/campaigns/{campaign.slug}"
    token = form_token(client, url)

    with database_down_for(app):
        response = client.post(
            url, data={"form_token": token, "name": "Aigerim", "email": "a@example.org", "country": "KZ"}
        )

    assert response.status_code == 503
    assert "try again in a minute" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0


def test_the_api_answers_json_503_while_the_database_is_down(client, database_down):
    response = client.get("/api/v1/campaigns")

    assert response.status_code == 503
    assert response.get_json()["status"] == 503


def test_health_names_the_missing_database(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "missing": ["database"],
        "database": "OperationalError",
        "redis": "ok",
    }


def test_without_redis_pages_are_served_and_health_names_it(no_redis_app, campaign):
    client = no_redis_app.test_client()

    assert client.get(f"/en/campaigns/{campaign.slug}").status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["missing"] == ["redis"]
    assert response.get_json()["status"] == "degraded"
