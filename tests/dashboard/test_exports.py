"""CSV exports: what they hold, formula neutralisation, the job, and the expiring link."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import Flask
from PIL import Image

from campaign import jobs
from campaign.accounts import logos
from campaign.campaigns.models import Campaign
from campaign.csvfile import neutralise
from campaign.dashboard import exports
from campaign.dashboard.models import Export
from campaign.extensions import db, queues
from campaign.jobclaims import JobStatus
from campaign.models_base import utcnow
from campaign.signatures.models import SignatureStatus, Supporter


def _run(campaign: Campaign, drain: Callable[[], None], **partner: object) -> Export:
    export = exports.request_export(campaign.id, user_id=None, **partner)  # type: ignore[arg-type]
    db.session.commit()  # queues its job
    drain()
    return db.session.get(Export, export.id)  # type: ignore[return-value]


def _read(export: Export) -> list[list[str]]:
    assert export.file_name
    with (exports.export_dir() / export.file_name).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_cells_that_would_be_formulas_are_neutralised() -> None:
    cells = ["=HYPERLINK(1)", "+7 701", "-2", "@SUM(A1)", "\tx", "\rx", "Aigerim"]

    assert [neutralise(cell) for cell in cells] == [
        "'=HYPERLINK(1)",
        "'+7 701",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "Aigerim",
    ]


def test_export_job_writes_counted_signatures_with_public_names_only(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, name="=cmd|calc", is_name_public=True, source="hrw")
    add_signatures(campaign.id, name="Hidden Person", is_name_public=False)
    add_signatures(campaign.id, status=SignatureStatus.PENDING, is_name_public=True)
    add_signatures(campaign.id, status=SignatureStatus.HELD, is_name_public=True)

    export = _run(campaign, drain)

    assert (export.status, export.total_rows, export.written_rows, export.percent) == (
        JobStatus.DONE,
        2,
        2,
        100,
    )
    header, *rows = _read(export)
    assert header == list(exports.STAFF_HEADER)
    assert sorted(row[1:] for row in rows) == [["", "KZ", "en", ""], ["'=cmd|calc", "KZ", "en", "hrw"]]
    assert "@" not in "".join(",".join(row) for row in rows)


def test_partner_export_holds_only_its_consenting_subscribed_signers(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    """Consent to the partner is its own box: asking for the campaign's updates is not it."""
    add_signatures(
        campaign.id, name="Lets Us", email="lets@example.org", source="pen", partner_may_contact=True
    )
    add_signatures(campaign.id, name="Both", email="both@example.org", source="pen", wants_updates=True,
                   partner_may_contact=True)  # fmt: skip
    add_signatures(
        campaign.id, name="Updates Only", email="updates@example.org", source="pen", wants_updates=True
    )
    add_signatures(campaign.id, name="No Consent", email="none@example.org", source="pen")
    add_signatures(
        campaign.id, name="Other Org", email="hrw@example.org", source="hrw", partner_may_contact=True
    )
    add_signatures(campaign.id, name="Gone", email="gone@example.org", source="pen", partner_may_contact=True)
    gone_hash = db.session.scalar(db.select(exports.Signature.email_hash).filter_by(name="Gone"))
    db.session.add(Supporter(email_hash=gone_hash, email=None, lang="en", unsubscribed_at=utcnow()))
    db.session.commit()

    export = _run(campaign, drain, organisation_id=7, source="pen")

    day = utcnow().date().isoformat()
    assert sorted(_read(export)[1:]) == [
        ["Both", "both@example.org", "KZ", "en", day],
        ["Lets Us", "lets@example.org", "KZ", "en", day],
    ]


def test_download_link_stops_working_once_the_export_is_older_than_its_lifetime(
    app: Flask, campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id)
    export = _run(campaign, drain)
    token = exports.download_token(export)
    assert exports.export_for_token(token) == export

    export.finished_at = utcnow() - timedelta(seconds=app.config["EXPORT_LINK_MAX_AGE"] + 1)
    db.session.commit()

    assert exports.export_for_token(token) is None


def test_a_forged_download_token_finds_nothing(app: Flask) -> None:
    assert exports.export_for_token("1.forged.token") is None


def test_cleanup_deletes_old_files_and_marks_them_expired(
    app: Flask, campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id)
    export = _run(campaign, drain)
    path = exports.export_dir() / str(export.file_name)
    export.finished_at = utcnow() - timedelta(seconds=app.config["EXPORT_LINK_MAX_AGE"] + 1)
    db.session.commit()

    assert exports.clean_up_exports() == 1
    assert not path.exists()
    assert db.session.get(Export, export.id).status == JobStatus.EXPIRED  # type: ignore[union-attr]


def test_running_an_export_job_twice_writes_it_once(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 3)
    export = _run(campaign, drain)

    exports.run_export(export.id)

    assert db.session.get(Export, export.id).written_rows == 3  # type: ignore[union-attr]


def test_an_export_whose_job_was_lost_is_resumed(
    campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 2)
    export = exports.request_export(campaign.id, user_id=None)
    export.created_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    queues.queue("bulk").empty()  # the job was lost with Redis

    assert jobs.resume_queued() == 1
    drain()

    resumed = db.session.get(Export, export.id)
    assert resumed is not None and resumed.status == JobStatus.DONE and resumed.written_rows == 2


def test_exports_and_uploads_go_under_files_path_the_folder_all_hosts_share(
    app: Flask,
    client,
    staff,
    campaign: Campaign,
    add_signatures: Callable[..., None],
    drain: Callable[[], None],
    tmp_path,
) -> None:
    """A worker host writes the export into FILES_PATH; any web host serves it from there."""
    shared = tmp_path / "shared"
    app.config["FILES_PATH"] = str(shared)
    add_signatures(campaign.id, name="Aigerim", is_name_public=True)

    export = _run(campaign, drain)
    downloaded = client.get(f"/en/dashboard/exports/download/{exports.download_token(export)}")
    body = downloaded.get_data(as_text=True)
    downloaded.close()

    assert (shared / "exports" / str(export.file_name)).is_file()
    assert not (Path(app.instance_path) / "exports" / str(export.file_name)).exists()
    assert downloaded.status_code == 200 and "Aigerim" in body
    image = io.BytesIO()
    Image.new("RGB", (40, 20), "#345e7d").save(image, "PNG")
    logo = logos.store(1, logos.reencode(image.getvalue()))
    assert (shared / "uploads" / "logos" / logo).is_file()
