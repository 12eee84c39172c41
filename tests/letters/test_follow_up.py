"""After delivery: each recipient's outcome, its deadline, and what the public sees of them."""

# ruff: noqa: RUF001 - Cyrillic names are the point of these tests

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import select, update

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
from campaign.extensions import db
from campaign.letters import outcomes, reminders, services
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Delivery, Recipient
from campaign.letters.outcome_models import FollowUp, OutcomeStatus
from campaign.models_base import utcnow
from campaign.updates.models import Update
from tests.conftest import csrf_token
from tests.letters.conftest import post


@pytest.fixture
def delivered(world, drain, smtp_server):
    """The world's letter signed by the coordinator and delivered (through real SMTP) to the
    president of Kazakhstan and the president of Russia."""
    letter = world.letter
    services.open_for_sign_on(letter)
    services.sign_on(
        letter,
        world.organisations["coord"],
        world.users["coord_owner"],
        services.SignOnInput("Nargis", "Director"),
    )
    letter.recipients.append(
        Recipient(
            name="Владимир Путин",
            titles={"ru": "Президент"},
            country="RU",
            email="president-ru@example.org",
            lang="ru",
        )
    )
    db.session.commit()
    deliver_letter(letter.id)
    drain()
    return letter


def follow_up_of(letter, country: str) -> FollowUp:
    db.session.expire_all()
    return db.session.scalar(
        select(FollowUp)
        .join(Delivery, FollowUp.delivery_id == Delivery.id)
        .join(Recipient, Delivery.recipient_id == Recipient.id)
        .where(Delivery.letter_id == letter.id, Recipient.country == country)
    )


def test_the_deadline_runs_thirty_days_from_the_smtp_acceptance_under_russias_law(delivered):
    follow_up = follow_up_of(delivered, "RU")
    assert follow_up.deadline_days == 30
    assert follow_up.delivered_at == follow_up.delivery.sent_at
    assert follow_up.due_at == follow_up.delivery.sent_at + timedelta(days=30)
    assert follow_up.status(utcnow()) == "awaiting"
    assert follow_up.status(utcnow() + timedelta(days=31)) == "overdue"


def test_the_api_shows_dates_but_not_the_registration_number_or_answer_until_published(
    client, delivered, world
):
    follow_up = follow_up_of(delivered, "RU")
    coordinator, owner = world.organisations["coord"], world.users["coord_owner"]
    outcomes.record_outcome(
        follow_up,
        outcomes.OutcomeInput(
            OutcomeStatus.ACKNOWLEDGED, date(2026, 12, 3), registration_number="А-26-123", note="called them"
        ),
        owner,
        coordinator,
    )
    outcomes.record_outcome(
        follow_up,
        outcomes.OutcomeInput(
            OutcomeStatus.REPLIED, date(2026, 12, 20), response="Your appeal was forwarded."
        ),
        owner,
        coordinator,
    )
    db.session.commit()

    [_, russia] = client.get("/api/v1/letters/test-letter").json["deliveries"]
    assert russia["outcome"]["status"] == "replied"
    assert russia["outcome"]["acknowledged_at"] == "2026-12-03T00:00:00Z"
    assert russia["outcome"]["responded_at"] == "2026-12-20T00:00:00Z"
    assert russia["outcome"]["registration_number"] is None
    assert russia["outcome"]["response"] is None
    assert "called them" not in client.get("/api/v1/letters/test-letter").text

    outcomes.set_publication(follow_up_of(delivered, "RU"), True, True, owner, coordinator)
    db.session.commit()
    [_, russia] = client.get("/api/v1/letters/test-letter").json["deliveries"]
    assert russia["outcome"]["registration_number"] == "А-26-123"
    assert russia["outcome"]["response"] == "Your appeal was forwarded."


