"""CSV cells that spreadsheet programs will not run as formulas."""

from __future__ import annotations

#: a cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice, Sheets
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Prefix a would-be formula with an apostrophe, which spreadsheets show as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
