"""Two opt-ins (issue 16, item 7): the campaign's updates, and being contacted by the partner whose
link brought the signer, a box of its own offered only on that partner's link and naming it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.accounts.models import Organisation
from campaign.dashboard import exports
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures import retention, services
from campaign.signatures.models import Signature, Supporter
from campaign.updates.audience import audience_count
from tests.conftest import form_token
from tests.signatures.test_manage import act, manage_link
from tests.signatures.test_signing import confirm

PARTNER = "adc-memorial"
BOX = re.compile(r'<input[^>]*name="partner_may_contact"[^>]*>')
LABEL = "ADC Memorial, who shared this campaign with me, may have my name and email address"


@pytest.fixture
def partner(app) -> Organisation:
    organisation = Organisation(slug=PARTNER, names={"en": "ADC Memorial", "ru": "АДЦ «Мемориал»"})
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture(params=["session", "statement"])
def signing_path(request, app, monkeypatch) -> str:
    """Each signing path: the session's two inserts (SQLite's) and PostgreSQL's one statement."""
    if request.param == "statement" and not services.in_one_statement():
        pytest.skip("the one-statement path runs on PostgreSQL only")
    if request.param == "session":
        monkeypatch.setattr(services, "in_one_statement", lambda: False)
    return request.param


def stored(email: str = "aigerim@example.org") -> Signature:
    db.session.expire_all()
    found = db.session.scalar(select(Signature).where(Signature.email_hash == services.email_hash(email)))
    assert found is not None
    return found


@pytest.mark.parametrize("page", ["campaigns", "embed/campaigns"])
def test_the_partner_box_shows_only_on_a_partners_link_unticked_and_naming_it(
    client, campaign, partner, page
):
    url = f"/en/{page}/{campaign.slug}"

    without, unknown = (
        client.get(url).get_data(as_text=True),
        client.get(f"{url}?ref=nobody").get_data(as_text=True),
    )
    shared = client.get(f"{url}?ref={PARTNER}").get_data(as_text=True)
    in_russian = client.get(f"/ru/{page}/{campaign.slug}?ref={PARTNER}").get_data(as_text=True)

    assert not BOX.search(without) and not BOX.search(unknown)
    assert "ADC Memorial" not in without + unknown
    [box] = BOX.findall(shared)
    assert "checked" not in box
    assert f'<label for="partner_may_contact">{LABEL}' in shared
    assert "Send me updates about this campaign</label>" in shared  # the updates box names no partner
    assert "АДЦ «Мемориал»" in in_russian and LABEL not in in_russian


@pytest.mark.parametrize("ticked", [True, False])
def test_signing_through_a_partners_link_stores_the_box_as_ticked(
    campaign, partner, sign, signing_path, ticked
):
    fields = {"ref": PARTNER} | ({"partner_may_contact": "y"} if ticked else {})

    assert sign(campaign.slug, **fields).status_code == 303

    signature = stored()
    assert (signature.source, signature.partner_may_contact, signature.wants_updates) == (
        PARTNER,
        ticked,
        False,
    )


def test_the_two_boxes_are_stored_apart(campaign, partner, sign, signing_path):
    sign(campaign.slug, email="updates@example.org", ref=PARTNER, consent_updates="y")
    sign(campaign.slug, email="both@example.org", ref=PARTNER, consent_updates="y", partner_may_contact="y")

    assert (
        stored("updates@example.org").wants_updates,
        stored("updates@example.org").partner_may_contact,
    ) == (
        True,
        False,
    )
    assert (stored("both@example.org").wants_updates, stored("both@example.org").partner_may_contact) == (
        True,
        True,
    )


@pytest.mark.parametrize("ref", ["", "nobody", "NOT A REF"])
def test_a_forged_box_without_a_partners_link_stores_false(campaign, partner, sign, signing_path, ref):
    sign(campaign.slug, ref=ref, partner_may_contact="y")

    signature = stored()
    assert (signature.source, signature.partner_may_contact) == (None, False)


