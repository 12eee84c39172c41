"""Numbers and dates as each language writes them."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, render_template_string
from flask_babel import force_locale

from campaign.formatting import format_date, format_datetime, format_number

DAY = date(2026, 12, 1)


def test_numbers_are_grouped_with_commas_in_english() -> None:
    assert format_number(12345, "en") == "12,345"


def test_numbers_are_grouped_with_no_break_spaces_in_russian() -> None:
    assert format_number(12345, "ru") == "12\u00a0345"


def test_numbers_are_grouped_with_dots_in_german() -> None:
    assert format_number(12345, "de") == "12.345"


def test_a_date_is_written_out_never_as_digits_with_slashes() -> None:
    assert format_date(date(2026, 12, 1), "en") == "December 1, 2026"


def test_a_date_in_russian_uses_the_genitive_month() -> None:
    assert format_date(date(2026, 12, 1), "ru") == "1 декабря 2026\u202f\u0433."


def test_a_time_is_shown_with_the_long_date() -> None:
    assert format_datetime(datetime(2026, 12, 1, 21, 5), "de") == "1. Dezember 2026, 21:05"


def test_the_filters_follow_the_pages_language(app: Flask) -> None:
    with app.test_request_context(), force_locale("fr"):
        html = render_template_string("{{ n|format_number }} · {{ d|format_date }}", n=12345, d=DAY)
    assert html == "12\u202f345 · 1 décembre 2026"


def test_plural_messages_in_templates_group_their_number(app: Flask) -> None:
    with app.test_request_context(), force_locale("ru"):
        html = render_template_string('{{ ngettext("%(num)s signature", "%(num)s signatures", 12345) }}')
    assert html.startswith("12\u00a0345 ")
