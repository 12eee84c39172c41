"""Entering paper signatures: sheets by count with a scan, and CSV imports of named signers.

Services flush; the view commits. An import is validated row by row: a row is refused with a
reason (missing name, unknown country, malformed address, or the same person already signed
online, on paper or earlier in the file, by normalised address) and the rest are kept.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from campaign.audit.services import record
from campaign.extensions import db
from campaign.i18n import is_country
from campaign.layout import stored_files
from campaign.paper.models import PaperSheet, PaperSigner
from campaign.signatures.models import Signature
from campaign.signatures.services import email_hash

#: rows an import may have; a larger list is split by whoever holds it
MAX_ROWS = 5000
MAX_SCAN_BYTES = 10 * 1024 * 1024
MAX_SCAN_SIDE = 10000
NAME_MAX = 100

#: why a row was refused (keys the page translates)
NAME_MISSING, COUNTRY_INVALID, EMAIL_INVALID = "name-missing", "country-invalid", "email-invalid"
ONLINE, ON_PAPER, IN_FILE = "duplicate-online", "duplicate-paper", "duplicate-file"


class PaperImportError(ValueError):
    """The file as a whole cannot be read (not CSV, no name column, too many rows)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ScanError(ValueError):
    pass


def scan_dir() -> Path:
    return stored_files("uploads", "paper")


def save_scan(upload: FileStorage, directory: Path | None = None) -> str:
    """Re-encode the scan as JPEG (no metadata survives) under a random name, in ``directory``
    (the paper sheets' by default)."""
    data = upload.read(MAX_SCAN_BYTES + 1)
    if len(data) > MAX_SCAN_BYTES:
        raise ScanError("too-large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("JPEG", "PNG") or max(image.size) > MAX_SCAN_SIDE:
                raise ScanError("format")
            pixels = image.convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        raise ScanError("format") from error
    name = secrets.token_hex(16) + ".jpg"
    pixels.save((directory or scan_dir()) / name, "JPEG", quality=85)
    return name


def offline_count(campaign_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(PaperSheet.count), 0)).where(PaperSheet.campaign_id == campaign_id)
        )
        or 0
    )


def offline_counts(campaign_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(PaperSheet.campaign_id, func.sum(PaperSheet.count))
        .where(PaperSheet.campaign_id.in_(campaign_ids))
        .group_by(PaperSheet.campaign_id)
    ).all()
    found = {campaign_id: int(total or 0) for campaign_id, total in rows}
    return {campaign_id: found.get(campaign_id, 0) for campaign_id in campaign_ids}


@dataclass(frozen=True)
class SheetInput:
    count: int
    country: str
    collected_on: date | None
    organisation_id: int | None
    note: str
    scan: str | None = None


def add_sheet(
    campaign_id: int, data: SheetInput, user_id: int | None, action: str = "paper.sheet_added"
) -> PaperSheet:
    sheet = PaperSheet(
        campaign_id=campaign_id,
        count=data.count,
        country=data.country,
        collected_on=data.collected_on,
        organisation_id=data.organisation_id,
        note=data.note,
        scan=data.scan,
        created_by_id=user_id,
    )
    db.session.add(sheet)
    db.session.flush()
    record(
        action,
        user_id=user_id,
        campaign_id=campaign_id,
        organisation_id=data.organisation_id,
        details={"sheet_id": sheet.id},
        affected=data.count,
    )
    return sheet


def _rows(content: bytes) -> list[dict[str, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PaperImportError("encoding") from error
    reader = csv.DictReader(io.StringIO(text))
    fields = [name.strip().lower() for name in reader.fieldnames or []]
    if "name" not in fields:
        raise PaperImportError("no-name-column")
    reader.fieldnames = fields
    rows: list[dict[str, str]] = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise PaperImportError("too-many-rows")
        rows.append({key: (value or "").strip() for key, value in row.items() if isinstance(key, str)})
    return rows


def _valid_email(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain and " " not in address and len(address) <= 254)


def import_signers(
    campaign_id: int, content: bytes, data: SheetInput, user_id: int | None
) -> tuple[PaperSheet, int]:
    """Import named signers (columns ``name``, optional ``email`` and ``country``); returns the
    sheet recording the import (its ``rejected`` lists refused rows) and how many were kept."""
    rows = _rows(content)
    online = set(db.session.scalars(select(Signature.email_hash).where(Signature.campaign_id == campaign_id)))
    on_paper = set(
        db.session.scalars(
            select(PaperSigner.email_hash).where(
                PaperSigner.campaign_id == campaign_id, PaperSigner.email_hash.is_not(None)
            )
        )
    )
    seen: set[str] = set()
    kept: list[PaperSigner] = []
    rejected: list[dict[str, object]] = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        name, address = row.get("name", ""), row.get("email", "")
        country = (row.get("country") or data.country).upper()
        reason = None
        if not name or len(name) > NAME_MAX:
            reason = NAME_MISSING
        elif not is_country(country):
            reason = COUNTRY_INVALID
        elif address and not _valid_email(address):
            reason = EMAIL_INVALID
        hashed = email_hash(address) if address and reason is None else None
        if hashed is not None:
            reason = ONLINE if hashed in online else ON_PAPER if hashed in on_paper else None
            reason = reason or (IN_FILE if hashed in seen else None)
            seen.add(hashed)
        if reason is not None:
            rejected.append({"row": number, "reason": reason})
            continue
        kept.append(PaperSigner(campaign_id=campaign_id, name=name, country=country, email_hash=hashed))
    counted = SheetInput(**{**data.__dict__, "count": len(kept)})
    sheet = add_sheet(campaign_id, counted, user_id, action="paper.imported")
    sheet.rejected = rejected
    for signer in kept:
        signer.sheet_id = sheet.id
    db.session.add_all(kept)
    db.session.flush()
    return sheet, len(kept)
