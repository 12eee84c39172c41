"""Public pages: language selection, campaign content and its fallback, security headers."""

from __future__ import annotations

import re

from campaign.extensions import db
from tests.postgres import end_server_connections


def test_the_root_sends_visitors_to_their_language(client):
    assert client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).location == "/ru/"
    assert client.get("/", headers={"Accept-Language": "pt-BR"}).location == "/en/"


def test_an_unsupported_language_prefix_is_not_found(client, campaign):
    assert client.get(f"/xx/campaigns/{campaign.slug}").status_code == 404


def test_the_home_page_lists_live_campaigns_only(client, create_campaign):
    create_campaign(slug="live-one")
    create_campaign(slug="draft-one", status="draft")

    html = client.get("/en/").get_data(as_text=True)

    assert "/en/campaigns/live-one" in html
    assert "draft-one" not in html


def test_the_page_is_marked_with_its_language_and_switches_in_place(client, campaign):
    html = client.get(f"/ru/campaigns/{campaign.slug}").get_data(as_text=True)

    assert '<html lang="ru">' in html
    assert f'href="/en/campaigns/{campaign.slug}" hreflang="en"' in html
    assert "Поставьте свою подпись" in html


def test_the_campaign_page_shows_the_case_demand_and_count(client, campaign):
    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    for expected in (
        "Title en",
        "Roza T (en)",
        "Sentenced",
        "5 years",
        "To: The President",
        "Release her",
        "0 people have signed",
        'name="email"',
        'name="country"',
    ):
        assert expected in html


def test_an_untranslated_campaign_falls_back_with_a_notice(client, create_campaign):
    create_campaign(slug="russian-only", langs=("ru",))

    html = client.get("/en/campaigns/russian-only").get_data(as_text=True)

    assert "Title ru" in html
    assert "not yet available in your language" in html


def test_country_names_follow_the_page_language(client, campaign):
    html = client.get(f"/ru/campaigns/{campaign.slug}").get_data(as_text=True)

    assert '<option value="KZ">Казахстан</option>' in html


def test_a_draft_or_unknown_campaign_is_not_found(client, create_campaign):
    create_campaign(slug="secret-draft", status="draft")

    assert client.get("/en/campaigns/secret-draft").status_code == 404
    response = client.get("/ru/campaigns/nothing-here")
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


def test_campaign_markdown_is_sanitised(client, campaign):
    campaign.translations["en"].body = "**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    db.session.commit()

    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html


def test_pages_carry_a_strict_content_security_policy(client, campaign):
    response = client.get(f"/en/campaigns/{campaign.slug}")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    assert "<script" not in html and "style=" not in html
    assert not re.search(r'(src|href)="https?://(?!campaign\.example\.org)', html.split("<main")[0])


def test_strict_transport_security_only_where_cookies_are_secure(app, client, campaign):
    assert "Strict-Transport-Security" not in client.get(f"/en/campaigns/{campaign.slug}").headers

    app.config["SESSION_COOKIE_SECURE"] = True
    response = client.get(f"/en/campaigns/{campaign.slug}")

    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]


def test_a_response_keeps_a_security_header_it_sets_itself(app, client):
    @app.get("/own-policy")
    def own_policy() -> tuple[str, int, dict[str, str]]:
        return "ok", 200, {"content-security-policy": "default-src 'none'"}

    response = client.get("/own-policy")

    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_placeholder_photo_is_an_svg_with_initials(client, campaign):
    response = client.get(f"/defenders/{campaign.defender.slug}/photo.svg")

    assert response.mimetype == "image/svg+xml"
    assert ">RT<" in response.get_data(as_text=True)


def test_health_answers_once_the_database_is_reachable(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_connections_the_database_closed_are_replaced_before_a_request_uses_them(client, campaign):
    slug = campaign.slug
    assert client.get("/healthz").status_code == 200  # the pool now holds idle connections
    end_server_connections()

    assert client.get(f"/en/campaigns/{slug}").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_partner_link_names_the_partner_in_a_consent_box_of_its_own(client, campaign):
    from campaign.accounts.services import find_or_create_organisation

    find_or_create_organisation("ADC Memorial")
    db.session.commit()

    shared = client.get(f"/en/campaigns/{campaign.slug}?ref=adc-memorial").get_data(as_text=True)
    plain = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert "ADC Memorial, who shared this campaign with me, may have my name and email address" in shared
    assert 'name="partner_may_contact"' in shared
    assert "from the campaign and from ADC Memorial" not in shared  # the updates are the campaign's alone
    assert "ADC Memorial" not in plain and 'name="partner_may_contact"' not in plain


def test_staff_preview_a_draft_as_the_public_will_see_it(client, create_campaign, create_user, login):
    draft = create_campaign("draft-case", status="draft")
    login(create_user("campaigner@example.org", role="campaigner"))

    response = client.get(f"/en/campaigns/{draft.slug}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Draft preview: only staff can see this page." in html and "Title en" in html


def test_a_draft_stays_hidden_from_partners_and_the_public(client, create_campaign, create_user, login):
    draft = create_campaign("draft-case", status="draft")
    assert client.get(f"/en/campaigns/{draft.slug}").status_code == 404

    login(create_user("partner@example.org", org="PEN Kazakhstan"))

    assert client.get(f"/en/campaigns/{draft.slug}").status_code == 404
