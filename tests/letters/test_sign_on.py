"""Signing on to the frozen text, and confirming again after the coordinator changes it."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import Letter, SignOn
from tests.letters.conftest import post, reload


def open_letter(world, as_user) -> None:
    assert post(as_user("coord_owner"), f"/en/letters/{world.letter.slug}/open").status_code == 303


def sign(http, slug: str, name: str = "Nargis Zokirova", title: str = "Director"):
    """Sign as the form does: with the digest of the texts the page showed."""
    digest = services.frozen_digest(db.session.scalar(select(Letter).where(Letter.slug == slug)))
    return post(
        http, f"/en/letters/{slug}/sign", representative=name, representative_title=title, digest=digest
    )


def test_a_signer_signs_on_and_the_sign_on_records_the_frozen_hashes(world, as_user):
    open_letter(world, as_user)

    response = sign(as_user("partner_signer"), world.letter.slug)

    assert response.status_code == 303
    letter = reload(world.letter)
    sign_on = db.session.scalar(select(SignOn))
    assert sign_on.hashes == letter.frozen_hashes()
    assert [s.byline("en") for s in letter.signatories()] == [
        "Partner Org, Moscow (Nargis Zokirova, Director)"
    ]


def test_signing_a_letter_still_being_drafted_is_refused(world, as_user):
    response = sign(as_user("partner_signer"), world.letter.slug)
    assert response.status_code == 409
    assert "does not allow this now" in response.get_data(as_text=True)


def test_a_changed_text_mails_signers_lists_them_as_pending_until_they_confirm_again(
    world, as_user, drain, smtp_server
):
    slug = world.letter.slug
    open_letter(world, as_user)
    sign(as_user("partner_signer"), slug)
    drain()
    smtp_server.messages.clear()

    coordinator = as_user("coord_editor")
    assert (
        post(
            coordinator, f"/en/letters/{slug}/text/en", title="Free the defenders", body="New text."
        ).status_code
        == 303
    )
    assert reload(world.letter).signatories(), "saving a draft alone changes nothing for signers"
    post(coordinator, f"/en/letters/{slug}/text/ru", title="Свободу правозащитникам", body="Новый текст.")
    assert post(coordinator, f"/en/letters/{slug}/open").status_code == 303

    letter = reload(world.letter)
    assert letter.signatories() == []
    assert [s.organisation.slug for s in letter.pending_sign_ons()] == ["partner-org"]
    public = as_user("anonymous").get(f"/en/letters/{slug}").get_data(as_text=True)
    assert "Nargis Zokirova" not in public
    workspace = coordinator.get(f"/en/letters/{slug}/work").get_data(as_text=True)
    assert "Pending: asked to confirm the revised text" in workspace

    drain()
    [mail] = smtp_server.to("partner-signer@example.org")
    assert "confirm" in mail.message["Subject"].lower()
    assert f"/en/letters/{slug}/sign" in mail.text()
    assert smtp_server.to("partner-editor@example.org") == [], "only signers and owners are asked"

    post(coordinator, f"/en/letters/{slug}/open")
    drain()
    assert len(smtp_server.to("partner-signer@example.org")) == 1, "freezing the same text again mails no one"

    assert sign(as_user("partner_signer"), slug).status_code == 303
    letter = reload(world.letter)
    assert [s.organisation.slug for s in letter.signatories()] == ["partner-org"]
    assert "Nargis Zokirova" in as_user("anonymous").get(f"/en/letters/{slug}").get_data(as_text=True)


def test_an_organisation_withdraws_its_signature(world, as_user):
    open_letter(world, as_user)
    sign(as_user("partner_signer"), world.letter.slug)
    assert post(as_user("partner_signer"), f"/en/letters/{world.letter.slug}/withdraw").status_code == 303
    assert reload(world.letter).sign_ons == []


def test_a_partner_is_notified_in_their_own_interface_language(world, as_user, drain, smtp_server):
    slug = world.letter.slug
    open_letter(world, as_user)
    sign(as_user("partner_signer"), slug)
    partner = db.session.get(type(world.users["partner_signer"]), world.users["partner_signer"].id)
    partner.lang = "ru"  # as if they had last logged in on the Russian pages
    db.session.commit()
    coordinator = as_user("coord_editor")
    post(coordinator, f"/en/letters/{slug}/text/en", title="Free the defenders", body="New text.")
    post(coordinator, f"/en/letters/{slug}/text/ru", title="Свободу правозащитникам", body="Новый текст.")
    post(coordinator, f"/en/letters/{slug}/open")
    drain()

    [mail] = smtp_server.to("partner-signer@example.org")
    assert "/ru/letters/" in mail.text()
