"""Translated labels and helpers the dashboard's templates share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel import Locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.dashboard.chart import bar_chart, cumulative_chart
from campaign.dashboard.figures import Figures
from campaign.formatting import format_day, format_time
from campaign.i18n import current_lang
from campaign.signatures.sources import source_label

INVALIDATION_STATUS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "cancelling": _l("Stopping"),
    "cancelled": _l("Cancelled"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}

SIGNATURE_STATUS = {
    "pending": _l("Pending"),
    "confirmed": _l("Confirmed"),
    "invalidated": _l("Invalidated"),
}

EXPORT_STATUS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
    "expired": _l("Expired"),
    "cancelled": _l("Cancelled"),
}


def language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(current_lang()) or code
    except (ValueError, TypeError):
        return code


def language_names(codes: list[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


def hour_label(value: datetime) -> str:
    """A bar of the hourly chart: its day and hour, so the axis shows where one day ends."""
    return f"{format_day(value)} {format_time(value)}"


def charts(figures: Figures) -> dict[str, Any]:
    return {
        "hourly": bar_chart(figures.hourly, _("Confirmed signatures per hour, last 48 hours"), hour_label),
        "daily": bar_chart(figures.daily, _("Confirmed signatures per day"), format_day),
        "cumulative": cumulative_chart(
            figures.daily,
            figures.goal,
            _("Confirmed signatures in total, day by day, and the goal"),
            _("Goal"),
            format_day,
        ),
    }


def context() -> dict[str, Any]:
    return {
        "invalidation_status": INVALIDATION_STATUS,
        "export_status": EXPORT_STATUS,
        "signature_status": SIGNATURE_STATUS,
        "language_name": language_name,
        "language_names": language_names,
        "source_label": source_label,
    }