def test_signing_in_the_embed_frame_stores_the_box(app, campaign, partner):
    frame = app.test_client(use_cookies=False)
    url = f"/en/embed/campaigns/{campaign.slug}?ref={PARTNER}"
    data = {"name": "Aigerim", "email": "aigerim@example.org", "country": "KZ", "ref": PARTNER}

    response = frame.post(url, data=data | {"partner_may_contact": "y", "form_token": form_token(frame, url)})

    assert response.status_code == 303
    assert stored().partner_may_contact is True


def _signed(client, campaign, sign, drain, smtp_server, **fields) -> str:
    sign(campaign.slug, ref=PARTNER, **fields)
    drain()
    mail = smtp_server.messages[-1]
    confirm(client, mail)
    return manage_link(mail)


def _partner_export(campaign, drain) -> list[list[str]]:
    organisation_id = db.session.scalar(select(Organisation.id).where(Organisation.slug == PARTNER))
    export = exports.request_export(
        campaign.id, user_id=None, organisation_id=organisation_id, source=PARTNER
    )
    db.session.commit()
    drain()
    assert export.file_name
    text = (exports.export_dir() / export.file_name).read_text(encoding="utf-8-sig")
    return [line.split(",")[:2] for line in text.splitlines()[1:]]


def test_a_consenting_signer_reaches_the_partners_export_and_not_the_campaigns_updates(
    client, campaign, partner, sign, drain, smtp_server
):
    _signed(client, campaign, sign, drain, smtp_server, partner_may_contact="y")

    assert stored().email == "aigerim@example.org"  # kept past confirming, for the partner
    assert db.session.scalar(select(Supporter.email)) is None  # the updates' list does not have it
    assert db.session.scalar(audience_count(campaign.id)) == 0
    assert _partner_export(campaign, drain) == [["Aigerim Test", "aigerim@example.org"]]


def test_a_signer_withdraws_the_partners_permission_from_their_private_page(
    client, campaign, partner, sign, drain, smtp_server
):
    link = _signed(client, campaign, sign, drain, smtp_server, partner_may_contact="y")
    page = client.get(link).get_data(as_text=True)
    assert "You allowed ADC Memorial, who shared the campaign with you, to contact you" in page

    done = act(client, link, "stop_partner")

    assert done.status_code == 200
    assert "will no longer get your address from us" in done.get_data(as_text=True)
    assert (stored().partner_may_contact, stored().email) == (False, None)
    assert _partner_export(campaign, drain) == []


def test_stopping_updates_keeps_the_partners_permission_and_its_address(
    client, campaign, partner, sign, drain, smtp_server
):
    link = _signed(client, campaign, sign, drain, smtp_server, consent_updates="y", partner_may_contact="y")

    act(client, link, "stop_updates")

    assert (stored().wants_updates, stored().partner_may_contact) == (False, True)
    assert _partner_export(campaign, drain) == [["Aigerim Test", "aigerim@example.org"]]
    retention.forget_unneeded_addresses()
    db.session.commit()
    assert stored().email == "aigerim@example.org"


def test_erasure_clears_the_partners_permission(client, campaign, partner, sign, drain, smtp_server):
    link = _signed(client, campaign, sign, drain, smtp_server, partner_may_contact="y")

    act(client, link, "erase")

    assert (stored().partner_may_contact, stored().email) == (False, None)
    assert _partner_export(campaign, drain) == []


def test_stopping_all_mail_lets_no_partner_have_the_address(
    client, campaign, partner, sign, drain, smtp_server
):
    _signed(client, campaign, sign, drain, smtp_server, partner_may_contact="y")
    db.session.execute(db.update(Supporter).values(unsubscribed_at=utcnow()))  # as "stop all mail" does
    db.session.commit()

    assert _partner_export(campaign, drain) == []
    retention.forget_unneeded_addresses()
    db.session.commit()
    assert stored().email is None


def test_anonymising_a_closed_campaign_clears_the_partners_permission(
    client, campaign, partner, sign, drain, smtp_server
):
    _signed(client, campaign, sign, drain, smtp_server, partner_may_contact="y")
    campaign.status, campaign.closes_at = "closed", utcnow() - timedelta(days=181)
    db.session.commit()

    assert retention.apply_retention() == 1

    signature = db.session.scalar(select(Signature))
    assert signature is not None
    assert (signature.partner_may_contact, signature.email, signature.source) == (False, None, PARTNER)
