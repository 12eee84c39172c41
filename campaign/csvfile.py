"""CSV files that open anywhere: a UTF-8 byte-order mark, and cells spreadsheets will not run.

Excel reads a CSV without a byte-order mark in the machine's legacy code page, so Cyrillic,
Armenian or Georgian names come out as mojibake; with the mark it reads UTF-8, and so do
LibreOffice, Numbers, Google Sheets and Python's ``utf-8-sig``. Every CSV the system writes,
whether a job's file or a page's download, goes through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from flask import Response

BOM = "\ufeff"
#: the encoding that writes the byte-order mark first
ENCODING = "utf-8-sig"
#: a cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice, Sheets
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Prefix a would-be formula with an apostrophe, which spreadsheets show as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def open_for_writing(path: Path) -> IO[str]:
    """A text file that starts with the byte-order mark, for ``csv.writer``."""
    return path.open("w", newline="", encoding=ENCODING)


def write_rows(writer: Any, rows: Iterable[Sequence[object]]) -> None:
    """Write ``rows`` to a ``csv.writer``, each cell neutralised."""
    writer.writerows([neutralise(cell) for cell in row] for row in rows)


def download(file_name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """A small CSV built in memory, sent as an attachment that no cache keeps."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    write_rows(writer, rows)
    response = Response(buffer.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
