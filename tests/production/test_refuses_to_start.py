"""CAMPAIGN_ENV=production refuses to start on unfit settings, listing every problem at once.

Settings come from the environment, as an operator gives them; each test starts from settings
fit for production and breaks one thing. Redis servers are the tests' own, on free ports.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from campaign import create_app
from campaign.production import ProductionConfigError
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]


def _redis(folder: Path, *args: str) -> Iterator[RedisServer]:
    server = RedisServer(folder, *args)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis as production needs it: redis-server's default policy is noeviction."""
    yield from _redis(tmp_path)


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch, redis_server: RedisServer) -> dict[str, str]:
    env = {
        "CAMPAIGN_ENV": "production",
        "SECRET_KEY": "s" * 64,
        "IDENTITY_KEY": "i" * 64,
        "DATABASE_URL": "postgresql://campaign@db.internal:5432/campaign",
        "REDIS_URL": redis_server.url,
        "MAIL_SERVER": "smtp.example.org",
        "BASE_URL": "https://campaign.example.org",
    }
    monkeypatch.delenv("ALLOW_SQLITE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _problems(tmp_path: Path) -> list[str]:
    with pytest.raises(ProductionConfigError) as raised:
        create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    return raised.value.problems


def test_production_starts_with_fit_settings(production_env, tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})

    assert app.config["REDIS_URL"] == production_env["REDIS_URL"]


def test_production_lists_every_problem_at_once(production_env, tmp_path, monkeypatch):
    for name in ("SECRET_KEY", "IDENTITY_KEY", "DATABASE_URL", "REDIS_URL", "MAIL_SERVER"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("BASE_URL", "http://127.0.0.1:5000")

    problems = _problems(tmp_path)

    assert [problem.split()[0] for problem in problems] == [
        "SECRET_KEY",
        "IDENTITY_KEY",
        "DATABASE_URL",
        "MAIL_SERVER",
        "BASE_URL",
        "BASE_URL",
        "REDIS_URL",
    ]
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.parametrize("name", ["SECRET_KEY", "IDENTITY_KEY"])
def test_production_refuses_to_start_without_a_key(production_env, tmp_path, monkeypatch, name):
    monkeypatch.delenv(name)

    assert _problems(tmp_path) == [f"{name} must be set"]


def test_production_refuses_sqlite(production_env, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL")

    assert _problems(tmp_path) == ["DATABASE_URL must name PostgreSQL (SQLite only with ALLOW_SQLITE=true)"]


def test_production_accepts_sqlite_when_allowed(production_env, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("ALLOW_SQLITE", "true")

    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})

    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_production_refuses_the_embedded_redis(production_env, tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL")

    assert _problems(tmp_path) == ["REDIS_URL must be set (the embedded Redis is for development only)"]
    assert not (tmp_path / "instance" / "redis.sock").exists()


def test_production_refuses_to_start_without_a_mail_server(production_env, tmp_path, monkeypatch):
    monkeypatch.delenv("MAIL_SERVER")

    assert _problems(tmp_path) == ["MAIL_SERVER must be set (the development mailbox is off in production)"]


@pytest.mark.parametrize(
    "base_url",
    [
        "https://localhost",
        "https://127.0.0.1:8000",
        "https://[::1]",
        "https://0.0.0.0",
        "https://app.localhost",
    ],
)
def test_production_refuses_a_loopback_base_url(production_env, tmp_path, monkeypatch, base_url):
    monkeypatch.setenv("BASE_URL", base_url)

    assert _problems(tmp_path) == [
        f"BASE_URL must name the public host, not a loopback one (it is {base_url!r})"
    ]


def test_production_refuses_a_base_url_without_https(production_env, tmp_path, monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://campaign.example.org")

    assert _problems(tmp_path) == ["BASE_URL must start with https:// (it is 'http://campaign.example.org')"]


def test_production_refuses_a_redis_that_evicts_keys(production_env, tmp_path, monkeypatch):
    folder = tmp_path / "evicting"
    folder.mkdir()
    for server in _redis(folder, "--maxmemory-policy", "allkeys-lru"):
        monkeypatch.setenv("REDIS_URL", server.url)

        problems = _problems(tmp_path)

    assert len(problems) == 1
    assert problems[0].startswith("Redis must run with maxmemory-policy noeviction (it has 'allkeys-lru')")


def test_a_redis_refusing_config_is_a_warning_not_a_failure(production_env, tmp_path, monkeypatch, caplog):
    folder = tmp_path / "no-config"
    folder.mkdir()
    for server in _redis(folder, "--rename-command", "CONFIG", ""):
        monkeypatch.setenv("REDIS_URL", server.url)

        with caplog.at_level(logging.WARNING, logger="campaign.production"):
            create_app({"INSTANCE_PATH": str(tmp_path / "instance")})

    assert "Redis refused CONFIG GET maxmemory-policy" in caplog.text


def test_the_worker_refuses_to_start_listing_the_problems(production_env, tmp_path, monkeypatch):
    monkeypatch.delenv("MAIL_SERVER")
    monkeypatch.setenv("BASE_URL", "http://localhost")

    worker = subprocess.run(
        [sys.executable, str(ROOT / "worker.py")], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )

    assert worker.returncode == 1
    assert "Traceback" not in worker.stderr
    assert "CAMPAIGN_ENV=production refuses to start:" in worker.stderr
    assert "MAIL_SERVER must be set" in worker.stderr
    assert "BASE_URL must start with https://" in worker.stderr
