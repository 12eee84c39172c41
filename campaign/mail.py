"""The outbox, and the sender that empties it over SMTP.

Every email starts as an :class:`OutboxMessage` row written in the same transaction as the
change that caused it. After the commit, an RQ job is enqueued per row; the job claims the
row, builds the message in the recipient's language and sends it. A periodic sweep
re-enqueues rows that are due and unsent, so a Redis outage, a killed worker or an SMTP
outage delays mail and never loses it; the claim and the row's status keep a retry from
sending twice, and the Message-ID derived from the idempotency key lets mail clients fold
the one duplicate a crash between SMTP acceptance and our commit could cause.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from flask import current_app
from flask_babel import force_locale
from flask_mail import Connection, Message
from sqlalchemy import JSON, Index, String, Text, event, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from campaign.extensions import db, queues
from campaign.models_base import utcnow

log = logging.getLogger(__name__)

#: seconds to wait before retry n (the last value repeats)
BACKOFF = (30, 120, 600, 1800, 3600, 7200, 14400)
#: SMTP reply codes that retrying will not fix
PERMANENT = range(500, 600)


class OutboxMessage(db.Model):
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

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


Builder = Callable[[OutboxMessage], Message | None]
_builders: dict[str, Builder] = {}


def builder(kind: str) -> Callable[[Builder], Builder]:
    """Register the function that turns an outbox row of ``kind`` into a message.

    It runs inside the recipient's locale and returns None when there is nothing left to send
    (the signature expired, the supporter was erased).
    """

    def register(func: Builder) -> Builder:
        _builders[kind] = func
        return func

    return register


def queue_mail(
    kind: str, recipient: str, lang: str, key: str, payload: dict[str, Any] | None = None, queue: str = "mail"
) -> OutboxMessage | None:
    """Add an outbox row unless one with ``key`` exists; the caller's commit sends it."""
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)):
        return None
    row = OutboxMessage(
        kind=kind, recipient=recipient, lang=lang, idempotency_key=key, payload=payload or {}, queue=queue
    )
    db.session.add(row)
    db.session.flush()
    db.session.info.setdefault("outbox", []).append((row.queue, row.id))
    return row


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    for queue_name, row_id in session.info.pop("outbox", []):
        enqueue_send(queue_name, row_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox", None)


def enqueue_send(queue_name: str, row_id: int) -> None:
    """Enqueue the send job; if Redis is down, the sweep sends the row later."""
    try:
        queues.enqueue(queue_name, send_outbox_message, row_id)
    except Exception:  # any Redis failure: the row is durable and the sweep will find it
        log.warning("could not enqueue outbox row %s; the sweep will retry", row_id, exc_info=True)


# -- sending ---------------------------------------------------------------------------------


class Transport(Protocol):
    def send(self, message: Message) -> None: ...


class TimeoutConnection(Connection):
    """Flask-Mail's connection, with a socket timeout so a silent server cannot hang a worker."""

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        timeout = current_app.config["MAIL_TIMEOUT"]
        host: smtplib.SMTP | smtplib.SMTP_SSL
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(self.mail.server, self.mail.port, timeout=timeout)
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class MailboxTransport:
    """Development transport: each message becomes an .eml file shown at /dev/mailbox."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    def send(self, message: Message) -> None:
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{message.msgId.strip('<>').split('@')[0]}.eml"
        (self.folder / name).write_bytes(message.as_bytes())


def mailbox_folder() -> Path:
    return Path(current_app.instance_path) / "mailbox"


@contextmanager
def transport() -> Iterator[Transport]:
    """One SMTP connection (or the local mailbox) for one or many messages."""
    if current_app.config["DEV_MAILBOX"]:
        yield MailboxTransport(mailbox_folder())
        return
    with TimeoutConnection(current_app.extensions["mail"]) as connection:
        yield connection


def message_id(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    domain = current_app.config["BASE_URL"].split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"<{digest}@{domain or 'campaign'}>"


def _claim(row_id: int) -> OutboxMessage | None:
    """Atomically mark the row as ours, or return None if it is sent, failed or someone else's."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            or_(
                (OutboxMessage.status == "pending")
                & or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == "sending") & (OutboxMessage.locked_at < now - lease),
            ),
        )
        .values(status="sending", locked_at=now, attempts=OutboxMessage.attempts + 1)
    ).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, row_id) if claimed else None


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code in PERMANENT for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code in PERMANENT


