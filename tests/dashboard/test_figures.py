"""The dashboard's figures, against a seeded data set with known answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from campaign.campaigns.models import Campaign
from campaign.dashboard import figures
from campaign.dashboard.chart import bar_chart
from campaign.formatting import format_time
from campaign.models_base import utcnow
from campaign.signatures.models import SignatureStatus


@pytest.fixture
def seeded(campaign: Campaign, add_signatures: Callable[..., None]) -> Campaign:
    now = utcnow()
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    add_signatures(campaign.id, 5, country="KZ", lang="ru", source="hrw", confirmed_at=this_hour)
    add_signatures(campaign.id, 3, country="RU", lang="en", confirmed_at=this_hour - timedelta(hours=2))
    add_signatures(
        campaign.id, 2, country="DE", lang="en", source="pen", confirmed_at=now - timedelta(days=5)
    )
    add_signatures(campaign.id, 4, status=SignatureStatus.PENDING)
    add_signatures(campaign.id, 1, status=SignatureStatus.INVALIDATED)
    add_signatures(campaign.id, 2, status=SignatureStatus.HELD, is_over_limit=True)
    return campaign


def test_status_counts_split_confirmed_pending_invalidated_and_held(seeded: Campaign) -> None:
    counts = figures.status_counts(seeded.id)

    assert (counts.confirmed, counts.pending, counts.invalidated, counts.held) == (10, 4, 1, 2)


def test_confirmation_rate_is_the_share_of_signatures_no_longer_pending(seeded: Campaign) -> None:
    assert figures.status_counts(seeded.id).confirmation_rate == pytest.approx(13 / 17)


def test_progress_is_counted_signatures_over_the_goal(seeded: Campaign) -> None:
    seeded.goal = 40

    assert figures.for_campaign(seeded).progress == pytest.approx(0.25)


def test_breakdowns_count_only_counted_signatures_largest_first(seeded: Campaign) -> None:
    found = figures.for_campaign(seeded)

    assert found.by_country == [("KZ", 5), ("RU", 3), ("DE", 2)]
    assert found.by_language == [("en", 5), ("ru", 5)]
    assert found.by_source == [("hrw", 5), (None, 3), ("pen", 2)]


def test_hourly_series_covers_48_hours_with_empty_hours_as_zero(seeded: Campaign) -> None:
    hourly = figures.for_campaign(seeded).hourly

    assert len(hourly) == 48
    assert [count for _, count in hourly[-3:]] == [3, 0, 5]
    assert sum(count for _, count in hourly) == 8


def test_daily_series_runs_from_the_first_day_to_today(seeded: Campaign) -> None:
    daily = figures.for_campaign(seeded).daily

    assert len(daily) == 6
    assert daily[0][1] == 2
    assert sum(count for _, count in daily) == 10


def test_partner_slice_counts_only_its_own_referral_code(seeded: Campaign) -> None:
    found = figures.for_partner(seeded, "pen")

    assert found.statuses.confirmed == 2
    assert found.by_country == [("DE", 2)]


def test_chart_escapes_its_label_and_draws_one_bar_per_bucket(seeded: Campaign) -> None:
    svg = bar_chart(figures.for_campaign(seeded).hourly, '<script>"x"</script>', format_time)

    assert "<script>" not in svg
    assert svg.count("<rect") == 48


def test_cached_figures_come_back_equal_to_fresh_ones(seeded: Campaign) -> None:
    fresh = figures.cached(seeded)

    assert figures.cached(seeded) == fresh
    assert figures.cached(seeded, "pen") == figures.for_partner(seeded, "pen")
