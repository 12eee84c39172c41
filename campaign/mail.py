"""The outbox, and the sender that empties it over SMTP.

Every email starts as an :class:`OutboxMessage` row written in the same transaction as the
change that caused it. After the commit, a flush job is queued for the row's queue (at most
one waiting at a time); the job claims due rows in batches, builds each message in the
recipient's language and sends the batch over one SMTP connection. A periodic sweep takes
back claims of dead workers and kicks queues with due rows, so a Redis outage, a killed
worker or an SMTP outage delays mail and never loses it. The claim and the row's status
keep a retry from sending twice; the Message-ID derived from the idempotency key lets mail
clients fold the one duplicate that a crash between SMTP acceptance and our commit could cause.
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
from sqlalchemy import JSON, Index, String, Text, event, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from campaign.extensions import db, queues
from campaign.models_base import insert_ignoring_conflicts, utcnow

log = logging.getLogger(__name__)

#: seconds to wait before retry n (the last value repeats)
BACKOFF = (30, 120, 600, 1800, 3600, 7200, 14400)
#: SMTP reply codes that retrying will not fix
PERMANENT = range(500, 600)
#: rows a flush job claims at a time, per queue: small where latency matters, large for bulk mail
BATCH = {"mail": 20, "delivery": 5, "bulk": 500}
#: how long a kick marker lives if its job is lost with Redis
KICK_TTL_SECONDS = 60


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
) -> int | None:
    """Add an outbox row unless one with ``key`` exists (then None); the caller's commit sends it."""
    row_id = db.session.scalar(
        insert_ignoring_conflicts(OutboxMessage, "idempotency_key")
        .values(
            kind=kind,
            recipient=recipient,
            lang=lang,
            idempotency_key=key,
            payload=payload or {},
            queue=queue,
            status="pending",
            attempts=0,
            created_at=utcnow(),
        )
        .returning(OutboxMessage.id)
    )
    if row_id is not None:
        db.session.info.setdefault("outbox_queues", set()).add(queue)
    return row_id


@event.listens_for(Session, "after_commit")
def _kick_after_commit(session: Session) -> None:
    for queue_name in session.info.pop("outbox_queues", ()):
        kick(queue_name)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox_queues", None)


def _kick_key(queue_name: str) -> str:
    return f"campaign:outbox:kick:{queue_name}"


def kick(queue_name: str) -> None:
    """Make sure a flush job for ``queue_name`` is queued.

    At most one waits at a time: under load, one job sends many rows over one connection
    instead of one job and one connection per row. If Redis is down, the sweep kicks later.
    """
    try:
        if queues.connection.set(_kick_key(queue_name), 1, nx=True, ex=KICK_TTL_SECONDS):
            queues.enqueue(queue_name, flush_outbox, queue_name)
    except Exception:  # any Redis failure: the rows are durable and the sweep will kick again
        log.warning("could not enqueue a flush of the %s outbox; the sweep will", queue_name, exc_info=True)


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


def _is_due(now: datetime) -> Any:
    return (OutboxMessage.status == "pending") & or_(
        OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now
    )


def claim_due(queue_name: str, limit: int) -> list[OutboxMessage]:
    """Atomically take up to ``limit`` due rows of one queue for this worker.

    On PostgreSQL, ``SKIP LOCKED`` lets several workers claim disjoint batches at once;
    SQLite serialises writers, so the same statement is atomic there too.
    """
    now = utcnow()
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.queue == queue_name, _is_due(now))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
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


class TemporaryFailure(Exception):
    """Some rows of a batch could not be sent yet; they wait for their backoff."""


def send_rows(rows: list[OutboxMessage]) -> None:
    """Send claimed rows over one connection, committing each outcome as soon as it is known,
    so a worker killed mid-batch leaves at most the message in flight to be sent again."""
    retrying = []
    try:
        with transport() as via:
            for row in rows:
                try:
                    deliver(row, via)
                except Exception as error:
                    record_failure(row, error)
                    if row.status == "pending":
                        retrying.append(row.id)
                db.session.commit()
    except (smtplib.SMTPException, OSError) as error:  # the connection itself: nothing in the batch went out
        for row in rows:
            if row.status == "sending":
                record_failure(row, error)
                retrying.append(row.id)
        db.session.commit()
    if retrying:
        raise TemporaryFailure(f"outbox rows {retrying} will be retried")


def flush_outbox(queue_name: str) -> None:
    """RQ job: send every due row of one queue, a batch per SMTP connection. Safe to run any
    number of times, in any number of workers at once."""
    queues.connection.delete(_kick_key(queue_name))
    while rows := claim_due(queue_name, BATCH[queue_name]):
        send_rows(rows)


def sweep_outbox() -> int:
    """Periodic job: take back claims whose worker died, and kick every queue with due rows.

    Returns the number of rows due. Fresh rows get a few seconds' grace: their own kick is on its way.
    """
    now = utcnow()
    lease_expired = (OutboxMessage.status == "sending") & (
        OutboxMessage.locked_at < now - timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    )
    out_of_attempts = OutboxMessage.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    db.session.execute(
        update(OutboxMessage)
        .where(lease_expired, out_of_attempts)
        .values(status="failed", last_error="abandoned by a worker too often")
    )
    db.session.execute(update(OutboxMessage).where(lease_expired).values(status="pending"))
    due = db.session.execute(
        select(OutboxMessage.queue, func.count())
        .where(_is_due(now), OutboxMessage.created_at < now - timedelta(seconds=10))
        .group_by(OutboxMessage.queue)
    ).all()
    db.session.commit()
    for queue_name, _ in due:
        kick(queue_name)
    return sum(count for _, count in due)
