"""The campaign page's country breakdown as a browser shows it: without JavaScript, axe-clean,
within a phone's width."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from playwright.sync_api import BrowserContext

from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus
from tests.browser.conftest import PHONE, LiveServer, screenshot, serious_accessibility_violations

SLUG = "free-roza-tuletayeva"


def _add_signers(live: LiveServer, by_country: dict[str, int]) -> None:
    with live.app.app_context():
        campaign_id = db.session.scalar(sa.select(Campaign.id).where(Campaign.slug == SLUG))
        now = utcnow()
        rows = [
            {
                "campaign_id": campaign_id,
                "name": "",
                "email_hash": f"browser-countries-{country}-{n}",
                "email_domain": "example.org",
                "country": country,
                "lang": "en",
                "ip_hash": "b" * 32,
                "status": SignatureStatus.CONFIRMED,
                "is_name_public": False,
                "wants_updates": False,
                "is_over_limit": False,
                "created_at": now,
                "confirmed_at": now,
            }
            for country, number in by_country.items()
            for n in range(number)
        ]
        db.session.execute(sa.insert(Signature), rows)
        db.session.commit()
        counts.reconcile(campaign_id)


def test_the_country_breakdown_reads_without_javascript_on_a_desktop_and_a_phone(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    _add_signers(live, {"KZ": 40, "RU": 15, "KG": 12, "TJ": 3, "BY": 2})
    for label, context in (("desktop", new_context(javascript=False)), ("phone", new_context(False, PHONE))):
        page = context.new_page()
        page.goto(f"/ru/campaigns/{SLUG}")
        table = page.locator("section.countries table")

        rows = table.locator("tbody tr").all_inner_texts()
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        page.locator("section.countries").screenshot(path=f"/tmp/register-countries-{label}.png")

        assert rows[0].startswith("Казахстан") and rows[-1].startswith("Другие страны"), rows
        assert not any(row.startswith(("Таджикистан", "Беларусь")) for row in rows), rows
        assert width[0] <= width[1], f"{width[0]} px wide in a {width[1]} px window"
        assert table.bounding_box()["width"] <= width[1]
    screenshot(page, "ru/campaign-countries")
    axe_page = new_context(javascript=True).new_page()
    axe_page.goto(f"/ru/campaigns/{SLUG}")
    assert serious_accessibility_violations(axe_page) == []
