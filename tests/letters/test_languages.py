"""The languages of a letter stay in step with its source text."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import LetterVersion
from tests.letters.conftest import post, reload


def edit_english(world, as_user, body: str = "We call on the President to **release** them now."):
    url = f"/en/letters/{world.letter.slug}/text/en"
    assert post(as_user("coord_owner"), url, title="Free the defenders", body=body).status_code == 303


def test_a_translation_records_the_source_version_it_translates(world):
    english = services.latest_versions(world.letter)["en"]
    russian = services.latest_versions(world.letter)["ru"]
    assert russian.source_version_id == english.id


def test_a_change_to_the_source_marks_the_other_languages_out_of_date_with_the_diff(world, as_user):
    edit_english(world, as_user)

    page = as_user("coord_owner").get(f"/en/letters/{world.letter.slug}/work").get_data(as_text=True)
    assert "out of date since version 2" in page
    edit = as_user("partner_editor").get(f"/en/letters/{world.letter.slug}/text/ru").get_data(as_text=True)
    assert "<ins>them now</ins>" in edit and "<del>to release the defenders</del>" in edit


def test_a_language_left_out_of_date_refuses_opening_for_sign_on(world, as_user):
    edit_english(world, as_user)

    response = post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open")

    assert response.status_code == 409
    assert "out of date" in response.get_data(as_text=True)
    assert reload(world.letter).status == "drafting"


def test_bringing_the_translation_up_to_date_allows_opening(world, as_user):
    edit_english(world, as_user)
    post(
        as_user("partner_editor"),
        f"/en/letters/{world.letter.slug}/text/ru",
        title="Свобода",
        body="Новый текст.",
    )

    assert post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open").status_code == 303
    assert set(reload(world.letter).frozen) == {"en", "ru"}


def test_a_translation_saved_from_the_older_source_stays_out_of_date(world, as_user):
    letter = world.letter
    old_source = services.latest_versions(letter)["en"]
    edit_english(world, as_user)

    post(
        as_user("partner_editor"),
        f"/en/letters/{letter.slug}/text/ru",
        title="Свобода",
        body="Перевод старого текста.",
        source_version_id=old_source.id,
    )

    assert post(as_user("coord_owner"), f"/en/letters/{letter.slug}/open").status_code == 409


def test_the_coordinator_drops_an_out_of_date_language_and_opens_without_it(world, as_user):
    edit_english(world, as_user)

    assert post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/text/ru/drop").status_code == 303
    assert post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open").status_code == 303
    assert set(reload(world.letter).frozen) == {"en"}


def test_signing_on_shows_every_frozen_languages_hash_and_binds_them(world, as_user):
    post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open")
    letter = reload(world.letter)

    page = as_user("partner_signer").get(f"/en/letters/{letter.slug}/sign").get_data(as_text=True)

    for digest in letter.frozen_hashes().values():
        assert digest in page


def test_a_sign_on_form_shown_before_the_text_was_frozen_anew_is_refused(world, as_user):
    post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open")
    stale = services.frozen_digest(reload(world.letter))
    edit_english(world, as_user)
    post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/text/ru/drop")
    post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open")

    response = post(
        as_user("partner_signer"), f"/en/letters/{world.letter.slug}/sign", representative="R", digest=stale
    )

    assert response.status_code == 409
    assert reload(world.letter).sign_ons == []


def test_reconfirmation_shows_what_changed_in_each_language(world, as_user):
    letter = world.letter
    post(as_user("coord_owner"), f"/en/letters/{letter.slug}/open")
    digest = services.frozen_digest(reload(letter))
    post(as_user("partner_signer"), f"/en/letters/{letter.slug}/sign", representative="R", digest=digest)
    edit_english(world, as_user)
    post(
        as_user("coord_owner"),
        f"/en/letters/{letter.slug}/text/ru",
        title="Свободу правозащитникам",
        body="Мы **требуем**.",
    )
    post(as_user("coord_owner"), f"/en/letters/{letter.slug}/open")

    page = as_user("partner_signer").get(f"/en/letters/{letter.slug}/sign").get_data(as_text=True)

    assert "What changed in en" in page and "What changed in ru" in page
    assert "<ins>them now</ins>" in page
    assert db.session.scalars(select(LetterVersion)).all()
