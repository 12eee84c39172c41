"""Dates known to a year, a month or a day, shown exactly as precisely as they are known.

Stored as two columns: the first day of the period (so rows sort and filter as dates) and its
precision. Written and read in forms as ISO 8601 with reduced precision: ``2011``, ``2011-12``,
``2011-12-16``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton
from flask_babel import format_date, get_locale

YEAR, MONTH, DAY = "year", "month", "day"

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    day: date
    precision: str = DAY

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``2011``, ``2011-12`` or ``2011-12-16``; ValueError for anything else."""
        match = _ISO.match(text.strip())
        if not match:
            raise ValueError(text)
        year, month, day = match.groups()
        if day:
            return cls(date(int(year), int(month), int(day)), DAY)
        if month:
            return cls(date(int(year), int(month), 1), MONTH)
        return cls(date(int(year), 1, 1), YEAR)

    @classmethod
    def of(cls, day: date | None, precision: str | None) -> PartialDate | None:
        return None if day is None else cls(day, precision or DAY)

    def iso(self) -> str:
        """The ISO 8601 form at its own precision (also a valid HTML ``<time datetime>``)."""
        if self.precision == YEAR:
            return f"{self.day.year:04d}"
        if self.precision == MONTH:
            return f"{self.day.year:04d}-{self.day.month:02d}"
        return self.day.isoformat()

    def display(self) -> str:
        """In the page's locale: ``2011``, ``December 2011``, ``16 December 2011``."""
        if self.precision == YEAR:
            return format_skeleton("y", self.day, locale=get_locale())
        if self.precision == MONTH:
            return format_skeleton("yMMMM", self.day, locale=get_locale())
        return format_date(self.day, "long")

    def __str__(self) -> str:
        return self.iso()
