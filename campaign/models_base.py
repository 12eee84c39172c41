"""Small pieces shared by every domain's models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from campaign.extensions import db


def utcnow() -> datetime:
    """Naive UTC: SQLite drops time zones, so every stored time is naive UTC everywhere."""
    return datetime.now(UTC).replace(tzinfo=None)


def insert_ignoring_conflicts(model: type[Any], *unique_columns: str) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` for the database in use (PostgreSQL or SQLite)."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).on_conflict_do_nothing(index_elements=list(unique_columns))
