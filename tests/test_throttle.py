"""Rate limits: their notation, and counting in Redis."""

from __future__ import annotations

import pytest

from campaign import create_app
from campaign.throttle import Limit, count_attempts, parse_limits


def test_limits_are_written_as_attempts_per_period():
    assert parse_limits("20 per minute;200 per hour") == ((20, 60), (200, 3600))
    assert parse_limits("10/day") == ((10, 86400),)
    assert parse_limits("5 per 2 minutes") == ((5, 120),)


def test_a_limit_that_is_not_one_says_how_to_write_it():
    with pytest.raises(ValueError, match="20 per minute"):
        parse_limits("twenty a minute")


def test_each_limit_counts_on_its_own_in_one_round_trip(app):
    tight, loose = Limit("t", "k", 2, 60), Limit("l", "k", 100, 60)

    results = [count_attempts([tight, loose]) for _ in range(3)]

    assert results == [[True, True], [True, True], [False, True]]


def test_turning_limits_off_counts_nothing(app):
    app.config["RATELIMIT_ENABLED"] = False

    assert count_attempts([Limit("t", "k", 0, 60)] * 3) == [True, True, True]


def test_a_mistyped_signing_limit_stops_the_app_from_starting(base_config):
    with pytest.raises(ValueError, match="20 per minute"):
        create_app({**base_config, "SIGN_RATE_LIMIT": "20 a minute"})