def test_the_api_says_how_many_days_past_the_deadline_an_answer_is_missing(client, delivered, world):
    follow_up = follow_up_of(delivered, "KZ")
    outcomes.set_deadline(follow_up, 10, world.users["coord_owner"], world.organisations["coord"])
    follow_up.delivery.outbox.sent_at = utcnow() - timedelta(days=14)
    db.session.commit()

    [kazakhstan, russia] = client.get("/api/v1/letters/test-letter").json["deliveries"]
    assert kazakhstan["outcome"]["status"] == "overdue"
    assert kazakhstan["outcome"]["days_overdue"] == 4
    assert russia["outcome"]["status"] == "awaiting"


def follow_up_url(letter, country: str, action: str = "") -> str:
    delivery_id = follow_up_of(letter, country).delivery_id
    return f"/en/letters/{letter.slug}/deliveries/{delivery_id}" + (f"/{action}" if action else "")


def test_a_partner_records_an_acknowledgement_whose_private_note_only_its_organisation_sees(
    delivered, as_user
):
    response = post(
        as_user("partner_editor"),
        follow_up_url(delivered, "RU", "outcome"),
        outcome="acknowledged",
        occurred_on="2026-12-01",
        registration_number="П-1234",
        note="The clerk was hostile",
    )
    assert response.status_code == 303

    partner_page = as_user("partner_editor").get(follow_up_url(delivered, "RU")).text
    assert (
        "П-1234" in partner_page and "The clerk was hostile" in partner_page and "Partner Org" in partner_page
    )
    coordinator_page = as_user("coord_owner").get(follow_up_url(delivered, "RU")).text
    assert "П-1234" in coordinator_page and "Acknowledged" in coordinator_page
    assert "The clerk was hostile" not in coordinator_page
    assert "The clerk was hostile" not in as_user("staff").get(follow_up_url(delivered, "RU")).text
    assert follow_up_of(delivered, "RU").outcome == "acknowledged"


def test_an_outcome_dated_in_the_future_or_without_a_token_is_refused(delivered, as_user):
    response = post(
        as_user("coord_owner"),
        follow_up_url(delivered, "RU", "outcome"),
        outcome="replied",
        occurred_on="2999-01-01",
    )
    assert response.status_code == 422
    assert "The date cannot be in the future." in response.text
    no_token = as_user("coord_owner").post(
        follow_up_url(delivered, "RU", "outcome"), data={"outcome": "refused", "occurred_on": "2026-12-01"}
    )
    assert no_token.status_code in (400, 422)
    assert follow_up_of(delivered, "RU").outcome == "awaiting"
    assert follow_up_of(delivered, "RU").events == []


def test_other_organisations_and_signers_cannot_see_or_change_a_follow_up(delivered, as_user):
    assert as_user("outsider").get(follow_up_url(delivered, "RU")).status_code == 404
    refused = post(
        as_user("outsider"),
        follow_up_url(delivered, "RU", "outcome"),
        outcome="refused",
        occurred_on="2026-12-01",
    )
    assert refused.status_code == 404
    signer = post(
        as_user("partner_signer"),
        follow_up_url(delivered, "RU", "outcome"),
        outcome="refused",
        occurred_on="2026-12-01",
    )
    assert signer.status_code == 404
    partner_publishes = post(
        as_user("partner_editor"), follow_up_url(delivered, "RU", "publication"), response="y"
    )
    assert partner_publishes.status_code == 404
    assert follow_up_of(delivered, "RU").events == []


def test_the_public_page_shows_the_answer_only_once_the_coordinator_publishes_it(delivered, as_user):
    post(
        as_user("partner_editor"),
        follow_up_url(delivered, "RU", "outcome"),
        outcome="replied",
        occurred_on="2026-12-01",
        response="Ваше обращение перенаправлено.",
        note="private remark",
    )
    anonymous = as_user("anonymous")
    page = anonymous.get("/en/letters/test-letter")
    assert "Answered on" in page.text and "Ваше обращение перенаправлено." not in page.text
    assert "Set-Cookie" not in page.headers

    assert (
        post(as_user("coord_owner"), follow_up_url(delivered, "RU", "publication"), response="y").status_code
        == 303
    )
    page = anonymous.get("/en/letters/test-letter").text
    assert "Ваше обращение перенаправлено." in page
    assert "private remark" not in page


