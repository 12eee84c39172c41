"""The outbox: its rows, the builders that turn them into messages, and claiming them.

Every email starts as an :class:`OutboxMessage` row written in the same transaction as the
change that caused it (:func:`queue_mail`); :mod:`campaign.dispatch` has a flush job look at the
row's queue after the commit. The job claims due rows in batches (:func:`claim_due`), and
:mod:`campaign.sender` builds each message in the recipient's language and sends each batch over
one SMTP connection. The claim and the row's status keep a retry from sending twice; the
Message-ID derived from the idempotency key lets mail clients fold the one duplicate that a
crash between SMTP acceptance and our commit could cause.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any, cast

from flask import current_app, render_template
from flask_mail import Message
from sqlalchemy import JSON, Index, String, Table, Text, or_, select, text, update
from sqlalchemy.orm import Mapped, mapped_column

from campaign.after_commit import after_commit
from campaign.extensions import db
from campaign.models_base import Model, insert_ignoring_conflicts, utcnow

log = logging.getLogger(__name__)

#: rows a flush job claims at a time, per queue: small where latency matters, large for bulk mail
BATCH = {"mail": 20, "delivery": 5, "bulk": 500}


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    #: refused for good
    FAILED = "failed"
    #: temporary failures for longer than OUTBOX_RETRY_HOURS
    EXPIRED = "expired"
    #: nothing left to send
    CANCELLED = "cancelled"


_PENDING = text(f"status = '{OutboxStatus.PENDING}'")
_SENDING = text(f"status = '{OutboxStatus.SENDING}'")
#: mail that will not be sent: refused for good, or retried past OUTBOX_RETRY_HOURS
GIVEN_UP = text(f"status IN ('{OutboxStatus.FAILED}', '{OutboxStatus.EXPIRED}')")


class OutboxMessage(Model):
    __table_args__ = (
        # Partial: what claims and the sweep look for stays small however much mail was ever sent,
        # and the claim's "queue, then oldest first" is the index's own order.
        Index("ix_outbox_message_pending", "queue", "id", postgresql_where=_PENDING, sqlite_where=_PENDING),
        Index("ix_outbox_message_sending", "locked_at", postgresql_where=_SENDING, sqlite_where=_SENDING),
        # what /metrics counts on every scrape, without reading all the mail ever sent
        Index(
            "ix_outbox_message_given_up", "queue", "status", postgresql_where=GIVEN_UP, sqlite_where=GIVEN_UP
        ),
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
    #: pending, sending, sent, failed (refused for good), expired (temporary failures for longer
    #: than OUTBOX_RETRY_HOURS) or cancelled (nothing left to send)
    status: Mapped[str] = mapped_column(String(12), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    #: until when temporary failures are retried; unset, OUTBOX_RETRY_HOURS after created_at
    expires_at: Mapped[datetime | None]
    #: claims taken back from workers that died holding them (a message that kills its worker
    #: every time fails after OUTBOX_MAX_ATTEMPTS of them)
    abandoned: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    #: when a worker claimed it; a claim older than OUTBOX_LEASE_SECONDS is taken back
    locked_at: Mapped[datetime | None]
    #: when the SMTP server accepted it (its reply to the data), and that reply line, whose queue
    #: id is what the evidence pack proves delivery with
    sent_at: Mapped[datetime | None]
    smtp_reply: Mapped[str | None] = mapped_column(Text)
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
    created_at: datetime
    expires_at: datetime | None


Builder = Callable[[Claimed], Message | None]
Prefetch = Callable[[list[Claimed]], None]
_builders: dict[str, Builder] = {}
_prefetchers: dict[str, Prefetch] = {}


@dataclass(frozen=True)
class MailKind:
    """How the outbox rows of one kind become messages.

    ``build`` runs inside the recipient's locale and returns None when there is nothing left to
    send (the signature expired, the supporter was erased). ``prefetch``, if given, sees each
    claimed batch of such rows first, so that the builder can read in one query what it needs
    for all.
    """

    build: Builder
    prefetch: Prefetch | None = None


def register_builders(kinds: Mapping[str, MailKind]) -> None:
    """Make ``kinds`` known to the sender: ``create_app`` passes each domain's ``BUILDERS``."""
    for kind, how in kinds.items():
        _builders[kind] = how.build
        if how.prefetch is not None:
            _prefetchers[kind] = how.prefetch


def render_mail(template: str, recipient: str, subject: str, /, **context: object) -> Message:
    """A message whose text and HTML parts are ``email/<template>.txt`` and ``.html``, rendered
    (by a builder, inside the recipient's locale) from the same context, which may hold a
    ``subject`` of its own (hence the positional-only parameters)."""
    return Message(
        subject=subject,
        recipients=[recipient],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )


def queue_mail(
    kind: str, recipient: str, lang: str, key: str, payload: dict[str, Any] | None = None, queue: str = "mail"
) -> int | None:
    """Add an outbox row unless one with ``key`` exists (then None); the caller's commit sends it
    (a kick of :mod:`campaign.dispatch` runs after it)."""
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
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "created_at": utcnow(),
        },
    )
    if row_id is not None:
        # by name: campaign.dispatch imports this module
        after_commit("campaign.dispatch.kick", queue)
    return row_id


# -- sending ---------------------------------------------------------------------------------


def message_id(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    domain = current_app.config["BASE_URL"].split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"<{digest}@{domain or 'campaign'}>"


def is_due(now: datetime) -> Any:
    return (OutboxMessage.status == OutboxStatus.PENDING) & or_(
        OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now
    )


#: Core, not ORM, on the hot paths (a mapped class's __table__ is typed FromClause; it is its Table)
_outbox = cast(Table, OutboxMessage.__table__)


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
        .values(status=OutboxStatus.SENDING, locked_at=now, attempts=_outbox.c.attempts + 1)
        .returning(*(_outbox.c[name] for name in Claimed.__dataclass_fields__))
    ).all()
    db.session.commit()
    return sorted((Claimed(*row) for row in claimed), key=attrgetter("id"))
