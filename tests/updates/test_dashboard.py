"""The campaigner's pages: compose, preview, test send, send, schedule, progress (staff only)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.updates.models import Update, UpdateStatus
from tests.conftest import csrf_token


@pytest.fixture
def staff(create_user, login):
    user = create_user("campaigner@example.org", role="campaigner")
    login(user)
    return user


def base(campaign) -> str:
    return f"/en/dashboard/campaigns/{campaign.slug}/updates/"


def compose(client, campaign, **fields) -> object:
    data = {"lang": "en", "subject": "Roza is free", "body": "She was **released**."} | fields
    data["csrf_token"] = csrf_token(client, base(campaign))
    return client.post(base(campaign), data=data)


def test_a_campaigner_writes_previews_and_sends_an_update(
    client, staff, campaign, add_signer, drain, smtp_server
):
    add_signer(campaign, "anna@example.org")

    created = compose(client, campaign)
    assert created.status_code == 303
    page = client.get(created.location).get_data(as_text=True)
    assert "<strong>released</strong>" in page
    assert "It goes to 1 supporter now." in page
    update = db.session.scalar(select(Update))
    assert update.created_by_id == staff.id

    sent = client.post(
        f"{base(campaign)}{update.id}/send", data={"csrf_token": csrf_token(client, created.location)}
    )
    drain()

    assert sent.status_code == 303
    assert db.session.get(Update, update.id).status == UpdateStatus.SENDING
    assert [m.rcpt_tos for m in smtp_server.messages] == [["anna@example.org"]]
    progress = client.get(f"{base(campaign)}{update.id}/progress.json").get_json()
    assert (progress["sent"], progress["remaining"], progress["total"]) == (1, 0, 1)


def test_a_test_send_goes_to_the_campaigner_only(client, staff, campaign, add_signer, drain, smtp_server):
    add_signer(campaign, "anna@example.org")
    page = compose(client, campaign).location

    client.post(f"{page.split('?')[0]}/test", data={"csrf_token": csrf_token(client, page), "lang": "en"})
    drain()

    assert [m.rcpt_tos for m in smtp_server.messages] == [["campaigner@example.org"]]


def test_a_campaigner_schedules_an_update(client, staff, campaign, add_signer):
    add_signer(campaign, "anna@example.org")
    page = compose(client, campaign).location

    response = client.post(
        f"{page.split('?')[0]}/schedule",
        data={"csrf_token": csrf_token(client, page), "scheduled_at": "2099-01-01T09:00"},
    )

    assert response.status_code == 303
    assert db.session.scalar(select(Update.status)) == UpdateStatus.SCHEDULED


def test_a_subject_with_a_line_break_is_refused_clearly(client, staff, campaign):
    response = compose(client, campaign, subject="Hi\r\nBcc: everyone@example.org")

    assert response.status_code == 422
    assert "Please remove line breaks" in response.get_data(as_text=True)
    assert db.session.scalar(select(Update)) is None


def test_the_pages_are_for_staff_only(client, create_user, login, campaign):
    assert client.get(base(campaign)).status_code == 302
    login(create_user("partner@example.org", org="Some NGO"))

    assert client.get(base(campaign)).status_code == 404


def test_the_preview_button_renders_a_draft_update_without_saving_it(client, staff, campaign):
    response = compose(client, campaign, preview="1", body="Hearing on *Monday*")

    assert response.status_code == 200
    assert "<em>Monday</em>" in response.get_data(as_text=True)
    assert db.session.scalar(select(Update)) is None


def test_the_preview_button_shows_a_changed_text_before_it_is_saved(client, staff, campaign):
    page = compose(client, campaign).location
    url = page.split("?")[0] + "/text"
    data = {"csrf_token": csrf_token(client, page), "lang": "en", "subject": "S", "body": "New *text*"}

    response = client.post(url, data=data | {"preview": "1"})

    assert response.status_code == 200 and "<em>text</em>" in response.get_data(as_text=True)
    assert db.session.scalar(select(Update)).translations["en"].body == "She was **released**."
