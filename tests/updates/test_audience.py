"""Segments: an update reaches exactly its audience, counted and named before anything is sent."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from campaign.accounts.services import find_or_create_organisation
from campaign.audit.models import AuditEntry
from campaign.extensions import db
from campaign.updates.models import Update, UpdateStatus
from tests.conftest import csrf_token


@pytest.fixture
def staff(create_user, login):
    user = create_user("campaigner@example.org", role="campaigner")
    login(user)
    return user


def _base(campaign) -> str:
    return f"/en/dashboard/campaigns/{campaign.slug}/updates/"


def _draft(client, campaign) -> str:
    data = {
        "lang": "en",
        "subject": "Hearing",
        "body": "On Monday.",
        "csrf_token": csrf_token(client, _base(campaign)),
    }
    return client.post(_base(campaign), data=data).location.split("?")[0]


def _set_audience(client, page: str, **fields):
    data = {"lang": "", "country": "", "source": "", "since": "", "until": ""} | fields
    data = {f"audience-{name}": value for name, value in data.items()}
    return client.post(f"{page}/audience", data=data | {"csrf_token": csrf_token(client, page)})


def test_a_segmented_update_reaches_exactly_its_audience(
    client, staff, campaign, add_signer, drain, smtp_server
):
    add_signer(campaign, "ru-kz-new@example.org", lang="ru", created_at=datetime(2026, 6, 1))
    add_signer(campaign, "ru-kz-old@example.org", lang="ru", created_at=datetime(2025, 1, 1))
    add_signer(campaign, "ru-am-new@example.org", lang="ru", country="AM", created_at=datetime(2026, 6, 1))
    add_signer(campaign, "en-kz-new@example.org", lang="en", created_at=datetime(2026, 6, 1))
    page = _draft(client, campaign)

    saved = _set_audience(client, page, lang="ru", country="kz", since="2026-01-01T00:00")
    assert saved.status_code == 303
    assert "It goes to 1 supporter now." in client.get(saved.location).get_data(as_text=True)

    confirm = client.get(f"{page}/send").get_data(as_text=True)
    assert "goes to 1 supporter, counted now" in confirm
    assert "Russian" in confirm and "Kazakhstan" in confirm and "Send to 1 supporter now" in confirm
    assert not smtp_server.messages  # showing the confirmation sends nothing

    sent = client.post(f"{page}/send", data={"csrf_token": csrf_token(client, f"{page}/send")})
    drain()

    assert sent.status_code == 303
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ru-kz-new@example.org"]]
    entry = db.session.scalar(select(AuditEntry).filter_by(action="update.audience_set"))
    assert entry is not None and entry.details["audience"] == {
        "lang": "ru",
        "country": "KZ",
        "since": "2026-01-01T00:00",
    }


@pytest.fixture
def partners(app, campaign, add_signer):
    """Two partners' links and the direct way in, each with signers the audience must sort out."""
    memorial = find_or_create_organisation("Memorial Watch")
    pen = find_or_create_organisation("PEN Kazakhstan")
    db.session.commit()
    add_signer(campaign, "memorial-1@example.org", source=memorial.slug)
    add_signer(campaign, "memorial-2@example.org", source=memorial.slug, lang="ru")
    add_signer(campaign, "memorial-quiet@example.org", source=memorial.slug, wants_updates=False)
    add_signer(campaign, "memorial-pending@example.org", source=memorial.slug, status="pending")
    add_signer(campaign, "memorial-gone@example.org", source=memorial.slug, unsubscribed=True)
    add_signer(campaign, "pen@example.org", source=pen.slug, lang="ru")
    add_signer(campaign, "direct@example.org")
    return memorial, pen


def test_a_partner_segment_reaches_only_those_who_signed_through_its_link(
    client, staff, campaign, partners, drain, smtp_server
):
    memorial, pen = partners
    page = _draft(client, campaign)

    form = client.get(page).get_data(as_text=True)
    assert f'<option value="{memorial.slug}">Memorial Watch</option>' in form
    assert f'<option value="{pen.slug}">PEN Kazakhstan</option>' in form
    saved = _set_audience(client, page, source=memorial.slug)
    assert saved.status_code == 303
    shown = client.get(saved.location).get_data(as_text=True)
    assert "It goes to 2 supporters now." in shown
    assert f'<option selected value="{memorial.slug}">Memorial Watch</option>' in shown

    confirm = client.get(f"{page}/send").get_data(as_text=True)
    assert "goes to 2 supporters, counted now" in confirm and "Send to 2 supporters now" in confirm
    assert "<li>Partner link: Memorial Watch</li>" in confirm
    assert not smtp_server.messages

    sent = client.post(f"{page}/send", data={"csrf_token": csrf_token(client, f"{page}/send")})
    drain()

    assert sent.status_code == 303
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "memorial-1@example.org",
        "memorial-2@example.org",
    ]
    assert db.session.scalar(select(Update.audience)) == {"source": memorial.slug}
    entry = db.session.scalar(select(AuditEntry).filter_by(action="update.audience_set"))
    assert entry is not None and entry.details["audience"] == {"source": memorial.slug}


