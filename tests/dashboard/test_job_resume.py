"""Mass actions survive their workers: a killed worker's export finishes after a restart, a
stale invalidation is taken over, and an export is cancelled while it waits."""

from __future__ import annotations

import csv
import io
import signal
import subprocess
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign import jobs
from campaign.accounts.models import User
from campaign.campaigns.models import Campaign
from campaign.dashboard import exports
from campaign.dashboard.models import Export
from campaign.extensions import db
from campaign.jobclaims import JobStatus
from campaign.models_base import utcnow
from campaign.moderation import services as moderation
from campaign.moderation.filters import SignatureFilter
from campaign.moderation.models import Invalidation, InvalidationUndo
from campaign.signatures.models import Signature, SignatureStatus
from tests import workers
from tests.conftest import csrf_token

#: both workers look for stale jobs every second and call a job stale after two quiet seconds
QUICK = {"RESUME_QUEUED_SECONDS": "1", "JOB_STALE_SECONDS": "2"}


@pytest.fixture
def start_worker(app: Flask, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> subprocess.Popen[bytes]:
        worker = workers.start_worker(app, tmp_path / f"worker-{len(started)}.log", **QUICK, **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        workers.stop_worker(worker)


def _export_state(export_id: int) -> tuple[str, int]:
    found = db.session.execute(select(Export.status, Export.written_rows).where(Export.id == export_id)).one()
    db.session.rollback()  # never hold SQLite's read lock while a worker writes
    return found.status, found.written_rows


@pytest.mark.slow
def test_a_killed_workers_export_finishes_after_a_restart(
    campaign: Campaign,
    add_signatures: Callable[..., None],
    start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    add_signatures(campaign.id, 1500, is_name_public=True)
    export = exports.request_export(campaign.id, user_id=None)
    db.session.commit()
    export_id = export.id

    doomed = start_worker(EXPORT_BATCH_ROWS="1")  # one row a batch: slow enough to die mid-file
    assert workers.wait_until(lambda: _export_state(export_id)[1] > 0, timeout=120)
    workers.kill_group(doomed, signal.SIGKILL)
    doomed.wait()
    assert _export_state(export_id)[0] == JobStatus.RUNNING

    start_worker()

    assert workers.wait_until(lambda: _export_state(export_id)[0] == JobStatus.DONE, timeout=180)
    found = db.session.get(Export, export_id)
    assert found is not None and found.written_rows == 1500
    written = workers.ROOT / "instance" / "exports" / str(found.file_name)  # the workers' instance folder
    body = written.read_bytes()
    written.unlink()
    assert body.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header == list(exports.STAFF_HEADER) and len(rows) == 1500
    assert not list(written.parent.glob(f"{written.stem}.*.part"))


def test_a_stale_invalidation_is_taken_over_and_finished(
    app: Flask, campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 4, email_domain="spam.example")
    invalidation = moderation.start_invalidation(
        SignatureFilter(campaign_id=campaign.id, email_domain="spam.example"), user_id=None
    )
    invalidation.status = "running"
    invalidation.heartbeat_at = utcnow() - timedelta(minutes=10)  # its worker died long ago
    db.session.commit()

    assert jobs.resume_queued() == 1
    drain()

    found = db.session.get(Invalidation, invalidation.id)
    assert found is not None and (found.status, found.affected) == ("done", 4)
    statuses = db.session.scalars(select(Signature.status).where(Signature.campaign_id == campaign.id))
    assert set(statuses) == {SignatureStatus.INVALIDATED}


def test_an_undo_whose_worker_died_is_taken_over_and_finished(
    app: Flask, campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 3, email_domain="spam.example")
    invalidation = moderation.start_invalidation(
        SignatureFilter(campaign_id=campaign.id, email_domain="spam.example"), user_id=None
    )
    db.session.commit()
    drain()
    undo = moderation.start_undo(db.session.get(Invalidation, invalidation.id), user_id=None)  # type: ignore[arg-type]
    undo.status, undo.heartbeat_at = "running", utcnow() - timedelta(minutes=10)
    db.session.commit()

    assert jobs.resume_queued() == 1
    drain()

    found = db.session.get(InvalidationUndo, undo.id)
    assert found is not None and (found.status, found.restored) == ("done", 3)
    statuses = db.session.scalars(select(Signature.status).where(Signature.campaign_id == campaign.id))
    assert SignatureStatus.INVALIDATED not in set(statuses)


def test_a_live_invalidation_is_not_taken_over(
    app: Flask, campaign: Campaign, add_signatures: Callable[..., None], drain: Callable[[], None]
) -> None:
    add_signatures(campaign.id, 2, email_domain="spam.example")
    invalidation = moderation.start_invalidation(
        SignatureFilter(campaign_id=campaign.id, email_domain="spam.example"), user_id=None
    )
    invalidation.status, invalidation.heartbeat_at = "running", utcnow()
    db.session.commit()

    assert jobs.resume_queued() == 0
    moderation.run_invalidation(invalidation.id)  # a duplicate job: the live run holds the claim

    assert db.session.get(Invalidation, invalidation.id).affected == 0  # type: ignore[union-attr]


def test_an_export_is_cancelled_while_it_waits_for_a_worker(
    client: FlaskClient,
    campaign: Campaign,
    create_user: Callable[..., User],
    login: Callable[..., object],
    drain: Callable[[], None],
) -> None:
    login(create_user("campaigner@example.org", role="campaigner"))
    url = f"/en/dashboard/campaigns/{campaign.slug}"
    progress = client.post(f"{url}/exports", data={"csrf_token": csrf_token(client, url)}).headers["Location"]
    export_id = int(progress.rstrip("/").rsplit("/", 1)[1])

    cancelled = client.post(f"{progress}/cancel", data={"csrf_token": csrf_token(client, progress)})
    drain()

    assert cancelled.status_code == 303
    found = db.session.get(Export, export_id)
    assert found is not None and found.status == JobStatus.CANCELLED
    assert "This export was cancelled." in client.get(progress).get_data(as_text=True)
    assert not (exports.export_dir() / str(found.file_name)).exists()
