"""CSV exports of confirmed signatures, written by a ``bulk`` job and downloaded through a link that expires.

Files start with a UTF-8 byte-order mark (``campaign.csvfile``), so Excel shows Cyrillic names.

What a file holds is decided here, once, for everyone:

- a **staff** export lists every counted signature with the day it was confirmed, country,
  language and referral code; the name only when the signer agreed to show it publicly
  (otherwise the cell is empty); never an email address, IP hash or time of day.
- a **partner** export lists only signers who came through that organisation's referral code
  AND ticked the separate box that lets that partner contact them (``partner_may_contact``;
  asking for the campaign's updates is not consent to hear from a partner) and have not
  stopped all mail or been erased: their name and email, which they gave to be contacted, with
  country, language and the day.
"""

from __future__ import annotations

import csv
import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.sql import Select

from campaign import csvfile, jobclaims, jobs
from campaign.dashboard.figures import counted
from campaign.dashboard.models import PARTNER, STAFF, Export
from campaign.extensions import db
from campaign.jobclaims import JobStatus
from campaign.layout import stored_files
from campaign.models_base import rowcount, utcnow
from campaign.signatures.models import Signature, Supporter

log = logging.getLogger(__name__)

LINK_SALT = "export-download"

STAFF_HEADER = ("confirmed_on", "name", "country", "language", "source")
PARTNER_HEADER = ("name", "email", "country", "language", "confirmed_on")


def export_dir() -> Path:
    return stored_files("exports")


def _rows(export: Export) -> Select[*tuple[Any, ...]]:
    if export.kind == STAFF:
        return select(
            Signature.id,
            Signature.confirmed_at,
            Signature.is_name_public,
            Signature.name,
            Signature.country,
            Signature.lang,
            Signature.source,
        ).where(counted(export.campaign_id))
    unsubscribed = exists().where(
        and_(Supporter.email_hash == Signature.email_hash, Supporter.unsubscribed_at.is_not(None))
    )
    return select(
        Signature.id,
        Signature.name,
        Signature.email,
        Signature.country,
        Signature.lang,
        Signature.confirmed_at,
    ).where(
        counted(export.campaign_id, export.source or ""),
        Signature.partner_may_contact.is_(True),
        Signature.email.is_not(None),
        ~unsubscribed,
    )


def _cells(export: Export, row: Any) -> tuple[object, ...]:
    day = row.confirmed_at.date().isoformat() if row.confirmed_at else ""
    if export.kind == STAFF:
        return (day, row.name if row.is_name_public else "", row.country, row.lang, row.source)
    return (row.name, row.email, row.country, row.lang, day)


def request_export(
    campaign_id: int, user_id: int | None, organisation_id: int | None = None, source: str | None = None
) -> Export:
    """Create the export row; its job is queued after the caller's commit."""
    export = Export(
        campaign_id=campaign_id,
        kind=PARTNER if organisation_id is not None else STAFF,
        organisation_id=organisation_id,
        source=source,
        user_id=user_id,
        file_name=secrets.token_hex(16) + ".csv",
    )
    db.session.add(export)
    db.session.flush()
    jobs.enqueue_after_commit("export", export.id)
    return export


def cancel(export: Export) -> bool:
    """Cancel an export still waiting for a worker; False once it has started (or ended)."""
    return bool(
        rowcount(
            db.session.execute(
                update(Export)
                .where(Export.id == export.id, Export.status == JobStatus.QUEUED)
                .values(status=JobStatus.CANCELLED, finished_at=utcnow())
            )
        )
    )


def run_export(export_id: int) -> None:
    """Job: write the CSV in batches, moving the progress bar (and the heartbeat) after each one.

    The claim makes a second run of the same job a no-op while the first is alive, and lets a
    run take over an export whose worker died: it writes the file again from the start, to a
    partial file of its own, and a run that lost its claim stops without touching the result.
    """
    claimed_at = jobclaims.claim(Export, export_id, written_rows=0)
    if claimed_at is None:
        return
    export = db.session.get(Export, export_id)
    assert export is not None and export.file_name
    query = _rows(export)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    jobclaims.beat(Export, export_id, claimed_at, total_rows=total)
    db.session.commit()
    final = export_dir() / export.file_name
    for abandoned in final.parent.glob(f"{final.stem}.*.part"):  # a dead run's half-written file
        abandoned.unlink(missing_ok=True)
    partial = final.with_suffix(f".{secrets.token_hex(4)}.part")
    batch_rows = int(current_app.config["EXPORT_BATCH_ROWS"])
    try:
        with csvfile.open_for_writing(partial) as handle:
            writer = csv.writer(handle)
            writer.writerow(STAFF_HEADER if export.kind == STAFF else PARTNER_HEADER)
            last_id, written = 0, 0
            while True:
                batch = db.session.execute(
                    query.where(Signature.id > last_id).order_by(Signature.id).limit(batch_rows)
                ).all()
                if not batch:
                    break
                csvfile.write_rows(writer, (_cells(export, row) for row in batch))
                last_id, written = batch[-1].id, written + len(batch)
                if not jobclaims.beat(Export, export_id, claimed_at, written_rows=written):
                    raise _ClaimLost
                db.session.commit()
        if not jobclaims.beat(Export, export_id, claimed_at, status=JobStatus.DONE, finished_at=utcnow()):
            raise _ClaimLost
        partial.replace(final)
        db.session.commit()
    except _ClaimLost:
        db.session.rollback()
        partial.unlink(missing_ok=True)
    except Exception:
        db.session.rollback()
        partial.unlink(missing_ok=True)
        jobclaims.beat(Export, export_id, claimed_at, status=JobStatus.FAILED)
        db.session.commit()
        raise


class _ClaimLost(Exception):
    """Another run took this export over (this one was thought dead): leave the file to it."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def _max_age() -> int:
    return int(current_app.config["EXPORT_LINK_MAX_AGE"])


def download_token(export: Export) -> str:
    return str(_serializer().dumps(export.id))


def export_for_token(token: str) -> Export | None:
    """The finished export a download link names, if the link and the file are both still valid."""
    try:
        export_id = _serializer().loads(token, max_age=_max_age())
    except BadSignature:
        return None
    export = db.session.get(Export, export_id) if isinstance(export_id, int) else None
    if export is None or export.status != JobStatus.DONE or export.file_name is None or is_expired(export):
        return None
    return export if (export_dir() / export.file_name).is_file() else None


def is_expired(export: Export) -> bool:
    finished = export.finished_at or export.created_at
    return finished < utcnow() - timedelta(seconds=_max_age())


def clean_up_exports() -> int:
    """Periodic job: delete export files older than the link lifetime; return how many."""
    cutoff = utcnow() - timedelta(seconds=_max_age())
    old = db.session.scalars(
        select(Export).where(
            Export.status.in_((JobStatus.DONE, JobStatus.FAILED)),
            func.coalesce(Export.finished_at, Export.created_at) < cutoff,
        )
    ).all()
    for export in old:
        if export.file_name:
            (export_dir() / export.file_name).unlink(missing_ok=True)
        export.status = JobStatus.EXPIRED
    db.session.commit()
    return len(old)
