"""Fixtures: the real database, the real Redis and a real SMTP server.

``DATABASE_URL`` and ``REDIS_URL`` pick PostgreSQL and a shared Redis (as ``.ci/run`` does);
without them the suite uses a SQLite file and the embedded Redis, both in a temporary folder.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from campaign import create_app
from campaign.campaigns.models import Campaign, CampaignTranslation, Defender, DefenderTranslation
from campaign.extensions import db, queues
from campaign.jobs import make_worker
from tests.smtp import SMTPServer

SECRET_KEY = "test-" + secrets.token_hex(16)


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_config(instance_path: Path, smtp_server: SMTPServer) -> dict[str, Any]:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_TIMEOUT": 5,
        "DEV_MAILBOX": False,
        "BASE_URL": "https://campaign.example.org",
        "WTF_CSRF_ENABLED": True,
    }


def _database_url(instance_path: Path) -> str:
    from campaign.config import database_url

    return database_url(os.environ.get("DATABASE_URL"), instance_path)


@pytest.fixture(scope="session")
def _schema(base_config: dict[str, Any]) -> None:
    """Build the schema once, through the migrations, as production does."""
    app = create_app(base_config)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


@pytest.fixture
def app(base_config: dict[str, Any], _schema: None, smtp_server: SMTPServer) -> Iterator[Flask]:
    app = create_app(base_config)
    with app.app_context():
        queues.connection.flushdb()
        yield app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        queues.connection.flushdb()
    smtp_server.messages.clear()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def drain(app: Flask) -> Callable[[], None]:
    """Run every queued job in this process, through the production worker class.

    The worker gets an app context (and so a database session) of its own, as in production;
    the test's session then forgets what it had loaded, since the jobs changed it.
    """

    def run() -> None:
        with app.app_context():
            make_worker(app).work(burst=True)
        db.session.expire_all()

    return run


@pytest.fixture
def create_campaign(app: Flask) -> Callable[..., Campaign]:
    def create(slug: str = "free-roza", langs: tuple[str, ...] = ("en", "ru"), **fields: Any) -> Campaign:
        defender = Defender(slug=f"{slug}-defender", country="KZ", status="sentenced", default_lang=langs[0])
        for lang in langs:
            defender.translations[lang] = DefenderTranslation(
                lang=lang, name=f"Roza T ({lang})", occupation="activist", charges="", sentence="5 years"
            )
        campaign = Campaign(
            slug=slug, defender=defender, status=fields.pop("status", "live"), default_lang=langs[0], **fields
        )
        for lang in langs:
            campaign.translations[lang] = CampaignTranslation(
                lang=lang,
                title=f"Title {lang}",
                summary="",
                body="",
                demand="Release her",
                target="The President",
            )
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return create


@pytest.fixture
def campaign(create_campaign: Callable[..., Campaign]) -> Campaign:
    return create_campaign()


def csrf_token(client: FlaskClient, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def sign(client: FlaskClient) -> Callable[..., Any]:
    """Post the signing form as a browser would, CSRF token included."""

    def post(slug: str, lang: str = "en", ip: str = "198.51.100.7", **fields: Any) -> Any:
        url = f"/{lang}/campaigns/{slug}"
        data = {"name": "Aigerim Test", "email": "aigerim@example.org", "country": "KZ"} | fields
        data["csrf_token"] = csrf_token(client, url)
        return client.post(url, data=data, environ_base={"REMOTE_ADDR": ip})

    return post
