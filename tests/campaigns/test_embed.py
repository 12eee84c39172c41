"""What partners put on their sites: the frameable campaign card and the count badge."""

from __future__ import annotations

from xml.etree import ElementTree

from campaign.accounts.models import Organisation
from campaign.extensions import db


def test_the_embed_page_may_be_framed_by_any_site_and_sets_no_cookie(client, campaign) -> None:
    response = client.get(f"/en/embed/campaigns/{campaign.slug}")

    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert "<script" not in response.get_data(as_text=True)


def test_other_pages_still_refuse_frames(client, campaign) -> None:
    response = client.get(f"/en/campaigns/{campaign.slug}")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_embed_keeps_a_known_partners_ref_and_shows_its_consent_line(client, campaign) -> None:
    organisation = Organisation(slug="adc-memorial", names={"en": "ADC Memorial"})
    db.session.add(organisation)
    db.session.commit()

    html = client.get(f"/en/embed/campaigns/{campaign.slug}?ref=adc-memorial").get_data(as_text=True)

    assert f"/en/campaigns/{campaign.slug}?ref=adc-memorial#sign" in html
    assert "from ADC Memorial, who shared it with you" in html


def test_an_unknown_ref_is_not_carried(client, campaign) -> None:
    html = client.get(f"/en/embed/campaigns/{campaign.slug}?ref=nobody").get_data(as_text=True)

    assert "ref=nobody" not in html


def test_the_badge_is_an_svg_with_the_count(client, campaign) -> None:
    response = client.get(f"/campaigns/{campaign.slug}/badge.svg")

    assert response.mimetype == "image/svg+xml"
    svg = ElementTree.fromstring(response.get_data())  # noqa: S314 (our own output)
    texts = [element.text for element in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[-1] == "0"