def test_a_partner_segment_narrows_the_other_choices_too(client, staff, campaign, partners):
    memorial, _pen = partners
    page = _draft(client, campaign)

    _set_audience(client, page, source=memorial.slug, lang="ru")

    assert "It goes to 1 supporter now." in client.get(page).get_data(as_text=True)
    assert "goes to 1 supporter, counted now" in client.get(f"{page}/send").get_data(as_text=True)


def test_only_partners_that_brought_signers_to_this_campaign_are_offered_or_taken(
    client, staff, campaign, create_campaign, partners, add_signer
):
    elsewhere = find_or_create_organisation("Elsewhere Only")
    find_or_create_organisation("No Signers Yet")
    db.session.commit()
    add_signer(create_campaign(slug="another-one"), "elsewhere@example.org", source=elsewhere.slug)
    page = _draft(client, campaign)

    form = client.get(page).get_data(as_text=True)
    refused = [
        _set_audience(client, page, source=value) for value in (elsewhere.slug, "no-such-partner", "<b>x</b>")
    ]

    assert "Elsewhere Only" not in form and "No Signers Yet" not in form
    assert [response.status_code for response in refused] == [422, 422, 422]
    html = refused[0].get_data(as_text=True)
    assert "Please choose a partner link from the list." in html
    assert "Elsewhere Only" not in html
    assert "<b>x</b>" not in refused[2].get_data(as_text=True)
    assert db.session.scalar(select(Update.audience)) is None


def test_the_refusal_of_an_unknown_partner_is_in_the_pages_language(client, staff, campaign, partners):
    page = _draft(client, campaign).replace("/en/", "/ru/", 1)

    response = _set_audience(client, page, source="no-such-partner")

    assert response.status_code == 422
    assert "Пожалуйста, выберите партнёрскую ссылку из списка." in response.get_data(as_text=True)


def test_a_partners_own_people_cannot_see_or_set_an_updates_audience(
    app, client, staff, campaign, partners, create_user, login
):
    memorial, pen = partners
    page = _draft(client, campaign)
    _set_audience(client, page, source=memorial.slug)
    partner_client = app.test_client()
    login(create_user("owner@pen.example.org", org="PEN Kazakhstan"), http=partner_client)

    seen = [partner_client.get(url) for url in (page, f"{page}/send", f"{page}/progress.json")]
    own = partner_client.get(f"/en/partner/{pen.slug}/campaigns/{campaign.slug}")
    other = partner_client.get(f"/en/partner/{memorial.slug}/campaigns/{campaign.slug}")

    assert [response.status_code for response in seen] == [404, 404, 404]
    assert all("Memorial Watch" not in response.get_data(as_text=True) for response in seen)
    assert (own.status_code, other.status_code) == (200, 404)


def test_an_empty_audience_cannot_be_sent_or_scheduled(client, staff, campaign, add_signer, smtp_server):
    add_signer(campaign, "anna@example.org", lang="en")
    page = _draft(client, campaign)
    _set_audience(client, page, lang="de")

    confirm = client.get(f"{page}/send").get_data(as_text=True)
    assert "Nobody is in this update" in confirm and "Send to" not in confirm
    refused = client.post(f"{page}/send", data={"csrf_token": csrf_token(client, page)})
    scheduled = client.post(
        f"{page}/schedule", data={"csrf_token": csrf_token(client, page), "scheduled_at": "2099-01-01T09:00"}
    )

    assert (refused.status_code, scheduled.status_code) == (409, 422)
    assert db.session.scalar(select(Update.status)) not in (UpdateStatus.SENDING, UpdateStatus.SCHEDULED)


def test_a_bad_segment_is_refused_with_a_message(client, staff, campaign):
    page = _draft(client, campaign)

    response = _set_audience(client, page, country="XX", since="2026-05-01T00:00", until="2026-04-01T00:00")

    assert response.status_code == 422
    assert "Please give a two-letter country code, like KZ." in response.get_data(as_text=True)
    assert db.session.scalar(select(Update.audience)) is None


def test_the_audience_form_needs_the_csrf_token(client, staff, campaign):
    page = _draft(client, campaign)

    response = client.post(f"{page}/audience", data={"audience-lang": "ru", "csrf_token": "forged"})

    assert response.status_code in (400, 422)
    assert db.session.scalar(select(Update.audience)) is None


def test_the_list_of_updates_shows_each_ones_audience_sent_and_failed(
    client, staff, campaign, add_signer, drain, smtp_server
):
    add_signer(campaign, "anna@example.org", lang="ru")
    add_signer(campaign, "bob@example.org", lang="en")
    page = _draft(client, campaign)
    _set_audience(client, page, lang="ru")
    client.post(f"{page}/send", data={"csrf_token": csrf_token(client, page)})
    drain()

    html = client.get(_base(campaign)).get_data(as_text=True)

    row = html[html.index("Hearing</a>") :].split("</tr>")[0]
    # audience, sent, failed, no longer wanted it, unsubscribed since
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[3:]] == ["1", "1", "0", "0", "0"]
