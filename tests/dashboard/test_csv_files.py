"""CSV files open anywhere: a UTF-8 byte-order mark first, Cyrillic intact; the figures as CSV too."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from flask.testing import FlaskClient

from campaign.accounts import services as account_services
from campaign.accounts.models import User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.models_base import utcnow
from tests.conftest import csrf_token

BOM = b"\xef\xbb\xbf"


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_downloaded_signature_export_starts_with_the_byte_order_mark(
    client: FlaskClient,
    staff: User,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
) -> None:
    add_signatures(campaign.id, name="Айгерим Тестова", is_name_public=True)
    url = f"/en/dashboard/campaigns/{campaign.slug}"
    progress = client.post(f"{url}/exports", data={"csrf_token": csrf_token(client, url)})
    drain()
    page = client.get(progress.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="([^"]*/exports/download/[^"]+)"', page)
    assert link
    download = client.get(link.group(1))
    body = download.get_data()
    download.close()

    assert body.startswith(BOM)
    assert _rows(body)[1][1] == "Айгерим Тестова"


def test_figures_per_country_download_as_csv_with_the_byte_order_mark(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 3, country="KZ")
    add_signatures(campaign.id, 2, country="AM")

    response = client.get(f"/en/dashboard/campaigns/{campaign.slug}/figures/countries.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data().startswith(BOM)
    assert _rows(response.get_data()) == [["country", "confirmed_signatures"], ["KZ", "3"], ["AM", "2"]]


def test_figures_per_day_count_each_day_of_confirmation(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    add_signatures(campaign.id, 4)

    rows = _rows(client.get(f"/en/dashboard/campaigns/{campaign.slug}/figures/daily.csv").get_data())

    assert rows == [["day_utc", "confirmed_signatures"], [utcnow().date().isoformat(), "4"]]


def test_figures_per_partner_name_the_organisation_beside_its_code(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    organisation = account_services.find_or_create_organisation("PEN Kazakhstan")
    db.session.commit()
    add_signatures(campaign.id, 2, source=organisation.slug)

    rows = _rows(client.get(f"/en/dashboard/campaigns/{campaign.slug}/figures/partners.csv").get_data())

    assert rows[1] == [organisation.slug, "PEN Kazakhstan", "2"]


def test_the_dashboard_names_partners_rather_than_their_codes(
    client: FlaskClient, staff: User, campaign: Campaign, add_signatures: Callable[..., None]
) -> None:
    organisation = account_services.find_or_create_organisation("PEN Kazakhstan")
    db.session.commit()
    add_signatures(campaign.id, 2, source=organisation.slug)

    html = client.get(f"/en/dashboard/campaigns/{campaign.slug}").get_data(as_text=True)

    assert "<td>PEN Kazakhstan</td>" in html


def test_an_unknown_figures_file_is_404(client: FlaskClient, staff: User, campaign: Campaign) -> None:
    assert client.get(f"/en/dashboard/campaigns/{campaign.slug}/figures/emails.csv").status_code == 404
