"""The outbox, and the sender that empties it over SMTP.

Every email starts as an :class:`OutboxMessage` row written in the same transaction as the
change that caused it (:func:`queue_mail`); :mod:`campaign.dispatch` has a flush job look at the
row's queue after the commit. The job claims due rows in batches (:func:`claim_due`), builds
each message in the recipient's language and sends each batch over one SMTP connection
(:func:`send_rows`). The claim and the row's status keep a retry from sending twice; the
Message-ID derived from the idempotency key lets mail clients fold the one duplicate that a
crash between SMTP acceptance and our commit could cause.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any

from babel import Locale
from flask import current_app
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import JSON, Index, String, Text, bindparam, or_, select, text, update
from sqlalchemy.engine import Connection as DatabaseConnection
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.mime import AddressNotSendable
from campaign.models_base import insert_ignoring_conflicts, utcnow
from campaign.smtp import Transport, transport

log = logging.getLogger(__name__)

#: seconds to wait before retry n (the last value repeats)
BACKOFF = (30, 120, 600, 1800, 3600, 7200, 14400)
#: SMTP reply codes that retrying will not fix
PERMANENT = range(500, 600)
#: rows a flush job claims at a time, per queue: small where latency matters, large for bulk mail
BATCH = {"mail": 20, "delivery": 5, "bulk": 500}


_PENDING, _SENDING = text("status = 'pending'"), text("status = 'sending'")


class OutboxMessage(db.Model):
    __table_args__ = (
        # Partial: what claims and the sweep look for stays small however much mail was ever sent,
        # and the claim's "queue, then oldest first" is the index's own order.
        Index("ix_outbox_message_pending", "queue", "id", postgresql_where=_PENDING, sqlite_where=_PENDING),
        Index("ix_outbox_message_sending", "locked_at", postgresql_where=_SENDING, sqlite_where=_SENDING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    #: the RQ queue that sends it: mail, delivery or bulk
    queue: Mapped[str] = mapped_column(String(20), default="mail")
    recipient: Mapped[str | None] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(8))
    #: one row per email ever meant: a second attempt to queue the same email finds this key
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    #: ids and the few values the builder needs; secrets in it are erased once sent
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: pending, sending, sent, failed (permanently) or cancelled (nothing left to send)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    #: when a worker claimed it; a claim older than OUTBOX_LEASE_SECONDS is taken back
    locked_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[str | None] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Claimed:
    """An outbox row a worker has claimed: what a builder reads to make its message."""

    id: int
    kind: str
    recipient: str | None
    lang: str
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int


Builder = Callable[[Claimed], Message | None]
Prefetch = Callable[[list[Claimed]], None]
_builders: dict[str, Builder] = {}
_prefetchers: dict[str, Prefetch] = {}


def builder(kind: str, prefetch: Prefetch | None = None) -> Callable[[Builder], Builder]:
    """Register the function that turns an outbox row of ``kind`` into a message.

    It runs inside the recipient's locale and returns None when there is nothing left to send
    (the signature expired, the supporter was erased). ``prefetch``, if given, sees each claimed
    batch of such rows first, so that the builder can read in one query what it needs for all.
    """

    def register(func: Builder) -> Builder:
        _builders[kind] = func
        if prefetch is not None:
            _prefetchers[kind] = prefetch
        return func

    return register


def queue_mail(
    kind: str, recipient: str, lang: str, key: str, payload: dict[str, Any] | None = None, queue: str = "mail"
) -> int | None:
    """Add an outbox row unless one with ``key`` exists (then None); the caller's commit sends it
    (:mod:`campaign.dispatch` kicks a flush job after it)."""
    outbox = OutboxMessage.__table__
    row_id = db.session.connection().scalar(
        insert_ignoring_conflicts(outbox, "idempotency_key").returning(outbox.c.id),
        {
            "kind": kind,
            "recipient": recipient,
            "lang": lang,
            "idempotency_key": key,
            "payload": payload or {},
            "queue": queue,
            "status": "pending",
            "attempts": 0,
            "created_at": utcnow(),
        },
    )
    if row_id is not None:
        db.session.info.setdefault("outbox_queues", set()).add(queue)
    return row_id


# -- sending ---------------------------------------------------------------------------------


def message_id(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    domain = current_app.config["BASE_URL"].split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"<{digest}@{domain or 'campaign'}>"


def is_due(now: datetime) -> Any:
    return (OutboxMessage.status == "pending") & or_(
        OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now
    )


_outbox = OutboxMessage.__table__


def claim_due(queue_name: str, limit: int) -> list[Claimed]:
    """Atomically take up to ``limit`` due rows of one queue for this worker.

    On PostgreSQL, ``SKIP LOCKED`` lets several workers claim disjoint batches at once;
    SQLite serialises writers, so the same statement is atomic there too.
    """
    now = utcnow()
    due = (
        select(_outbox.c.id)
        .where(_outbox.c.queue == queue_name, is_due(now))
        .order_by(_outbox.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.execute(
        update(_outbox)
        .where(_outbox.c.id.in_(due.scalar_subquery()))
        .values(status="sending", locked_at=now, attempts=_outbox.c.attempts + 1)
        .returning(*(_outbox.c[name] for name in Claimed.__dataclass_fields__))
    ).all()
    db.session.commit()
    return sorted((Claimed(*row) for row in claimed), key=attrgetter("id"))


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, AddressNotSendable):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code in PERMANENT for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code in PERMANENT


@lru_cache(maxsize=32)
def _locale(lang: str) -> Locale:
    """Parsed once: ``force_locale`` given a string parses it (and checks the locale data) each time."""
    return Locale.parse(lang)


def build_message(row: Claimed) -> Message | None:
    with force_locale(_locale(row.lang)):
        message = _builders[row.kind](row)
    if message is not None:
        message.msgId = message_id(row.idempotency_key)
    return message


def deliver(row: Claimed, via: Transport) -> dict[str, Any]:
    """Send one claimed row through ``via``; the row's new values."""
    message = build_message(row)
    if message is None:
        return {"status": "cancelled", "payload": {}}
    via.send(message)
    sent = {"status": "sent", "sent_at": utcnow(), "message_id": message.msgId, "last_error": None}
    if "token" in row.payload:  # the secret has done its work
        sent["payload"] = {key: value for key, value in row.payload.items() if key != "token"}
    return sent


