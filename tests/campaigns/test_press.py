"""The campaign page for the press: preview card tags and image, share links keeping ?ref=, the archive."""

from __future__ import annotations

import io
import re

from PIL import Image

from campaign.extensions import db


def _meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert match, f"no {key}"
    return match.group(1)


def test_the_page_has_open_graph_and_twitter_card_tags_with_our_own_image(client, campaign) -> None:
    html = client.get(f"/ru/campaigns/{campaign.slug}").get_data(as_text=True)

    page = f"https://campaign.example.org/ru/campaigns/{campaign.slug}"
    assert _meta(html, "og:title") == "Title ru"
    assert _meta(html, "og:url") == page
    assert _meta(html, "og:image") == _meta(html, "twitter:image") == f"{page}/card.png"
    assert _meta(html, "twitter:card") == "summary_large_image"


def test_the_preview_card_is_a_png_of_the_size_cards_expect(client, campaign) -> None:
    response = client.get(f"/en/campaigns/{campaign.slug}/card.png")

    assert response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.get_data())).size == (1200, 630)


def test_share_links_and_the_link_to_copy_keep_the_partners_ref(client, campaign) -> None:
    html = client.get(f"/en/campaigns/{campaign.slug}?ref=adc-memorial").get_data(as_text=True)

    link = f"https://campaign.example.org/en/campaigns/{campaign.slug}?ref=adc-memorial"
    assert f'id="share-link" type="text" readonly value="{link}"' in html
    share = f"/en/campaigns/{campaign.slug}/share/telegram?ref=adc-memorial"
    assert share in html
    target = client.get(share).location
    assert target.startswith("https://t.me/share/url?url=https%3A%2F%2Fcampaign.example.org%2F")
    assert "ref%3Dadc-memorial" in target


def test_a_won_campaign_says_so_and_stays_in_the_archive(client, create_campaign) -> None:
    won = create_campaign(slug="won-one", status="won")

    page = client.get(f"/en/campaigns/{won.slug}").get_data(as_text=True)
    archive = client.get("/en/campaigns?status=won").get_data(as_text=True)
    live = client.get("/en/campaigns").get_data(as_text=True)

    assert "This campaign was won." in page and 'name="email"' not in page
    assert f"/en/campaigns/{won.slug}" in archive and f"/en/campaigns/{won.slug}" not in live


def test_an_unknown_archive_tab_is_refused_with_the_live_list(client, campaign) -> None:
    response = client.get("/en/campaigns?status=lost")

    assert response.status_code == 400 and f"/en/campaigns/{campaign.slug}" in response.get_data(as_text=True)


def test_the_closing_date_is_shown_while_open(client, campaign) -> None:
    from datetime import datetime

    campaign.closes_at = datetime(2099, 5, 1)
    db.session.commit()

    assert "Signatures close on May 1, 2099." in client.get(f"/en/campaigns/{campaign.slug}").get_data(
        as_text=True
    )


def test_recent_signers_show_only_the_name_they_agreed_to_and_cut_long_ones(client, campaign) -> None:
    from campaign.models_base import utcnow
    from campaign.signatures.models import Signature, SignatureStatus

    for name in ("Aigerim K.", "Bartholomew-Alexander Wolfeschlegelsteinhausen Junior"):
        db.session.add(
            Signature(
                campaign_id=campaign.id,
                name=name,
                email=f"{len(name)}@example.org",
                email_hash=name,
                email_domain="example.org",
                country="TM",
                lang="en",
                ip_hash="a" * 32,
                status=SignatureStatus.CONFIRMED,
                is_name_public=True,
                confirmed_at=utcnow(),
                created_at=utcnow(),
            )
        )
    db.session.commit()

    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
    signers = html.split('class="signers"', 1)[1].split("</ul>", 1)[0]

    assert "<li>Aigerim K.</li>" in signers and "Turkmenistan" not in signers
    assert "Wolfeschlegelsteinhausen Junior" not in signers and "…</li>" in signers
