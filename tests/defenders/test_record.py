"""A defender's case record: facts with sources and verification, dates as precise as known."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient

from campaign.defenders.dates import DAY, MONTH, YEAR, PartialDate
from campaign.defenders.models import CHARGE, HEARING, SENTENCE, CaseFact, Defender, TimelineEvent
from campaign.extensions import db

Create = Callable[..., Defender]


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("2011", date(2011, 1, 1), YEAR),
        ("2011-12", date(2011, 12, 1), MONTH),
        ("2011-12-16", date(2011, 12, 16), DAY),
    ],
)
def test_a_partial_date_is_read_at_its_own_precision(text: str, day: date, precision: str) -> None:
    assert PartialDate.parse(text) == PartialDate(day, precision)
    assert PartialDate.parse(text).iso() == text


@pytest.mark.parametrize("text", ["16.12.2011", "2011-13", "2011-02-30", "11"])
def test_a_date_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_dates_are_shown_as_precisely_as_they_are_known(client: FlaskClient, create_defender: Create) -> None:
    defender = create_defender("roza", {"en": "Roza Tuletayeva"})
    defender.timeline = [
        TimelineEvent(happened_on=date(2011, 1, 1), precision=YEAR, texts={"en": "A year"}),
        TimelineEvent(happened_on=date(2011, 12, 1), precision=MONTH, texts={"en": "A month"}),
        TimelineEvent(happened_on=date(2011, 12, 16), precision=DAY, texts={"en": "A day"}),
    ]
    db.session.commit()

    html = client.get("/en/defenders/roza").get_data(as_text=True)

    assert '<time datetime="2011">2011</time> A year' in html
    assert '<time datetime="2011-12">December 2011</time> A month' in html
    assert '<time datetime="2011-12-16">December 16, 2011</time> A day' in html
    assert "December 1, 2011" not in html


def test_the_defender_page_shows_each_fact_with_its_source_and_verification(
    client: FlaskClient, create_defender: Create
) -> None:
    facts = [
        CaseFact(
            kind=CHARGE,
            article="Art. 164 Criminal Code",
            texts={"en": "Inciting social discord"},
            source_url="https://example.org/indictment",
            source_title="Indictment",
            verified_on=date(2026, 10, 2),
        ),
        CaseFact(
            kind=HEARING,
            happened_on=date(2012, 10, 8),
            texts={"en": "Aktau city court"},
            outcomes={"en": "Sentenced"},
        ),
        CaseFact(kind=SENTENCE, texts={"en": "7.5 years"}),
    ]
    create_defender("kozlov", {"en": "Vladimir Kozlov"}, facts=facts)

    html = client.get("/en/defenders/kozlov").get_data(as_text=True)

    assert "<strong>Art. 164 Criminal Code</strong>: Inciting social discord" in html
    assert '<a href="https://example.org/indictment" rel="noopener noreferrer">Indictment</a>' in html
    assert "last verified October 2, 2026" in html
    assert "Aktau city court" in html and "7.5 years" in html


def test_a_fact_is_shown_in_the_page_language_else_the_original(
    client: FlaskClient, create_defender: Create
) -> None:
    facts = [
        CaseFact(kind=SENTENCE, texts={"en": "5 years", "ru": "5 лет"}),
        CaseFact(kind=CHARGE, texts={"en": "Fraud"}),
    ]
    create_defender("roza", {"en": "Roza", "ru": "Роза"}, facts=facts)

    html = client.get("/ru/defenders/roza").get_data(as_text=True)

    assert "5 лет" in html and "5 years" not in html
    assert "Fraud" in html


def test_the_campaign_page_reads_the_defenders_record_and_links_the_full_case(
    client: FlaskClient, campaign
) -> None:
    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert "5 years" in html
    assert f"/en/defenders/{campaign.defender.slug}" in html
