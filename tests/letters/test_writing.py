"""Writing a letter together: creating, versions, diffs, comments with mentions, invitations."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.letters.models import Letter, LetterComment, LetterParticipant, LetterStatus, LetterVersion
from tests.conftest import csrf_token
from tests.letters.conftest import post, reload


def test_an_owner_creates_a_letter_with_its_first_version(world, as_user):
    http = as_user("coord_owner")
    url = "/en/letters/new"
    response = http.post(
        url,
        data={
            "csrf_token": csrf_token(http, url),
            "organisation": world.organisations["coord"].id,
            "slug": "appeal-to-kz",
            "default_lang": "en",
            "title": "Appeal",
            "body": "Release them.",
        },
    )

    assert response.status_code == 303
    letter = db.session.scalar(select(Letter).where(Letter.slug == "appeal-to-kz"))
    assert letter.status == "drafting"
    [version] = db.session.scalars(select(LetterVersion).where(LetterVersion.letter_id == letter.id)).all()
    assert (version.title, version.author.email) == ("Appeal", "coord-owner@example.org")
    assert len(version.content_hash) == 64


def test_a_taken_short_name_is_refused_with_a_message(world, as_user):
    http = as_user("coord_owner")
    url = "/en/letters/new"
    response = http.post(
        url,
        data={
            "csrf_token": csrf_token(http, url),
            "organisation": world.organisations["coord"].id,
            "slug": "test-letter",
            "default_lang": "en",
            "title": "Appeal",
            "body": "Release them.",
        },
    )
    assert response.status_code == 409
    assert "This short name is taken" in response.get_data(as_text=True)


def test_a_partner_editor_proposes_a_change_as_a_new_version_and_the_diff_shows_it(world, as_user):
    http = as_user("partner_editor")
    letter = world.letter
    response = post(
        http,
        f"/en/letters/{letter.slug}/text/en",
        title="Free the defenders",
        body="We call on the **President** to free the <b>defenders</b>.\n\nAn answer is requested.",
    )
    assert response.status_code == 303
    versions = db.session.scalars(
        select(LetterVersion).where(LetterVersion.letter_id == letter.id, LetterVersion.lang == "en")
    ).all()
    assert [v.author_organisation.slug for v in versions] == ["coord-org", "partner-org"]

    diff = as_user("coord_editor").get(
        f"/en/letters/{letter.slug}/diff?from={versions[0].id}&to={versions[1].id}"
    )
    html = diff.get_data(as_text=True)
    assert diff.status_code == 200
    # the rewritten line: its kept words plain, only the words changed marked, the HTML escaped
    [changed] = re.findall(r'<p class="diff-line diff-changed">(.*?)</p>', html)
    mark = '<span class="diff-mark" aria-hidden="true">~</span>'
    assert changed.startswith(f"{mark}We call on the **President** to <span")
    assert re.findall(r"<(ins|del)>(.*?)</\1>", changed) == [
        ("del", "release"),
        ("ins", "free"),
        ("ins", "&lt;b&gt;"),
        ("ins", "&lt;/b&gt;"),
    ]
    assert "<b>" not in html
    # a line replaced by another, whole
    assert "<del>Signed below.</del>" in html and "<ins>An answer is requested.</ins>" in html
    assert "removed: </span><del>Signed below.</del>" in html


def test_the_coordinator_makes_an_older_version_current_again(world, as_user):
    letter = world.letter
    first = db.session.scalar(select(LetterVersion).where(LetterVersion.letter_id == letter.id))
    post(
        as_user("partner_editor"), f"/en/letters/{letter.slug}/text/en", title="Changed", body="Changed body."
    )

    response = post(as_user("coord_editor"), f"/en/letters/{letter.slug}/versions/{first.id}/restore")

    assert response.status_code == 303
    latest = db.session.scalars(
        select(LetterVersion)
        .where(LetterVersion.letter_id == letter.id, LetterVersion.lang == "en")
        .order_by(LetterVersion.id.desc())
    ).first()
    assert latest.content_hash == first.content_hash and latest.id != first.id


def test_comments_thread_and_a_mention_mails_the_mentioned_organisations_members(
    world, as_user, drain, smtp_server
):
    letter = world.letter
    version = db.session.scalar(select(LetterVersion).where(LetterVersion.letter_id == letter.id))
    url = f"/en/letters/{letter.slug}/versions/{version.id}/comments"
    post(
        as_user("coord_owner"), url, body="Could @partner-org check the second paragraph? Not @outsider-org."
    )
    first = db.session.scalar(select(LetterComment))
    post(as_user("partner_signer"), url, body="Looks good.", parent_id=str(first.id))

    page = (
        as_user("partner_editor")
        .get(f"/en/letters/{letter.slug}/versions/{version.id}")
        .get_data(as_text=True)
    )
    assert 'class="comment depth-0"' in page and 'class="comment depth-1"' in page
    reply = db.session.scalar(select(LetterComment).where(LetterComment.parent_id == first.id))
    assert reply.author_organisation.slug == "partner-org"

    drain()
    assert {m.rcpt_tos[0] for m in smtp_server.messages} == {
        "partner-editor@example.org",
        "partner-signer@example.org",
    }
    assert "check the second paragraph" in smtp_server.to("partner-editor@example.org")[0].text()


def test_an_invited_organisation_joins_and_then_sees_the_workspace(world, as_user, drain, smtp_server):
    letter = world.letter
    invited = as_user("outsider")
    assert invited.get(f"/en/letters/{letter.slug}/work").status_code == 404

    response = post(
        as_user("coord_owner"), f"/en/letters/{letter.slug}/participants", organisation="outsider-org"
    )
    assert response.status_code == 303
    drain()
    [mail] = smtp_server.to("outsider@example.org")
    assert f"/en/letters/{letter.slug}/invitation" in mail.text()
    assert invited.get(f"/en/letters/{letter.slug}/work").status_code == 404

    assert post(invited, f"/en/letters/{letter.slug}/invitation").status_code == 303
    participant = db.session.scalar(
        select(LetterParticipant).where(
            LetterParticipant.organisation_id == world.organisations["outsider"].id
        )
    )
    assert participant.accepted_at is not None
    assert invited.get(f"/en/letters/{letter.slug}/work").status_code == 200


def test_inviting_an_unknown_organisation_says_so(world, as_user):
    response = post(
        as_user("coord_owner"), f"/en/letters/{world.letter.slug}/participants", organisation="nobody"
    )
    assert response.status_code == 422
    assert "There is no organisation with this short name." in response.get_data(as_text=True)


def test_my_letters_lists_only_my_organisations_letters(world, as_user):
    assert "test-letter" in as_user("partner_signer").get("/en/letters/mine").get_data(as_text=True)
    assert "test-letter" not in as_user("outsider").get("/en/letters/mine").get_data(as_text=True)
    assert "test-letter" in as_user("staff").get("/en/letters/mine").get_data(as_text=True)


def test_opening_freezes_one_version_per_language_and_shows_its_hash(world, as_user):
    response = post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open")
    assert response.status_code == 303
    letter = reload(world.letter)
    assert letter.status == "open" and set(letter.frozen) == {"en", "ru"}
    page = as_user("partner_signer").get(f"/en/letters/{letter.slug}/work").get_data(as_text=True)
    assert letter.frozen_hashes()["en"] in page


def test_the_service_refuses_a_version_from_a_member_who_may_not_write(world):
    """The rule lives in the service, so a CLI or a job calling it is held to it as a view is."""
    from campaign.letters import services

    with pytest.raises(services.LetterError):
        services.save_version(
            world.letter, "en", "T", "B", world.users["partner_signer"], world.organisations["partner"]
        )
    with pytest.raises(services.LetterError):
        services.save_version(
            world.letter, "en", "T", "B", world.users["outsider"], world.organisations["outsider"]
        )


def test_the_service_lets_only_the_coordinator_write_once_the_letter_is_open(world):
    from campaign.letters import services

    world.letter.status = LetterStatus.OPEN
    with pytest.raises(services.LetterError):
        services.save_version(
            world.letter, "en", "T", "B", world.users["partner_editor"], world.organisations["partner"]
        )
    version = services.save_version(
        world.letter, "en", "T", "B", world.users["coord_editor"], world.organisations["coord"]
    )
    assert version.author_id == world.users["coord_editor"].id
