"""A campaign's own sender name and Reply-To on its update mails, set in the campaign editor."""

from __future__ import annotations

from email.headerregistry import Address

from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.updates import services
from tests.conftest import csrf_token


def edit_fields(client, campaign, **overrides) -> dict[str, str]:
    url = f"/en/dashboard/campaigns/{campaign.slug}/edit"
    return {
        "csrf_token": csrf_token(client, url),
        "slug": campaign.slug,
        "defender_id": str(campaign.defender_id),
        "status": "live",
        "default_lang": "en",
        "goal": "1000",
        "text_en-title": "Free Roza",
        "text_en-demand": "Release her",
    } | overrides


def edit(client, campaign, **overrides):
    url = f"/en/dashboard/campaigns/{campaign.slug}/edit"
    return client.post(url, data=edit_fields(client, campaign, **overrides))


def test_update_mails_carry_the_campaigns_sender_name_on_the_sites_address_and_its_reply_to(
    client, staff, campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "anna@example.org")
    saved = edit(client, campaign, sender_name="Команда «Свободу Розе»", reply_to="team@free-roza.example")
    assert saved.status_code == 303

    send(write_update(db.session.get(Campaign, campaign.id)))

    [mail] = smtp_server.messages
    [sender] = mail.message["From"].addresses
    assert sender == Address("Команда «Свободу Розе»", "no-reply", "campaign.example.org")
    assert mail.data.isascii() and b"=?utf-8?b?" in mail.data  # RFC 2047 encoded words on the wire
    [reply_to] = mail.message["Reply-To"].addresses
    assert reply_to.addr_spec == "team@free-roza.example"
    assert mail.mail_from == "no-reply@campaign.example.org"


def test_a_test_send_comes_from_the_campaigns_sender_too(
    client, staff, campaign, write_update, drain, smtp_server
):
    edit(client, campaign, sender_name='Roza\'s "friends"', reply_to="team@free-roza.example")
    update = write_update(db.session.get(Campaign, campaign.id))

    services.send_test(update.id, "campaigner@example.org", "en")
    db.session.commit()
    drain()

    [mail] = smtp_server.messages
    assert mail.message["From"].addresses == (
        Address('Roza\'s "friends"', "no-reply", "campaign.example.org"),
    )
    assert mail.message["Reply-To"].addresses[0].addr_spec == "team@free-roza.example"


def test_without_settings_the_sites_sender_and_no_reply_to_stay(
    app, campaign, add_signer, write_update, send, smtp_server
):
    add_signer(campaign, "anna@example.org")

    send(write_update(campaign))

    [mail] = smtp_server.messages
    operator = app.config["OPERATOR_NAME"]  # the site's sender is a bare address, named for the operator
    assert mail.message["From"].addresses == (Address(operator, "no-reply", "campaign.example.org"),)
    assert mail.message["Reply-To"] is None


def test_a_bad_reply_to_is_refused_with_a_message(client, staff, campaign):
    response = edit(client, campaign, reply_to="not an address")

    assert response.status_code == 422
    assert "Please enter a valid email address" in response.get_data(as_text=True)
    assert db.session.get(Campaign, campaign.id).reply_to is None


def test_a_sender_name_with_a_line_break_or_too_long_is_refused(client, staff, campaign):
    with_break = edit(client, campaign, sender_name="Team\r\nBcc: all@example.org")
    too_long = edit(client, campaign, sender_name="x" * 81)

    assert with_break.status_code == too_long.status_code == 422
    assert "Please remove invisible control characters." in with_break.get_data(as_text=True)
    assert "Please shorten this to 80 characters." in too_long.get_data(as_text=True)
    assert db.session.get(Campaign, campaign.id).sender_name is None


def test_the_editor_shows_the_saved_settings_and_empty_fields_clear_them(client, staff, campaign):
    edit(client, campaign, sender_name="Free Roza team", reply_to="team@free-roza.example")
    page = client.get(f"/en/dashboard/campaigns/{campaign.slug}/edit").get_data(as_text=True)
    assert 'value="Free Roza team"' in page and 'value="team@free-roza.example"' in page

    edit(client, campaign, sender_name="", reply_to=" ")

    saved = db.session.get(Campaign, campaign.id)
    assert (saved.sender_name, saved.reply_to) == (None, None)
