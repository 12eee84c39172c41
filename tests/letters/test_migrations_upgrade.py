"""The letters migrations upgrade an existing database in place (the demo's rows included)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from campaign import create_app
from campaign.extensions import db


def test_existing_letters_get_source_versions_signatory_lines_and_the_demo_its_languages(
    base_config, tmp_path: Path
):
    app = create_app({**base_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(revision="0007_outbox_indexes")
        with db.engine.begin() as connection:
            run = lambda sql, **values: connection.execute(sa.text(sql), values)  # noqa: E731
            run(
                "INSERT INTO organisation (id, slug, names, city, country, website, description,"
                " default_lang, created_at) VALUES (1, 'adc-memorial', :names, 'St. Petersburg', 'RU', '',"
                " '{}', 'en', '2026-01-01')",
                names=json.dumps({"en": "ADC Memorial", "ru": "АДЦ «Мемориал»"}),
            )
            run(
                "INSERT INTO letter (id, slug, coordinator_id, status, default_lang, frozen, created_at)"
                " VALUES (1, 'appeal', 1, 'open', 'en', :frozen, '2026-01-01')",
                frozen=json.dumps({"en": 1, "ru": 2}),
            )
            for version_id, lang in ((1, "en"), (2, "ru")):
                run(
                    "INSERT INTO letter_version (id, letter_id, lang, title, body, created_at, content_hash)"
                    " VALUES (:id, 1, :lang, 'T', 'B', '2026-01-01', 'h')",
                    id=version_id,
                    lang=lang,
                )
            run(
                "INSERT INTO recipient (id, letter_id, name, titles, country, email, lang) VALUES"
                " (1, 1, 'Vladimir Putin', '{}', 'RU', 'president-ru@example.org', 'en')"
            )
            run(
                "INSERT INTO sign_on (id, letter_id, organisation_id, representative, representative_title,"
                " hashes, signed_at) VALUES (1, 1, 1, 'Olga Abramenko', 'Director', '{}', '2026-01-01')"
            )

        upgrade()

        with db.engine.connect() as connection:
            one = lambda sql: connection.execute(sa.text(sql)).scalar()  # noqa: E731
            assert one("SELECT source_version_id FROM letter_version WHERE id = 2") == 1
            lines = json.loads(one("SELECT lines FROM sign_on WHERE id = 1"))
            assert lines["ru"] == {
                "organisation": "АДЦ «Мемориал»",
                "city": "Санкт-Петербург",
                "representative": "Olga Abramenko",
                "title": "Director",
            }
            assert lines["en"]["city"] == "St. Petersburg"
            assert one("SELECT lang FROM recipient WHERE id = 1") == "ru"
            assert (
                json.loads(one("SELECT salutations FROM recipient WHERE id = 1"))["ru"]
                == "Уважаемый господин Президент!"
            )
            assert one("SELECT contact_email FROM organisation WHERE id = 1") == "appeals@adc.example.org"
        db.engine.dispose()
