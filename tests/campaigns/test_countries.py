"""The campaign page's country breakdown: drawn on the server, a real table, small counts folded."""

from __future__ import annotations

import re

import sqlalchemy as sa

from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus


def _add(campaign_id: int, country: str, n: int, status: str = SignatureStatus.CONFIRMED) -> None:
    now = utcnow()
    start = db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) or 0
    rows = [
        {
            "campaign_id": campaign_id,
            "name": f"Signer {number}",
            "email_hash": f"{number:064d}",
            "email_domain": "example.org",
            "country": country,
            "lang": "en",
            "ip_hash": f"{number:032d}",
            "status": status,
            "is_name_public": False,
            "wants_updates": False,
            "is_over_limit": False,
            "created_at": now,
            "confirmed_at": now if status == SignatureStatus.CONFIRMED else None,
        }
        for number in range(start, start + n)
    ]
    db.session.execute(sa.insert(Signature), rows)
    db.session.commit()


def _section(html: str) -> str:
    return html.split('<section class="countries"', 1)[1].split("</section>", 1)[0]


def _breakdown(html: str) -> list[tuple[str, str]]:
    section = _section(html)
    return re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="number">([^<]+)</td>', section)


def test_the_breakdown_names_large_countries_largest_first_and_folds_small_ones_into_other(
    client, campaign
) -> None:
    _add(campaign.id, "KZ", 30)
    _add(campaign.id, "RU", 12)
    _add(campaign.id, "TM", 3)
    _add(campaign.id, "BY", 2)
    _add(campaign.id, "UZ", 40, status=SignatureStatus.PENDING)
    counts.reconcile(campaign.id)

    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert _breakdown(html) == [("Kazakhstan", "30"), ("Russia", "12"), ("Other countries", "5")]
    assert "Turkmenistan" not in _section(html) and "Uzbekistan" not in _section(html)
    assert '<svg class="bar"' in _section(html) and 'aria-hidden="true"' in _section(html)
    assert "<script" not in html


def test_numbers_and_names_follow_the_pages_language(client, campaign) -> None:
    _add(campaign.id, "KZ", 1200)
    counts.reconcile(campaign.id)

    html = client.get(f"/de/campaigns/{campaign.slug}").get_data(as_text=True)

    assert _breakdown(html) == [("Kasachstan", "1.200")]
    assert "100\u00a0%" in _section(html)


def test_no_breakdown_while_no_country_has_enough_signers_to_be_named(client, campaign) -> None:
    _add(campaign.id, "KZ", 9)
    counts.reconcile(campaign.id)

    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert 'class="countries"' not in html
