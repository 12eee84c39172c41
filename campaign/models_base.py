"""Small pieces shared by every domain's models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db

if TYPE_CHECKING:
    # mypy cannot take an instance's attribute (db.Model) as a base class; the declarative
    # base it is made from carries the same columns and relationships
    from campaign.extensions import Base as Model
else:
    Model = db.Model


def utcnow() -> datetime:
    """Naive UTC: SQLite drops time zones, so every stored time is naive UTC everywhere."""
    return datetime.now(UTC).replace(tzinfo=None)


def insert_ignoring_conflicts(table: Any, *unique_columns: str) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` for the database in use (PostgreSQL or SQLite).

    Hot paths give it a Table, not a model, and their values as execution parameters: the
    ORM's bulk path and ``.values()`` would coerce every value and compile again each time.
    """
    if db.engine.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(unique_columns))
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(unique_columns))


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched: the session's ``execute`` is typed as returning a
    plain ``Result``, though for these statements it is always a ``CursorResult``."""
    return cast(CursorResult[Any], result).rowcount


class Archivable:
    """Campaigns, defenders and letters: archived (gone from every public list and page, its
    data kept) while ``archived_at`` is set."""

    #: when staff (or, for a letter, its coordinator) archived it; None: in use
    archived_at: Mapped[datetime | None] = mapped_column(default=None)

    @hybrid_property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @is_archived.inplace.expression
    @classmethod
    def _is_archived_expression(cls) -> ColumnElement[bool]:
        return cls.archived_at.is_not(None)


def set_archived(item: Archivable, archived: bool) -> bool:
    """Archive ``item`` (a campaign, a defender, a letter: anything with ``archived_at``) or
    restore it; whether that changed anything. Only the timestamp moves: statuses, counts and
    signatures stay as they were, so a restore brings it back exactly. Flushes nothing."""
    if archived == (item.archived_at is not None):
        return False
    item.archived_at = utcnow() if archived else None
    return True
