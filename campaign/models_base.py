"""Small pieces shared by every domain's models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from campaign.extensions import db


def utcnow() -> datetime:
    """Naive UTC: SQLite drops time zones, so every stored time is naive UTC everywhere."""
    return datetime.now(UTC).replace(tzinfo=None)


def insert_ignoring_conflicts(table: Any, *unique_columns: str) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` for the database in use (PostgreSQL or SQLite).

    Hot paths give it a Table, not a model, and their values as execution parameters: the
    ORM's bulk path and ``.values()`` would coerce every value and compile again each time.
    """
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=list(unique_columns))
