"""A delivered letter's proof of support on its public page, and a signer's receipt that says it
verifies, without JavaScript, at desktop and phone width."""

from __future__ import annotations

from sqlalchemy import select

from campaign.accounts.models import Organisation, User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.jobs import make_worker
from campaign.letters import services
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Recipient
from campaign.security import hash_token
from campaign.signatures.models import Signature, SignatureStatus
from tests.browser.conftest import PHONE, LiveServer, screenshot, watch

TOKEN = "browser-receipt-token"


def delivered_letter(live: LiveServer) -> str:
    """A letter tied to a demo campaign, signed and delivered, its evidence built; its slug."""
    with live.app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "free-roza-tuletayeva"))
        coordinator = db.session.scalar(select(Organisation).where(Organisation.slug == "adc-memorial"))
        owner = db.session.scalar(select(User).where(User.email == "adc-memorial@example.org"))
        assert campaign and coordinator and owner
        letter = services.create_letter(
            "browser-evidence", coordinator, owner, "en", "Free Roza", "We call for her **release**."
        )
        letter.campaign_id = campaign.id
        letter.recipients.append(
            Recipient(name="Head of State", titles={}, country="KZ", email="head@example.net", lang="en")
        )
        services.open_for_sign_on(letter)
        services.sign_on(letter, coordinator, owner, services.SignOnInput("A. Director", "Director"))
        signer = db.session.scalar(
            select(Signature)
            .where(Signature.campaign_id == campaign.id, Signature.status == SignatureStatus.CONFIRMED)
            .limit(1)
        )
        assert signer is not None
        signer.token_hash = hash_token(TOKEN)
        db.session.commit()
        slug, letter_id = letter.slug, letter.id
        deliver_letter(letter_id)
        make_worker(live.app).work(burst=True)
        return slug


def test_the_public_page_shows_the_root_and_a_signer_sees_their_receipt_verified(
    live: LiveServer, new_context
):
    slug = delivered_letter(live)
    page = new_context(javascript=False).new_page()
    watched = watch(page, live)

    page.goto(f"/en/letters/{slug}")
    proof = page.locator("section.proof")
    assert proof.locator("code").inner_text().strip()
    screenshot(page, "en/letter-proof-of-support")

    response = page.goto(f"/en/manage/{TOKEN}/receipt")
    assert response is not None and response.status == 200
    assert "Verified" in page.locator("section.receipt").inner_text()
    root = page.locator(".receipt-facts code").first.inner_text()
    assert root == proof_root(live, slug)
    screenshot(page, "en/signer-receipt")
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the receipt is {width[0]} px wide in a {width[1]} px window"
    assert watched.problems() == []


def proof_root(live: LiveServer, slug: str) -> str:
    return live.app.test_client().get(f"/api/v1/letters/{slug}").get_json()["evidence"]["merkle_root"]
