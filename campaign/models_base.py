"""Small pieces shared by every domain's models."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC: SQLite drops time zones, so every stored time is naive UTC everywhere."""
    return datetime.now(UTC).replace(tzinfo=None)