def test_an_answer_scan_is_re_encoded_and_a_file_that_is_no_picture_is_refused(delivered, as_user, app):
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, "PNG", pnginfo=_with_metadata())
    picture.seek(0)
    http = as_user("coord_owner")
    http.csrf = csrf_token(http, follow_up_url(delivered, "RU"))
    response = http.post(
        follow_up_url(delivered, "RU", "outcome"),
        data={
            "csrf_token": http.csrf,
            "outcome": "replied",
            "occurred_on": "2026-12-01",
            "scan": (picture, "answer.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    [event] = follow_up_of(delivered, "RU").events
    scan = http.get(follow_up_url(delivered, "RU", f"scans/{event.id}.jpg"))
    body = scan.get_data()
    scan.close()
    assert scan.status_code == 200 and body.startswith(b"\xff\xd8")
    assert b"Secret Author" not in body
    assert as_user("outsider").get(follow_up_url(delivered, "RU", f"scans/{event.id}.jpg")).status_code == 404

    refused = http.post(
        follow_up_url(delivered, "RU", "outcome"),
        data={
            "csrf_token": http.csrf,
            "outcome": "replied",
            "occurred_on": "2026-12-01",
            "scan": (io.BytesIO(b"GIF89a not really"), "a.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "The scan must be a PDF file or a JPEG or PNG picture." in refused.text


def _with_metadata():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Secret Author")
    return info


def test_a_hand_delivery_is_recorded_and_starts_the_deadline_when_earlier(delivered, as_user):
    response = post(
        as_user("partner_editor"),
        follow_up_url(delivered, "KZ", "handed"),
        channel="hand",
        delivered_on="2026-11-20",
        by_whom="Aigerim",
        place="Akorda reception, Astana",
        tracking="",
    )
    assert response.status_code == 303
    follow_up = follow_up_of(delivered, "KZ")
    assert follow_up.handed_on == date(2026, 11, 20)
    assert follow_up.due_at.date() == date(2026, 12, 20)
    assert "Akorda reception, Astana" in as_user("coord_owner").get(follow_up_url(delivered, "KZ")).text
    log = as_user("partner_editor").get("/en/letters/test-letter/deliveries").text
    assert 'class="delivery-handed"' in log  # in the delivery log, beside the email
    assert "By hand · November 20, 2026 · Aigerim · Akorda reception, Astana" in log


def test_an_overdue_deadline_mails_the_coordinator_once_in_each_members_language(
    delivered, world, drain, smtp_server
):
    db.session.execute(update(User).where(User.id == world.users["coord_editor"].id).values(lang="ru"))
    follow_up = follow_up_of(delivered, "KZ")
    follow_up.delivery.outbox.sent_at = utcnow() - timedelta(days=32)
    db.session.commit()
    before = len(smtp_server.messages)

    assert reminders.remind_deadlines() == 1
    assert reminders.remind_deadlines() == 1
    drain()

    sent = smtp_server.messages[before:]
    assert sorted(address for mail in sent for address in mail.rcpt_tos) == [
        "coord-editor@example.org",
        "coord-owner@example.org",
    ]
    [english] = [mail for mail in sent if "coord-owner@example.org" in mail.rcpt_tos]
    assert english.message["Subject"] == "No answer by the deadline: Free the defenders"
    assert "Kassym-Jomart Tokayev" in english.text()
    assert f"/en/letters/test-letter/deliveries/{follow_up.delivery_id}" in english.text()
    [russian] = [mail for mail in sent if "coord-editor@example.org" in mail.rcpt_tos]
    assert "Свободу правозащитникам" in russian.message["Subject"]
    assert f"/ru/letters/test-letter/deliveries/{follow_up.delivery_id}" in russian.text()


def test_no_reminder_goes_out_once_an_answer_is_recorded(delivered, world, drain, smtp_server):
    follow_up = follow_up_of(delivered, "KZ")
    follow_up.delivery.outbox.sent_at = utcnow() - timedelta(days=28)
    outcomes.record_outcome(
        follow_up, outcomes.OutcomeInput(OutcomeStatus.REPLIED, date(2026, 11, 30)), None, None
    )
    db.session.commit()
    before = len(smtp_server.messages)

    assert reminders.remind_deadlines() == 0
    drain()
    assert len(smtp_server.messages) == before


@pytest.fixture
def refused(world, drain, smtp_server):
    """The letter delivered; the Kazakh president's address refused for good by the server."""
    smtp_server.handler.refused["president-kz@example.org"] = (
        "550 5.1.1 <president-kz@example.org>: no such user"
    )
    letter = world.letter
    services.open_for_sign_on(letter)
    services.sign_on(
        letter,
        world.organisations["coord"],
        world.users["coord_owner"],
        services.SignOnInput("Nargis", "Director"),
    )
    letter.recipients.append(
        Recipient(name="Владимир Путин", country="RU", email="president-ru@example.org", lang="ru")
    )
    db.session.commit()
    deliver_letter(letter.id)
    drain()
    yield letter
    del smtp_server.handler.refused["president-kz@example.org"]


def test_a_refused_recipient_shows_the_servers_reply_and_is_sent_again_alone(
    refused, as_user, drain, smtp_server
):
    assert follow_up_of(refused, "KZ").delivery.status == "failed"
    awaiting_page = as_user("partner_editor").get("/en/letters/awaiting").text
    assert "no such user" in awaiting_page and "Kassym-Jomart Tokayev" in awaiting_page
    assert "no such user" in as_user("coord_owner").get(follow_up_url(refused, "KZ")).text
    russian_before = len(smtp_server.to("president-ru@example.org"))

    assert (
        post(
            as_user("partner_editor"), follow_up_url(refused, "KZ", "redeliver"), email="akorda@example.org"
        ).status_code
        == 404
    )
    response = post(
        as_user("coord_owner"), follow_up_url(refused, "KZ", "redeliver"), email="akorda@example.org"
    )
    assert response.status_code == 303
    drain()

    [mail] = smtp_server.to("akorda@example.org")
    assert mail.message["Subject"] == "Free the defenders"
    assert len(smtp_server.to("president-ru@example.org")) == russian_before
    follow_up = follow_up_of(refused, "KZ")
    assert follow_up.delivery.status == "sent"
    [event] = follow_up.events
    assert "550 5.1.1" in event.details["refusal"]
    again = post(as_user("coord_owner"), follow_up_url(refused, "KZ", "redeliver"), email="other@example.org")
    assert again.status_code == 409


def test_the_awaiting_page_lists_days_left_and_shows_outsiders_nothing(delivered, as_user):
    page = as_user("partner_editor").get("/en/letters/awaiting").text
    assert "Владимир Путин" in page and "30 days left" in page
    assert "Владимир Путин" not in as_user("outsider").get("/en/letters/awaiting").text


def test_a_published_answer_offers_a_prepared_update_in_each_campaign_language(
    delivered, world, as_user, create_campaign
):
    campaign = create_campaign(langs=("en", "ru"))
    delivered.campaign_id = campaign.id
    db.session.commit()
    url = follow_up_url(delivered, "RU")
    post(
        as_user("coord_owner"),
        url + "/outcome",
        outcome="replied",
        occurred_on="2026-12-01",
        response="Рассмотрено.",
    )
    assert "Prepare an update" not in as_user("coord_owner").get(url).text
    post(as_user("coord_owner"), url + "/publication", response="y")
    assert "Prepare an update" in as_user("coord_owner").get(url).text

    assert post(as_user("coord_owner"), url + "/update").status_code == 303
    update = db.session.get(Update, follow_up_of(delivered, "RU").update_id)
    assert update.status == "draft" and update.campaign_id == campaign.id
    assert set(update.translations) == {"en", "ru"}
    assert (
        "answered the letter" in update.translations["en"].body
        and "> Рассмотрено." in update.translations["en"].body
    )
    assert "Владимир Путин" in update.translations["ru"].subject
    staff_page = as_user("staff").get(url).text
    assert f"/updates/{update.id}" in staff_page
    assert (
        as_user("staff").get(f"/en/dashboard/campaigns/{campaign.slug}/updates/{update.id}").status_code
        == 200
    )


def test_a_coordinator_who_is_not_staff_prepares_the_update_as_a_draft_only_staff_send(
    delivered, world, as_user, create_campaign
):
    """Updates to supporters are staff's (every updates page is staff only): the coordinator's
    editor prepares the draft, staff find it among the campaign's updates to test and send."""
    campaign = create_campaign(langs=("en",))
    delivered.campaign_id = campaign.id
    db.session.commit()
    url = follow_up_url(delivered, "KZ")
    post(as_user("coord_editor"), url + "/outcome", outcome="no_answer", occurred_on="2026-12-01")
    updates = f"/en/dashboard/campaigns/{campaign.slug}/updates/"
    for page in (url, "/en/letters/test-letter"):  # the outcome in a sentence
        shown = as_user("coord_editor").get(page)
        assert shown.status_code == 200 and "No answer" in shown.text, page

    assert post(as_user("partner_editor"), url + "/update").status_code == 404
    assert post(as_user("coord_editor"), url + "/update").status_code == 303

    update = db.session.get(Update, follow_up_of(delivered, "KZ").update_id)
    assert update.status == "draft" and update.created_by_id == world.users["coord_editor"].id
    page = as_user("coord_editor").get(url).text
    assert "Campaign staff review it, send a test and send it." in page
    assert f"/updates/{update.id}" not in page
    assert as_user("coord_editor").get(f"{updates}{update.id}").status_code == 404
    assert update.translations["en"].subject in as_user("staff").get(updates).text


def test_each_follow_up_change_is_in_the_audit_log_with_who_made_it_for_which_organisation(
    refused, world, as_user
):
    kazakhstan, russia = follow_up_url(refused, "KZ"), follow_up_url(refused, "RU")
    steps = [
        ("partner_editor", f"{russia}/outcome", {"outcome": "acknowledged", "occurred_on": "2026-12-01"}),
        (
            "partner_editor",
            f"{russia}/handed",
            {"channel": "post", "delivered_on": "2026-11-28", "by_whom": "Kazpost"},
        ),
        ("coord_owner", f"{russia}/deadline", {"days": "45"}),
        ("coord_owner", f"{russia}/publication", {"registration": "y"}),
        ("coord_owner", f"{kazakhstan}/redeliver", {"email": "akorda@example.org"}),
    ]
    for user, url, fields in steps:
        assert post(as_user(user), url, **fields).status_code == 303, url

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(list(FOLLOW_UP_ACTIONS))).order_by(AuditEntry.id)
    ).all()
    assert [entry.action for entry in entries] == list(FOLLOW_UP_ACTIONS)
    partner, coordinator = world.organisations["partner"], world.organisations["coord"]
    users = [world.users[user].id for user, _, _ in steps]
    organisations = [partner.id, partner.id, coordinator.id, coordinator.id, coordinator.id]
    assert [(entry.user_id, entry.organisation_id, entry.letter_id) for entry in entries] == [
        (user, organisation, refused.id) for user, organisation in zip(users, organisations, strict=True)
    ]
    assert entries[0].details["outcome"] == "acknowledged" and entries[2].details["days"] == 45
    assert all("Kazpost" not in str(entry.details) for entry in entries)  # ids, not what was written
    log = as_user("staff").get(f"/en/dashboard/audit/?letter={refused.id}")
    assert log.status_code == 200 and "Letter delivery by hand or post recorded" in log.text


FOLLOW_UP_ACTIONS = (
    "letter.outcome_recorded",
    "letter.handed_recorded",
    "letter.deadline_set",
    "letter.publication_set",
    "letter.redelivered",
)
