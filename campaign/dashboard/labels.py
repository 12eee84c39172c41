"""Translated labels and helpers the dashboard's templates share."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.dashboard.chart import bar_chart
from campaign.dashboard.figures import Figures
from campaign.formatting import format_day, format_time
from campaign.i18n import current_lang

INVALIDATION_STATUS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "cancelling": _l("Stopping"),
    "cancelled": _l("Cancelled"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}


def language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(current_lang()) or code
    except (ValueError, TypeError):
        return code


def language_names(codes: list[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


def source_label(source: str | None) -> str:
    return source if source else _("Direct (no partner link)")


def charts(figures: Figures) -> dict[str, Any]:
    return {
        "hourly": bar_chart(figures.hourly, _("Confirmed signatures per hour, last 48 hours"), format_time),
        "daily": bar_chart(figures.daily, _("Confirmed signatures per day"), format_day),
    }


def context() -> dict[str, Any]:
    return {
        "invalidation_status": INVALIDATION_STATUS,
        "language_name": language_name,
        "language_names": language_names,
        "source_label": source_label,
    }
