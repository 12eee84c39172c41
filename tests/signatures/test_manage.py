"""A signer manages their own signature through the private link: hide, stop updates, withdraw, erase."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from campaign.defenders.models import Follower
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.paper import services as paper
from campaign.paper.models import PaperSigner
from campaign.signatures.models import Signature, Supporter
from campaign.signatures.services import email_hash
from tests.conftest import form_token
from tests.signatures.test_signing import confirm, count


def manage_link(message) -> str:
    match = re.search(r"https://campaign\.example\.org(/\S*/manage/\S+)", message.text())
    assert match, message.text()
    return match.group(1)


def signed(client, campaign, sign, drain, smtp_server, **fields) -> str:
    """Sign and confirm as a person does; the private link from the confirmation email."""
    sign(campaign.slug, **fields)
    drain()
    mail = smtp_server.messages[-1]
    confirm(client, mail)
    return manage_link(mail)


def act(client, link: str, action: str):
    return client.post(link, data={"form_token": form_token(client, link), "action": action})


def test_the_confirmation_page_and_email_carry_the_private_link(client, campaign, sign, drain, smtp_server):
    sign(campaign.slug)
    drain()
    mail = smtp_server.messages[0]

    page = confirm(client, mail).get_data(as_text=True)

    assert f'href="{manage_link(mail)}"' in page
    assert client.get(manage_link(mail)).status_code == 200


def test_opening_the_private_link_changes_nothing(client, campaign, sign, drain, smtp_server):
    link = signed(client, campaign, sign, drain, smtp_server, show_name="y", consent_updates="y")

    page = client.get(link)

    assert "Hide my name" in page.get_data(as_text=True)
    signature = db.session.scalar(select(Signature))
    assert (signature.is_name_public, signature.wants_updates) == (True, True)


def test_a_signer_hides_their_name_and_still_counts(client, campaign, sign, drain, smtp_server):
    link = signed(client, campaign, sign, drain, smtp_server, name="Visible Person", show_name="y")

    act(client, link, "hide")

    assert "Visible Person" not in client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
    assert count(client, campaign.slug) == 1


def test_a_signer_stops_updates_and_their_address_goes(client, campaign, sign, drain, smtp_server):
    link = signed(client, campaign, sign, drain, smtp_server, consent_updates="y")

    act(client, link, "stop_updates")

    signature = db.session.scalar(select(Signature))
    assert (signature.wants_updates, signature.email) == (False, None)
    assert signature.updates_stopped_at is not None  # what an update's "unsubscribed since" counts
    assert db.session.scalar(select(Supporter.email)) is None
    assert count(client, campaign.slug) == 1


def test_a_withdrawn_signature_stops_counting_and_its_signer_may_sign_again(
    client, campaign, sign, drain, smtp_server
):
    link = signed(client, campaign, sign, drain, smtp_server)
    assert count(client, campaign.slug) == 1

    done = act(client, link, "withdraw")

    assert "Your signature is withdrawn" in done.get_data(as_text=True)
    assert count(client, campaign.slug) == 0
    assert client.get(link).status_code == 404
    signed(client, campaign, sign, drain, smtp_server, ip="198.51.100.80")
    assert count(client, campaign.slug) == 1


def test_a_signature_to_a_closed_campaign_cannot_be_withdrawn(client, campaign, sign, drain, smtp_server):
    link = signed(client, campaign, sign, drain, smtp_server)
    campaign.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    assert "Withdraw my signature" not in client.get(link).get_data(as_text=True)
    refused = act(client, link, "withdraw")

    assert refused.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1


def test_a_signer_erases_everything_without_a_second_confirmation(
    client, campaign, create_campaign, sign, drain, smtp_server
):
    other = create_campaign(slug="other-one")
    signed(client, other, sign, drain, smtp_server, name="Erased Person", consent_updates="y", show_name="y")
    link = signed(client, campaign, sign, drain, smtp_server, name="Erased Person", consent_updates="y")
    smtp_server.messages.clear()

    done = act(client, link, "erase")
    drain()

    assert "Your data was erased" in done.get_data(as_text=True)
    assert set(db.session.scalars(select(Signature.name))) == {""}
    assert db.session.scalar(select(Supporter.email)) is None
    assert (count(client, campaign.slug), count(client, other.slug)) == (1, 1)
    assert smtp_server.messages == []  # no second confirmation asked


def test_erasing_reaches_the_paper_list_and_the_cases_followed_with_the_same_address(
    client, campaign, sign, drain, smtp_server
):
    csv = b"name,email\nPaper Erased,Erased@Example.org\nPaper Stays,stays@example.org\n"
    paper.import_signers(campaign.id, csv, paper.SheetInput(0, "KZ", None, None, ""), None)
    db.session.commit()  # on a paper list first, then online
    link = signed(client, campaign, sign, drain, smtp_server, email="erased@example.org")
    for address in ("erased@example.org", "stays@example.org"):
        db.session.add(
            Follower(defender_id=campaign.defender_id, email=address, email_hash=email_hash(address),
                     lang="en", token_hash=address, confirmed_at=utcnow())
        )  # fmt: skip
    db.session.commit()

    act(client, link, "erase")

    assert sorted(db.session.scalars(select(PaperSigner.name))) == ["", "Paper Stays"]
    assert list(db.session.scalars(select(Follower.email))) == ["stays@example.org"]


def test_a_tampered_private_link_is_answered_clearly(client, campaign, sign, drain, smtp_server):
    link = signed(client, campaign, sign, drain, smtp_server)

    response = client.get(link[:-3] + "xyz")

    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)
