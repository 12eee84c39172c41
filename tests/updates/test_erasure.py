"""Erasure, asked for from the unsubscribe page and confirmed through a single-use emailed link."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.outbox import OutboxMessage
from campaign.signatures.models import Signature, SignatureStatus, Supporter
from campaign.updates import services
from campaign.updates.jobs import fan_out
from tests.conftest import form_token


def count(client, slug: str) -> int:
    return client.get(f"/api/v1/campaigns/{slug}").get_json()["signature_count"]


def ask_for_erasure(client, smtp_server, address: str) -> str:
    """Press "erase my data" on the unsubscribe page; return the path of the emailed link."""
    [update_mail] = smtp_server.to(address)
    path = update_mail.message["List-Unsubscribe"].strip("<>").removeprefix("https://campaign.example.org")
    client.post(path, data={"action": "erase"})
    return path


def erasure_link(smtp_server, address: str) -> str:
    [mail] = [m for m in smtp_server.to(address) if "erase" in m.message["Subject"]]
    match = re.search(r"https://campaign\.example\.org(/\S+/erase/\S+)", mail.text())
    assert match, mail.text()
    return match.group(1)


def test_erasure_anonymises_signatures_keeps_counts_and_purges_unsent_mail(
    client, campaign, create_campaign, add_signer, write_update, send, smtp_server, drain
):
    other = create_campaign(slug="other")
    add_signer(campaign, "anna@example.org")
    add_signer(other, "anna@example.org")
    add_signer(campaign, "stays@example.org")
    send(write_update(campaign))
    ask_for_erasure(client, smtp_server, "anna@example.org")
    drain()
    link = erasure_link(smtp_server, "anna@example.org")
    queued = write_update(other, {"en": ("Queued", "Not yet sent.")})
    services.send_update(queued.id)
    db.session.commit()
    drain()
    before = count(client, campaign.slug), count(client, other.slug)
    smtp_server.messages.clear()

    page = client.get(link)
    assert page.status_code == 200
    assert db.session.scalar(select(Supporter.email)) is not None  # opening the link changes nothing
    done = client.post(link, data={"form_token": form_token(client, link)})

    assert done.status_code == 200
    assert "Your data was erased" in done.get_data(as_text=True)
    signatures = db.session.scalars(select(Signature).where(Signature.email_domain == "")).all()
    assert len(signatures) == 2
    assert all(s.email is None and s.name == "" and s.status == SignatureStatus.CONFIRMED for s in signatures)
    supporter = db.session.scalar(select(Supporter).where(Supporter.email.is_(None)))
    assert supporter is not None
    assert (count(client, campaign.slug), count(client, other.slug)) == before
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient == "anna@example.org")
        )
        == 0
    )


def test_queued_update_mail_for_an_erased_supporter_is_never_sent(
    client, campaign, add_signer, write_update, send, smtp_server, drain
):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))
    ask_for_erasure(client, smtp_server, "anna@example.org")
    drain()
    link = erasure_link(smtp_server, "anna@example.org")
    second = write_update(campaign, {"en": ("Second", "News.")})
    services.send_update(second.id)
    db.session.commit()
    fan_out(second.id)  # her row is written and its batch job queued ...
    smtp_server.messages.clear()

    client.post(link, data={"form_token": form_token(client, link)})  # ... then she is erased
    drain()

    assert smtp_server.messages == []


def test_the_erasure_link_works_once(client, campaign, add_signer, write_update, send, smtp_server, drain):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))
    ask_for_erasure(client, smtp_server, "anna@example.org")
    drain()
    link = erasure_link(smtp_server, "anna@example.org")
    token = form_token(client, link)
    client.post(link, data={"form_token": token})

    again = client.post(link, data={"form_token": token})

    assert again.status_code == 404
    assert "This link is not valid" in again.get_data(as_text=True)


def test_asking_for_erasure_changes_nothing_until_confirmed(
    client, campaign, add_signer, write_update, send, smtp_server, drain
):
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))

    response = client.post(ask_for_erasure(client, smtp_server, "anna@example.org"), data={"action": "erase"})
    drain()

    assert "Please check your email" in response.get_data(as_text=True)
    assert len([m for m in smtp_server.messages if "erase" in m.message["Subject"]]) == 1
    assert db.session.scalar(select(Signature.email)) == "anna@example.org"


def test_an_erasure_link_mailed_before_the_secret_key_changed_still_works(
    app, client, campaign, add_signer, write_update, send, smtp_server, drain
):
    """Erasure links are random tokens stored hashed: they depend on no key at all."""
    add_signer(campaign, "anna@example.org")
    send(write_update(campaign))
    ask_for_erasure(client, smtp_server, "anna@example.org")
    drain()
    link = erasure_link(smtp_server, "anna@example.org")
    app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = "rotated-" + app.config["SECRET_KEY"], []

    done = client.post(link, data={"form_token": form_token(client, link)})

    assert "Your data was erased" in done.get_data(as_text=True)
    assert db.session.scalar(select(Supporter.email)) is None
