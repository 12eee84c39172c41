"""The public JSON API, as DESIGN.md section 4 specifies it."""

from __future__ import annotations

from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.security import keyed_hash
from campaign.signatures import counts
from campaign.signatures.models import Signature, SignatureStatus


def add_signatures(
    campaign_id: int, country: str, how_many: int, status: str = SignatureStatus.CONFIRMED
) -> None:
    for number in range(how_many):
        address = f"{country}-{status}-{number}@example.net"
        db.session.add(
            Signature(
                campaign_id=campaign_id,
                name="N",
                email=address,
                email_hash=keyed_hash("email", address),
                email_domain="example.net",
                country=country,
                lang="en",
                ip_hash="x",
                status=status,
                confirmed_at=utcnow() if status == SignatureStatus.CONFIRMED else None,
            )
        )
    db.session.commit()


def test_the_campaign_list_has_the_documented_fields(client, campaign):
    body = client.get("/api/v1/campaigns").get_json()

    [entry] = body["campaigns"]
    assert set(entry) == {"slug", "title", "signature_count", "goal", "url"}
    assert entry["url"] == f"https://campaign.example.org/en/campaigns/{campaign.slug}"


def test_small_countries_are_grouped_into_other(client, campaign):
    add_signatures(campaign.id, "KZ", 12)
    add_signatures(campaign.id, "TM", 2)
    add_signatures(campaign.id, "UZ", 3)
    add_signatures(campaign.id, "RU", 5, status=SignatureStatus.PENDING)
    counts.reconcile(campaign.id)

    body = client.get(f"/api/v1/campaigns/{campaign.slug}").get_json()

    assert body["signature_count"] == 17
    assert body["signatures_by_country"] == {"KZ": 12, "other": 5}
    assert set(body) == {
        "slug",
        "title",
        "status",
        "goal",
        "signature_count",
        "offline_signature_count",
        "signatures_by_country",
        "held_for_review",
        "updated_at",
    }


def test_the_count_is_right_even_when_redis_has_none(client, campaign):
    add_signatures(campaign.id, "KZ", 3)

    assert client.get(f"/api/v1/campaigns/{campaign.slug}").get_json()["signature_count"] == 3


def test_lang_picks_the_language_of_titles(client, campaign):
    assert client.get(f"/api/v1/campaigns/{campaign.slug}?lang=ru").get_json()["title"] == "Title ru"
    assert client.get(f"/api/v1/campaigns/{campaign.slug}?lang=zz").get_json()["title"] == "Title en"


def test_unknown_slugs_answer_404_json(client):
    response = client.get("/api/v1/campaigns/nope")

    assert response.status_code == 404
    assert response.is_json


def test_answers_are_cacheable_by_a_cdn(client, campaign):
    response = client.get(f"/api/v1/campaigns/{campaign.slug}")

    assert response.headers["Cache-Control"] == "public, max-age=5, stale-while-revalidate=30"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
