"""Bad input gets a clear message and a 4xx, never a 500, and never reaches a page unescaped."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.letters.models import LetterVersion, Recipient
from tests.letters.conftest import post


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(LetterVersion))


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("Title", "", "Please write the text of the letter."),
        ("", "Body", "Please enter a title."),
        ("Title", "x" * 100_001, "The text is too long"),
        ("Title", "Hello <script>alert(1)</script>", "Please remove the script"),
        ("Title", '<img src=x onerror="alert(1)">', "Please remove the script"),
    ],
)
def test_a_bad_text_is_refused_with_a_message(world, as_user, title, body, message):
    before = versions()
    response = post(
        as_user("coord_editor"), f"/en/letters/{world.letter.slug}/text/en", title=title, body=body
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert versions() == before


def test_html_that_slipped_into_a_text_is_sanitised_when_shown(world, as_user):
    from campaign.letters import services

    version = services.save_version(
        world.letter,
        "en",
        "T",
        "[x](javascript:alert(1)) <b onclick=x>bold</b>",
        world.users["coord_owner"],
        world.organisations["coord"],
    )
    db.session.commit()
    html = (
        as_user("coord_owner")
        .get(f"/en/letters/{world.letter.slug}/versions/{version.id}")
        .get_data(as_text=True)
    )
    assert "javascript:" not in html and "onclick" not in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-address"}, "Please enter a valid email address"),
        ({"email": ""}, "Please enter an email address."),
        ({"country": "XX"}, "Please choose your country from the list."),
        ({"name": "<script>"}, "Please use letters only"),
    ],
)
def test_a_bad_recipient_is_refused_with_a_message(world, as_user, fields, message):
    data = {
        "name": "Emmanuel Macron",
        "title": "President",
        "country": "FR",
        "email": "p@example.org",
        "lang": "en",
    }
    response = post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/recipients", **(data | fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 1


def test_an_empty_and_a_huge_comment_are_refused(world, as_user):
    version = db.session.scalar(select(LetterVersion))
    url = f"/en/letters/{world.letter.slug}/versions/{version.id}/comments"
    assert post(as_user("partner_signer"), url, body="  ").status_code == 422
    huge = post(as_user("partner_signer"), url, body="x" * 5001)
    assert huge.status_code == 422
    assert "Please shorten the comment" in huge.get_data(as_text=True)


def test_a_comment_is_shown_escaped(world, as_user):
    version = db.session.scalar(select(LetterVersion))
    url = f"/en/letters/{world.letter.slug}/versions/{version.id}/comments"
    post(as_user("partner_signer"), url, body="<script>alert(1)</script>")
    html = (
        as_user("coord_owner")
        .get(f"/en/letters/{world.letter.slug}/versions/{version.id}")
        .get_data(as_text=True)
    )
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_state_change_without_a_csrf_token_is_refused(world, as_user):
    response = as_user("coord_owner").post(f"/en/letters/{world.letter.slug}/open")
    assert response.status_code == 400
    assert db.session.get(type(world.letter), world.letter.id).status == "drafting"


def test_a_state_change_by_get_is_not_allowed(world, as_user):
    assert as_user("coord_owner").get(f"/en/letters/{world.letter.slug}/open").status_code == 405


def test_an_empty_sign_on_is_refused_with_a_message(world, as_user):
    post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open")
    response = post(as_user("partner_signer"), f"/en/letters/{world.letter.slug}/sign", representative="")
    assert response.status_code == 422
    assert "Please enter the name of the person signing." in response.get_data(as_text=True)


def test_a_bad_diff_or_version_id_is_a_404(world, as_user):
    http = as_user("coord_owner")
    assert http.get(f"/en/letters/{world.letter.slug}/diff?from=abc&to=99999").status_code == 404
    assert http.get(f"/en/letters/{world.letter.slug}/versions/99999").status_code == 404
