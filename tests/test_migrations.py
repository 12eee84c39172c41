"""The schema the migrations build is the one the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from campaign.extensions import db


def test_the_migrations_build_exactly_what_the_models_describe(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)

    assert differences == []


def test_the_migrations_form_one_straight_line_numbered_in_order(app):
    scripts = ScriptDirectory(str(Path(current_app.root_path).parent / "migrations"))
    assert len(scripts.get_heads()) == 1
    chain = list(reversed(list(scripts.walk_revisions())))
    numbers = [int(revision.revision.split("_", 1)[0]) for revision in chain]
    assert numbers == list(range(1, len(chain) + 1))
    for revision in chain:
        assert Path(revision.path).name.startswith(revision.revision)
