"""Translations remember which version of the source text they were made from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from campaign import create_app
from campaign.accounts.models import User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.source_versions import MISSING, OUTDATED, SOURCE, UP_TO_DATE, made_from, matrix
from campaign.textdiff import ADDED, CHANGED, SAME, DiffLine, Segment
from tests.conftest import csrf_token


@pytest.fixture
def tracked(campaign: Campaign) -> Campaign:
    """The fixture's campaign (English source, Russian translation), its Russian made from its English."""
    made_from(campaign.translations["ru"], campaign.translations["en"])
    db.session.commit()
    return campaign


def edit(client: FlaskClient, campaign: Campaign, **texts: str) -> Any:
    url = f"/en/dashboard/campaigns/{campaign.slug}/edit"
    fields = {
        "csrf_token": csrf_token(client, url),
        "slug": campaign.slug,
        "defender_id": str(campaign.defender_id),
        "status": campaign.status,
        "default_lang": campaign.default_lang,
        "goal": str(campaign.goal),
    }
    for lang, translation in campaign.translations.items():
        for name in translation.tracked_fields:
            fields[f"text_{lang}-{name}"] = getattr(translation, name)
    return client.post(url, data=fields | texts)


def states(campaign: Campaign) -> dict[str, str]:
    db.session.expire_all()
    fresh = db.session.get(Campaign, campaign.id)
    assert fresh is not None
    return {row.lang: row.state for row in matrix(fresh.translations, fresh.default_lang, ["en", "ru", "kk"])}


def test_a_translation_follows_its_source_until_the_source_changes(tracked: Campaign) -> None:
    assert states(tracked) == {"en": SOURCE, "ru": UP_TO_DATE, "kk": MISSING}

    tracked.translations["en"].demand = "Release her now"
    db.session.commit()

    assert states(tracked)["ru"] == OUTDATED


def test_the_matrix_shows_what_changed_in_the_source(tracked: Campaign) -> None:
    tracked.translations["en"].demand = "Release her now"
    db.session.commit()

    (ru,) = [row for row in matrix(tracked.translations, "en", ["ru"])]
    assert [(change.field, change.lines) for change in ru.changes] == [
        ("demand", [DiffLine(CHANGED, [Segment(SAME, "Release her"), Segment(ADDED, " now")])])
    ]


def test_editing_the_source_in_the_editor_leaves_its_translations_out_of_date(
    client: FlaskClient, staff: User, tracked: Campaign
) -> None:
    assert edit(client, tracked, **{"text_en-demand": "Release her at once"}).status_code == 303
    assert states(tracked)["ru"] == OUTDATED


def test_saving_a_changed_translation_brings_it_up_to_date(
    client: FlaskClient, staff: User, tracked: Campaign
) -> None:
    edit(client, tracked, **{"text_en-demand": "Release her at once"})
    db.session.expire_all()
    assert edit(client, tracked, **{"text_ru-demand": "Освободите её немедленно"}).status_code == 303
    assert states(tracked)["ru"] == UP_TO_DATE


def test_the_public_page_of_an_outdated_translation_says_so_and_links_the_original(
    client: FlaskClient, tracked: Campaign
) -> None:
    tracked.translations["en"].demand = "Release her now"
    db.session.commit()

    html = client.get(f"/ru/campaigns/{tracked.slug}").get_data(as_text=True)

    assert f'<a class="original" href="/en/campaigns/{tracked.slug}"' in html


def test_the_public_page_of_an_up_to_date_translation_has_no_such_notice(
    client: FlaskClient, tracked: Campaign
) -> None:
    html = client.get(f"/ru/campaigns/{tracked.slug}").get_data(as_text=True)

    assert 'class="original"' not in html


def test_the_dashboard_shows_each_languages_state(
    client: FlaskClient, staff: User, tracked: Campaign
) -> None:
    tracked.translations["en"].demand = "Release her now"
    db.session.commit()

    html = client.get(f"/en/dashboard/campaigns/{tracked.slug}").get_data(as_text=True)

    assert 'id="translations"' in html
    assert 'data-lang="ru" data-state="outdated"' in html
    assert 'data-lang="kk" data-state="missing"' in html
    assert "Release her<span" in html and "<ins> now</ins>" in html  # only the word added is marked


def test_the_migration_records_existing_translations_as_following_their_source(
    base_config: dict[str, Any], tmp_path: Path
) -> None:
    app: Flask = create_app(base_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(revision="0008_letters_languages")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO campaign (id, slug, status, default_lang, goal, created_at, updated_at) "
                    "VALUES (1, 'old', 'live', 'en', 10, '2026-01-01', '2026-01-01')"
                )
            )
            for lang, title in (("en", "Free her"), ("ru", "Свободу ей")):
                connection.execute(
                    sa.text(
                        "INSERT INTO campaign_translation (campaign_id, lang, title, summary, body, demand,"
                        " target) VALUES (1, :lang, :title, '', '', '', '')"
                    ),
                    {"lang": lang, "title": title},
                )
        upgrade()
        campaign = db.session.get(Campaign, 1)
        assert campaign is not None
        assert campaign.translations["ru"].source_text == campaign.translations["en"].text_fields()
        assert [row.state for row in matrix(campaign.translations, "en", ["en", "ru"])] == [
            SOURCE,
            UP_TO_DATE,
        ]
        db.session.remove()
        db.engine.dispose()


def test_the_editor_shows_the_languages_written_in_and_offers_the_others(
    client: FlaskClient, staff: User, tracked: Campaign
) -> None:
    html = client.get(f"/en/dashboard/campaigns/{tracked.slug}/edit").get_data(as_text=True)

    assert 'id="text-en"' in html and 'id="text-ru"' in html
    assert 'id="text-kk"' not in html
    assert 'href="?add=kk#text-kk"' in html


def test_staff_add_any_enabled_language_from_the_editor(
    client: FlaskClient, staff: User, tracked: Campaign
) -> None:
    html = client.get(f"/en/dashboard/campaigns/{tracked.slug}/edit?add=kk").get_data(as_text=True)
    assert 'id="text-kk"' in html

    assert edit(client, tracked, **{"text_kk-title": "Роза Төлетаеваға бостандық"}).status_code == 303
    assert states(tracked)["kk"] == UP_TO_DATE