def record_failure(row: Claimed, error: Exception) -> dict[str, Any]:
    """A row that could not be sent goes back for the sweep, with a backoff, or fails for good;
    its new values.

    Permanent SMTP refusals and rows out of attempts are failed and never retried.
    """
    last_error = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        log.error("outbox row %s failed for good: %s", row.id, last_error)
        return {"status": "failed", "last_error": last_error}
    retry_at = utcnow() + timedelta(seconds=BACKOFF[min(row.attempts, len(BACKOFF)) - 1])
    return {"status": "pending", "last_error": last_error, "next_attempt_at": retry_at}


@lru_cache(maxsize=16)
def _settle_statement(columns: tuple[str, ...]) -> Any:
    return (
        update(_outbox)
        .where(_outbox.c.id == bindparam("row_id"))
        .values({column: bindparam(f"new_{column}") for column in columns})
    )


def _settle(connection: DatabaseConnection, row: Claimed, values: dict[str, Any]) -> None:
    """Write a row's outcome at once (the connection commits each statement)."""
    connection.execute(
        _settle_statement(tuple(values)),
        {"row_id": row.id, **{f"new_{column}": value for column, value in values.items()}},
    )


class TemporaryFailure(Exception):
    """Some rows of a batch could not be sent yet; they wait for their backoff."""


def send_rows(rows: list[Claimed]) -> None:
    """Send claimed rows over one SMTP connection, committing each outcome as soon as it is
    known, so a worker killed mid-batch leaves at most the message in flight to be sent again.

    Outcomes go through one autocommit database connection held for the batch: a statement a
    message, rather than a session checking a connection out and in for each.
    """
    for prefetch in set(_prefetchers.values()):  # once each, with all the rows of its kinds
        if its_rows := [row for row in rows if _prefetchers.get(row.kind) is prefetch]:
            prefetch(its_rows)
    retrying, settled = [], 0
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as outcomes:
        try:
            with transport() as via:
                for row in rows:
                    try:
                        outcome = deliver(row, via)
                    except Exception as error:
                        outcome = record_failure(row, error)
                        if outcome["status"] == "pending":
                            retrying.append(row.id)
                    _settle(outcomes, row, outcome)
                    settled += 1
        except (smtplib.SMTPException, OSError) as error:  # the connection itself: the rest did not go out
            for row in rows[settled:]:
                outcome = record_failure(row, error)
                if outcome["status"] == "pending":
                    retrying.append(row.id)
                _settle(outcomes, row, outcome)
    db.session.rollback()  # what the builders read
    if retrying:
        raise TemporaryFailure(f"outbox rows {retrying} will be retried")
