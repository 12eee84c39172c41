"""The schema the migrations build is the one the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from campaign.extensions import db


def test_the_migrations_build_exactly_what_the_models_describe(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)

    assert differences == []
