"""Migration 0016 gives back what the old attempt limit lost: a row failed for a temporary reason
(a 4xx, an unreachable server) within the last 72 hours is pending again, due at once; a 5xx
refusal and an older failure stay failed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from campaign import create_app
from campaign.extensions import db
from campaign.models_base import utcnow

OUTBOX = sa.table(
    "outbox_message",
    *(
        sa.column(name)
        for name in ("id", "kind", "queue", "lang", "idempotency_key", "payload", "status", "attempts")
    ),
    sa.column("last_error", sa.Text),
    sa.column("next_attempt_at", sa.DateTime),
    sa.column("created_at", sa.DateTime),
)


def test_rows_the_old_limit_failed_for_a_temporary_reason_go_back_to_pending(base_config, tmp_path: Path):
    app = create_app({**base_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    recent, old = utcnow() - timedelta(hours=1), utcnow() - timedelta(hours=100)
    rows = {
        1: ("failed", "SMTPDataError: (451, b'4.3.0 try again later')", recent),
        2: ("failed", "ConnectionRefusedError: [Errno 111] Connection refused", recent),
        3: ("failed", "SMTPRecipientsRefused: {'x': (550, b'5.1.1 no such user')}", recent),
        4: ("failed", "SMTPDataError: (451, b'4.3.0 try again later')", old),
        5: ("sent", None, recent),
    }
    with app.app_context():
        upgrade(revision="0015_defender_records")
        with db.engine.begin() as connection:
            for row_id, (status, last_error, created_at) in rows.items():
                connection.execute(
                    sa.insert(OUTBOX).values(
                        id=row_id,
                        kind="confirmation",
                        queue="mail",
                        lang="en",
                        idempotency_key=f"key-{row_id}",
                        payload="{}",
                        status=status,
                        attempts=8,
                        last_error=last_error,
                        next_attempt_at=created_at,
                        created_at=created_at,
                    )
                )

        upgrade(revision="0016_outbox_retry")

        with db.engine.connect() as connection:
            after = dict(
                connection.execute(
                    sa.text(
                        "SELECT id, status || ' ' || coalesce(next_attempt_at, 'now') FROM outbox_message"
                    )
                ).all()
            )
        db.engine.dispose()
    assert after[1] == after[2] == "pending now"
    assert after[3].startswith("failed") and after[4].startswith("failed")
    assert after[5].startswith("sent")
