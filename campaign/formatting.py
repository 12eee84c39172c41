"""Numbers and dates as each language writes them: the one set of filters every template, email
and PDF uses (``{{ count|format_number }}``, ``{{ day|format_date }}``), never hand formatting.

One date format everywhere (CLDR's "long": "1 December 2026", "1 декабря 2026"), since the
short one is ambiguous across languages ("12/1/26"). Times are UTC, as stored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel import Locale, dates, numbers
from flask import Flask
from flask_babel import get_locale
from jinja2 import pass_context
from jinja2.runtime import Context


def _locale(lang: str | None) -> Locale:
    return Locale.parse(lang) if lang else (get_locale() or Locale.parse("en"))


def format_number(value: int | float | None, lang: str | None = None) -> str:
    """``12345`` as "12,345" in English, "12 345" in Russian (a no-break space)."""
    if value is None:
        return ""
    return numbers.format_decimal(value, locale=_locale(lang))


def format_date(value: date | datetime | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    return dates.format_date(value, "long", locale=_locale(lang))


def format_datetime(value: datetime | None, lang: str | None = None) -> str:
    """The long date and the hour and minute, joined as the language joins them."""
    if value is None:
        return ""
    locale = _locale(lang)
    return str(dates.get_datetime_format("medium", locale=locale)).format(
        format_time(value, lang), format_date(value, lang)
    )


def format_time(value: datetime, lang: str | None = None) -> str:
    """Hour and minute as the language writes them ("21:00", "9:00 PM")."""
    return dates.format_time(value, "short", locale=_locale(lang))


def format_percent(value: float, lang: str | None = None) -> str:
    """A share (0.45) as a whole percentage: "45%", "45 %" in French and Russian."""
    return numbers.format_percent(value, locale=_locale(lang))


def format_day(value: date | datetime, lang: str | None = None) -> str:
    """Day and month without the year, for chart labels ("1 Dec", "1 дек.")."""
    return dates.format_skeleton("MMMd", value, locale=_locale(lang))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        format_number=format_number,
        format_date=format_date,
        format_datetime=format_datetime,
        format_day=format_day,
        format_time=format_time,
        format_percent=format_percent,
    )
    _number_plurals(app)


def _number_plurals(app: Flask) -> None:
    """Templates' ``ngettext`` shows its ``num`` grouped per locale ("12 345 подписей"), unless
    the message formats it as ``%(num)d`` (small counts: hours, days)."""
    plain = app.jinja_env.globals["ngettext"]

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        if "%(num)d" not in singular:
            variables.setdefault("num", format_number(num))
        # a Jinja global is typed as any object; this one is Flask-Babel's ngettext
        return plain(context, singular, plural, num, **variables)  # type: ignore[operator]

    app.jinja_env.globals["ngettext"] = ngettext
