"""0015 upgrades the defenders already stored: texts become a record, the demo's dates their precision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from campaign import create_app


def test_existing_defenders_get_a_record_a_search_key_and_true_dates(
    base_config: dict[str, Any], tmp_path: Path
) -> None:
    app = create_app(base_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(revision="0014_recent_signers_index")
        engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as old:
            old.execute(
                sa.text(
                    "INSERT INTO defender (id, slug, country, status, default_lang, created_at, updated_at) "
                    "VALUES (1, 'roza-tuletayeva', 'KZ', 'sentenced', 'en', '2026-01-01', '2026-01-01')"
                )
            )
            old.execute(
                sa.text(
                    "INSERT INTO defender_translation"
                    " (defender_id, lang, name, occupation, charges, sentence, bio) VALUES"
                    " (1, 'en', 'Roza Tuletayeva', '', 'Unknown', '5 years', ''),"
                    " (1, 'ru', 'Роза Тулетаева', '', '', '5 лет', '')"
                )
            )
            old.execute(
                sa.text(
                    "INSERT INTO campaign"
                    " (slug, defender_id, status, default_lang, goal, created_at, updated_at) VALUES"
                    " ('free-roza', 1, 'live', 'en', 10, '2026-01-01', '2026-01-01')"
                )
            )
            old.execute(
                sa.text(
                    "INSERT INTO timeline_event (defender_id, happened_on, texts) VALUES "
                    "(1, '2011-12-01', '{\"en\": \"Zhanaozen\"}'), (1, '2014-01-01', '{\"en\": \"Letter\"}')"
                )
            )

        upgrade()

        with engine.connect() as new:
            facts = new.execute(sa.text("SELECT kind, status, texts FROM case_fact ORDER BY id")).all()
            dates = new.execute(
                sa.text("SELECT happened_on, precision FROM timeline_event ORDER BY id")
            ).all()
            key, is_public = new.execute(sa.text("SELECT search_names, is_public FROM defender")).one()
        downgrade(revision="0014_recent_signers_index")
        with engine.connect() as back:
            sentences = back.execute(
                sa.text("SELECT lang, sentence FROM defender_translation ORDER BY lang")
            ).all()
        engine.dispose()

    assert [(kind, status) for kind, status, _ in facts] == [
        ("status", "sentenced"),
        ("charge", None),
        ("sentence", None),
    ]
    assert '"ru": "5 \\u043b\\u0435\\u0442"' in facts[2][2] or "5 лет" in facts[2][2]
    assert [(str(day), precision) for day, precision in dates] == [
        ("2011-12-16", "day"),
        ("2014-01-01", "year"),
    ]
    assert key == "roza tuletayeva\nroza tuletaeva" and is_public
    assert sentences == [("en", "5 years"), ("ru", "5 лет")]