def build_message(row: OutboxMessage) -> Message | None:
    with force_locale(row.lang):
        message = _builders[row.kind](row)
    if message is not None:
        message.msgId = message_id(row.idempotency_key)
    return message


def deliver(row: OutboxMessage, via: Transport) -> None:
    """Send one claimed row through ``via`` and mark it sent (the caller commits)."""
    message = build_message(row)
    if message is None:
        row.status, row.payload = "cancelled", {}
        return
    via.send(message)
    row.status, row.sent_at, row.message_id, row.last_error = "sent", utcnow(), message.msgId, None
    row.payload = {key: value for key, value in row.payload.items() if key != "token"}


def record_failure(row: OutboxMessage, error: Exception) -> None:
    """Put a row that could not be sent back for the sweep, with a backoff, or fail it for good.

    Permanent SMTP refusals and rows out of attempts are failed and never retried.
    """
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = "failed"
        log.error("outbox row %s failed for good: %s", row.id, row.last_error)
        return
    row.status = "pending"
    row.next_attempt_at = utcnow() + timedelta(seconds=BACKOFF[min(row.attempts, len(BACKOFF)) - 1])


def send_outbox_message(row_id: int) -> None:
    """RQ job: send one outbox row. Safe to run any number of times.

    A failure is recorded on the row and re-raised, so RQ's failed registry shows it; the
    retry itself comes from the sweep, whose schedule lives in the database, not in Redis.
    """
    row = _claim(row_id)
    if row is None:
        return
    try:
        with transport() as via:
            deliver(row, via)
    except Exception as error:
        record_failure(row, error)
        db.session.commit()
        raise
    db.session.commit()


# -- many rows over one connection ---------------------------------------------------------------

#: SMTP refusals of one message; the connection stays usable for the next one
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def claim_many(row_ids: list[int]) -> list[OutboxMessage]:
    """Atomically claim those of ``row_ids`` that nobody holds, as :func:`_claim` does for one.

    A row never tried is claimable before its ``next_attempt_at``: bulk senders set that to a
    grace period so the sweep leaves rows alone while their batch job waits in the queue.
    """
    if not row_ids:
        return []
    now = utcnow()
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(row_ids),
            or_(
                (OutboxMessage.status == "pending")
                & or_(
                    OutboxMessage.next_attempt_at.is_(None),
                    OutboxMessage.next_attempt_at <= now,
                    OutboxMessage.attempts == 0,
                ),
                (OutboxMessage.status == "sending") & (OutboxMessage.locked_at < now - lease),
            ),
        )
        .values(status="sending", locked_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    if not claimed:
        return []
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
        )
    )


def send_batch(row_ids: list[int]) -> int:
    """RQ job: send many outbox rows over one SMTP connection; returns how many went out.

    Each row is committed as sent right after the server accepts it, so a worker killed
    mid-batch leaves only its rows still claimed, which the sweep takes back after the lease.
    A refused message fails alone; a lost connection puts every unsent row back for the sweep
    (with its backoff) and raises.
    """
    rows = claim_many(row_ids)
    sent = done = 0
    session = db.session()
    # the claimed rows are ours: reloading each of them after every commit would only cost time
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        with transport() as via:
            for row in rows:
                try:
                    deliver(row, via)
                    if row.status == "sent":
                        sent += 1
                except (*_MESSAGE_ERRORS, LookupError, ValueError) as error:
                    record_failure(row, error)
                db.session.commit()
                done += 1
    except Exception as error:
        db.session.rollback()
        for row in rows[done:]:
            record_failure(row, error)
        db.session.commit()
        raise
    finally:
        session.expire_on_commit = expire_on_commit
    return sent


def sweep_outbox() -> int:
    """Periodic job: re-enqueue every row that is due and not being sent; returns how many."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    rows = db.session.execute(
        select(OutboxMessage.queue, OutboxMessage.id)
        .where(
            or_(
                (OutboxMessage.status == "pending")
                & or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
                & (OutboxMessage.created_at < now - timedelta(seconds=10)),
                (OutboxMessage.status == "sending") & (OutboxMessage.locked_at < now - lease),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(5000)
    ).all()
    db.session.rollback()
    for queue_name, row_id in rows:
        enqueue_send(queue_name, row_id)
    return len(rows)
