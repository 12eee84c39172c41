"""What partners put on their sites: the frameable campaign card and the count badge."""

from __future__ import annotations

from xml.etree import ElementTree

from sqlalchemy import select

from campaign.accounts.models import Organisation
from campaign.extensions import db
from campaign.signatures.models import Signature
from tests.conftest import form_token


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

    assert f'href="https://campaign.example.org/en/campaigns/{campaign.slug}?ref=adc-memorial"' in html
    assert f'action="/en/embed/campaigns/{campaign.slug}?ref=adc-memorial"' in html
    assert 'name="ref" value="adc-memorial"' in html
    assert "ADC Memorial, who shared this campaign with me, may have my name and email address" in html


def test_an_unknown_ref_is_not_carried(client, campaign) -> None:
    html = client.get(f"/en/embed/campaigns/{campaign.slug}?ref=nobody").get_data(as_text=True)
    sent = client.get(f"/en/embed/campaigns/{campaign.slug}/check-email?ref=nobody").get_data(as_text=True)

    assert "ref=nobody" not in html
    assert "ref=nobody" not in sent and f'href="/en/embed/campaigns/{campaign.slug}"' in sent


def test_the_badge_is_an_svg_with_the_count(client, campaign) -> None:
    response = client.get(f"/campaigns/{campaign.slug}/badge.svg")

    assert response.mimetype == "image/svg+xml"
    svg = ElementTree.fromstring(response.get_data())  # noqa: S314 (our own output)
    texts = [element.text for element in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[-1] == "0"


FIELDS = {"name": "Aigerim", "email": "aigerim@example.org", "country": "KZ"}


def _frameable(response) -> bool:
    return "frame-ancestors *" in response.headers["Content-Security-Policy"] and (
        "X-Frame-Options" not in response.headers
    )


def test_signing_in_the_frame_signs_as_the_page_does_and_answers_in_a_frameable_page(
    app, campaign, drain, smtp_server
) -> None:
    db.session.add(Organisation(slug="adc-memorial", names={"en": "ADC Memorial"}))
    db.session.commit()
    frame = app.test_client(use_cookies=False)
    url = f"/en/embed/campaigns/{campaign.slug}?ref=adc-memorial"
    data = FIELDS | {"ref": "adc-memorial", "form_token": form_token(frame, url)}

    signed = frame.post(url, data=data)
    sent = frame.get(signed.headers["Location"])
    drain()

    assert signed.status_code == 303
    assert signed.headers["Location"] == f"/en/embed/campaigns/{campaign.slug}/check-email?ref=adc-memorial"
    assert sent.status_code == 200 and _frameable(sent) and "check your email" in sent.get_data(as_text=True)
    # "back" leads to the partner's own form again, not the plain one
    assert f'href="/en/embed/campaigns/{campaign.slug}?ref=adc-memorial"' in sent.get_data(as_text=True)
    assert db.session.scalar(select(Signature.source)) == "adc-memorial"
    assert smtp_server.to("aigerim@example.org")
    assert "Set-Cookie" not in signed.headers and "Set-Cookie" not in sent.headers


def test_a_failed_submit_in_the_frame_shows_its_errors_in_the_frame(app, campaign) -> None:
    frame = app.test_client(use_cookies=False)
    url = f"/en/embed/campaigns/{campaign.slug}"

    response = frame.post(
        url,
        data={
            "name": "Aigerim",
            "email": "not an address",
            "country": "KZ",
            "form_token": form_token(frame, url),
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422 and _frameable(response)
    assert "Please enter a valid email address" in html and 'value="Aigerim"' in html
    assert db.session.scalar(select(Signature.id)) is None


def test_a_frame_form_without_its_token_is_refused_in_the_frame(app, campaign) -> None:
    response = app.test_client(use_cookies=False).post(f"/en/embed/campaigns/{campaign.slug}", data=FIELDS)

    assert response.status_code == 400 and _frameable(response)
    assert "open too long" in response.get_data(as_text=True)
