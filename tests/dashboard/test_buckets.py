"""Timestamps truncated to their hour or day, in SQLite's and PostgreSQL's SQL alike."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from campaign.dashboard.buckets import as_datetime, truncate

moment = sa.column("confirmed_at", sa.DateTime)


def sql(unit: str, dialect: sa.engine.Dialect) -> str:
    return str(sa.select(truncate(unit, moment)).compile(dialect=dialect))


def test_postgresql_truncates_with_date_trunc():
    assert "date_trunc('hour', confirmed_at)" in sql("hour", postgresql.dialect())


def test_sqlite_truncates_with_strftime():
    assert "strftime('%Y-%m-%d 00:00:00', confirmed_at)" in sql("day", sqlite.dialect())


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        truncate("week", moment)


def test_sqlites_text_and_postgresqls_timestamp_fold_into_one_datetime():
    assert (
        as_datetime("2026-12-01 21:00:00")
        == as_datetime(datetime(2026, 12, 1, 21))
        == datetime(2026, 12, 1, 21)
    )


def test_sqlite_buckets_read_back_as_the_hour_they_start():
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        bucket = connection.scalar(sa.select(truncate("hour", sa.literal(datetime(2026, 12, 1, 21, 47, 5)))))

    assert as_datetime(bucket) == datetime(2026, 12, 1, 21)
