"""What production refuses to start without: every problem is listed at once, in one error.

A site that starts on SQLite, the embedded Redis, the development mailbox or a loopback
``BASE_URL`` seems to work until the first surge or the first email link; refusing to start
is cheaper than finding out then. The web app and the worker both run these checks, since
both are built by ``create_app``.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import redis

logger = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class ProductionConfigError(RuntimeError):
    """Raised by ``create_app`` when ``CAMPAIGN_ENV=production`` and the settings are unfit."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"CAMPAIGN_ENV=production refuses to start:\n{listed}")


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _base_url_problems(base_url: str) -> list[str]:
    parts = urlsplit(base_url)
    problems = []
    if parts.scheme != "https":
        problems.append(f"BASE_URL must start with https:// (it is {base_url!r})")
    if not parts.hostname or _is_loopback(parts.hostname):
        problems.append(f"BASE_URL must name the public host, not a loopback one (it is {base_url!r})")
    return problems


def eviction_problems(redis_url: str) -> tuple[list[str], list[str]]:
    """Ask Redis for its ``maxmemory-policy``: (problems, warnings).

    Only ``CONFIG GET`` is sent, never ``CONFIG SET``. Managed Redis services often refuse
    CONFIG altogether: that is a warning (the operator must check it by other means), as is a
    Redis unreachable at start, which the worker survives anyway.
    """
    client = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
    try:
        policy = client.config_get("maxmemory-policy").get("maxmemory-policy")
    except redis.exceptions.ResponseError as exc:
        return [], [f"Redis refused CONFIG GET maxmemory-policy ({exc}): make sure it is noeviction"]
    except redis.exceptions.RedisError as exc:
        return [], [
            f"Redis could not be asked its maxmemory-policy ({type(exc).__name__}): "
            "make sure it is noeviction"
        ]
    finally:
        client.close()
    if policy != "noeviction":
        return [
            f"Redis must run with maxmemory-policy noeviction (it has {policy!r}): "
            "evicted keys lose queued jobs"
        ], []
    return [], []


def problems(config: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Every reason ``config`` is unfit for production, and the warnings: (problems, warnings)."""
    found = [f"{name} must be set" for name in ("SECRET_KEY", "IDENTITY_KEY") if not config.get(name)]
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite") and not config.get("ALLOW_SQLITE"):
        found.append("DATABASE_URL must name PostgreSQL (SQLite only with ALLOW_SQLITE=true)")
    if not config.get("MAIL_SERVER"):
        found.append("MAIL_SERVER must be set (the development mailbox is off in production)")
    found.extend(_base_url_problems(str(config.get("BASE_URL") or "")))
    warnings: list[str] = []
    if not config.get("REDIS_URL"):
        found.append("REDIS_URL must be set (the embedded Redis is for development only)")
    else:
        redis_problems, warnings = eviction_problems(str(config["REDIS_URL"]))
        found.extend(redis_problems)
    return found, warnings


def check(config: Mapping[str, Any]) -> None:
    """Raise ``ProductionConfigError`` listing every problem; log the warnings."""
    found, warnings = problems(config)
    for warning in warnings:
        logger.warning("production check: %s", warning)
    if found:
        raise ProductionConfigError(found)
