"""The sender that empties the outbox over SMTP: a claimed batch over one connection, each outcome
written as soon as it is known, the claim renewed while the batch is sent, and what failed for
now handed back with a backoff.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import threading
import time
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from babel import Locale
from flask import current_app
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import bindparam, update
from sqlalchemy.engine import Connection as DatabaseConnection
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from campaign.extensions import db
from campaign.mime import AddressNotSendable
from campaign.models_base import utcnow
from campaign.outbox import Claimed, OutboxStatus, _builders, _outbox, _prefetchers, message_id
from campaign.smtp import Transport, transport

log = logging.getLogger(__name__)

#: seconds to wait before retry n (the last value repeats)
BACKOFF = (30, 120, 600, 1800, 3600)
#: SMTP reply codes that retrying will not fix
PERMANENT = range(500, 600)
#: seconds a batch sends before it hands the rows it has not tried back (a flush job, which sends
#: batch after batch for FLUSH_SECONDS, stays far within dispatch.FLUSH_JOB_TIMEOUT)
SEND_SECONDS = 60
#: seconds a batch keeps trying to write an outcome while the database is away
RECONNECT_SECONDS = 60


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
        return {"status": OutboxStatus.CANCELLED, "payload": {}, "recipient": None}
    reply = via.send(message)
    # the address has done its work too: a sent row keeps what it was, not whom it went to
    sent = {
        "status": OutboxStatus.SENT,
        "sent_at": utcnow(),
        "smtp_reply": reply,
        "message_id": message.msgId,
        "last_error": None,
        "recipient": None,
    }
    if "token" in row.payload:  # the secret has done its work
        sent["payload"] = {key: value for key, value in row.payload.items() if key != "token"}
    return sent


def _reply_text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _describe(error: Exception) -> str:
    """What went wrong, for the row's ``last_error`` (shown to staff): the server's replies, never
    the addresses smtplib's exceptions carry, nor the SQL and parameters of a database error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{code} {_reply_text(reply)}" for code, reply in error.recipients.values())
        text = f"{type(error).__name__}: {replies}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{type(error).__name__}: {error.smtp_code} {_reply_text(error.smtp_error)}"
    elif isinstance(error, SQLAlchemyError):
        text = f"{type(error).__name__}: {type(getattr(error, 'orig', None) or error).__name__}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:2000]


def _kind(error: Exception) -> str:
    """An error's kind and SMTP code, for logs (a server's reply text may echo the address)."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def expiry(row: Claimed) -> datetime:
    """Until when a row's temporary failures are retried."""
    return row.expires_at or row.created_at + timedelta(hours=current_app.config["OUTBOX_RETRY_HOURS"])


def record_failure(row: Claimed, error: Exception) -> dict[str, Any]:
    """A row that could not be sent: its new values.

    A permanent refusal (a 5xx, an address the server cannot take) fails it for good. Anything
    else (a 4xx, an unreachable or silent server) is temporary however often it happens: the row
    goes back with a capped backoff, the last attempt at its expiry, and only a temporary
    failure after that expires it, so a server that comes back within OUTBOX_RETRY_HOURS gets it.
    """
    last_error = _describe(error)
    if _is_permanent(error):
        log.error("outbox row %s failed for good (%s)", row.id, _kind(error))
        return {"status": OutboxStatus.FAILED, "last_error": last_error}
    now, expires_at = utcnow(), expiry(row)
    if now >= expires_at:
        log.error("outbox row %s expired (%s)", row.id, _kind(error))
        reason = f"still failing after {current_app.config['OUTBOX_RETRY_HOURS']:g} hours: {last_error}"
        return {"status": OutboxStatus.EXPIRED, "last_error": reason[:2000]}
    retry_at = now + timedelta(seconds=BACKOFF[min(row.attempts, len(BACKOFF)) - 1])
    return {
        "status": OutboxStatus.PENDING,
        "last_error": last_error,
        "next_attempt_at": min(retry_at, expires_at),
    }


@lru_cache(maxsize=16)
def _settle_statement(columns: tuple[str, ...]) -> Any:
    return (
        update(_outbox)
        .where(_outbox.c.id == bindparam("row_id"))
        .values({column: bindparam(f"new_{column}") for column in columns})
    )


_still_claimed = _outbox.c.id.in_(bindparam("ids", expanding=True)) & (
    _outbox.c.status == OutboxStatus.SENDING
)
_RENEW = update(_outbox).where(_still_claimed).values(locked_at=bindparam("now"))
_RELEASE = (
    update(_outbox)
    .where(_still_claimed)
    .values(status=OutboxStatus.PENDING, locked_at=None, attempts=_outbox.c.attempts - 1)
)


class _Outcomes:
    """The batch's autocommit database connection: it writes each row's outcome as soon as it is
    known (a statement a message, rather than a session checking a connection out and in for
    each), and reconnects if the database went away. Reconnecting matters: a message the server
    accepted but whose outcome could not be written would be sent again.

    While the batch is sent, :class:`_Renewal` renews the claim on the rows still to send.
    """

    def __init__(self, rows: list[Claimed]) -> None:
        self.unsent = {row.id for row in rows}
        self.lock = threading.Lock()  # the renewal reads ``unsent`` from its own thread
        self.connection: DatabaseConnection | None = None

    def _execute(self, statement: Any, parameters: dict[str, Any]) -> None:
        self.connection = _execute(self.connection, statement, parameters)

    def settle(self, row: Claimed, values: dict[str, Any]) -> None:
        self._execute(
            _settle_statement(tuple(values)),
            {"row_id": row.id, **{f"new_{column}": value for column, value in values.items()}},
        )
        with self.lock:
            self.unsent.discard(row.id)

    def still_unsent(self) -> list[int]:
        with self.lock:
            return sorted(self.unsent)

    def release_unsent(self) -> None:
        """Hand the rows not tried back to the queue, as if never claimed."""
        if unsent := self.still_unsent():
            self._execute(_RELEASE, {"ids": unsent})
            with self.lock:
                self.unsent.clear()

    def close(self) -> None:
        _close(self.connection)
        self.connection = None


def _execute(
    connection: DatabaseConnection | None, statement: Any, parameters: dict[str, Any]
) -> DatabaseConnection:
    """Run ``statement`` on ``connection`` (opened on first use, autocommit), reconnecting for
    RECONNECT_SECONDS while the database is away; the connection to use next."""
    give_up_at = time.monotonic() + RECONNECT_SECONDS
    attempt = 0
    while True:
        try:
            if connection is None:
                connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(statement, parameters)
            return connection
        except (OperationalError, InterfaceError) as error:
            _close(connection)
            connection = None
            if time.monotonic() > give_up_at:
                raise
            log.warning("outbox lost its database connection (%s); reconnecting", type(error).__name__)
            time.sleep(min(0.1 * 2**attempt, 5.0))
            attempt += 1


def _close(connection: DatabaseConnection | None) -> None:
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.close()


class _Renewal(threading.Thread):
    """The heartbeat that keeps the sweep off a batch whose sender is alive: every quarter
    OUTBOX_LEASE_SECONDS it renews the claim on the batch's unsent rows, from a thread and a
    database connection of its own, so that however long one SMTP exchange takes (a tarpit
    answering each command just within MAIL_TIMEOUT, several times the lease) the claim lasts
    while the sender does. A claim not renewed for OUTBOX_LEASE_SECONDS is a dead sender's.

    A batch sent within the first quarter lease (nearly all) never touches the database here.
    A worker killed stops renewing with it; a job RQ's timeout ends stops it in ``send_rows``.
    """

    def __init__(self, outcomes: _Outcomes) -> None:
        super().__init__(name="outbox-claim-renewal", daemon=True)
        self.outcomes = outcomes
        self.every = current_app.config["OUTBOX_LEASE_SECONDS"] / 4
        self.engine = db.engine  # the app's, looked up here: the thread has no app context
        self.stopped = threading.Event()

    def run(self) -> None:
        connection: DatabaseConnection | None = None
        try:
            while not self.stopped.wait(self.every):
                if not (unsent := self.outcomes.still_unsent()):
                    continue
                try:  # once a beat: with the database away, the next beat tries again
                    if connection is None:
                        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                    connection.execute(_RENEW, {"ids": unsent, "now": utcnow()})
                except SQLAlchemyError as error:
                    _close(connection)
                    connection = None
                    log.warning("outbox could not renew its claim (%s)", type(error).__name__)
        finally:
            _close(connection)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class TemporaryFailure(Exception):
    """Some rows of a batch could not be sent yet; they wait for their backoff."""


def send_rows(rows: list[Claimed]) -> None:
    """Send claimed rows over one SMTP connection, committing each outcome as soon as it is
    known, so a worker killed mid-batch leaves at most the message in flight to be sent again.

    While it sends it renews its claim on the rest (:class:`_Renewal`); after SEND_SECONDS it
    hands what it has not tried back to the queue, so that a flush job stays well within its RQ
    timeout however slow the server (a job killed by RQ would leave its claim to the sweep).
    """
    for prefetch in set(_prefetchers.values()):  # once each, with all the rows of its kinds
        if its_rows := [row for row in rows if _prefetchers.get(row.kind) is prefetch]:
            prefetch(its_rows)
    retrying: list[int] = []
    stop_at = time.monotonic() + SEND_SECONDS
    outcomes = _Outcomes(rows)
    renewal = _Renewal(outcomes)
    renewal.start()
    try:
        try:
            with transport() as via:
                for row in rows:
                    if time.monotonic() > stop_at:
                        break
                    outcome = _send_one(row, via)
                    if outcome["status"] == OutboxStatus.PENDING:
                        retrying.append(row.id)
                    outcomes.settle(row, outcome)
        except (smtplib.SMTPException, OSError) as error:  # the connection itself: the rest did not go out
            for row in rows:
                if row.id in outcomes.unsent:
                    outcome = record_failure(row, error)
                    if outcome["status"] == OutboxStatus.PENDING:
                        retrying.append(row.id)
                    outcomes.settle(row, outcome)
        outcomes.release_unsent()
    finally:
        renewal.stop()
        outcomes.close()
    db.session.rollback()  # what the builders read
    if retrying:
        raise TemporaryFailure(f"outbox rows {retrying} will be retried")


def _send_one(row: Claimed, via: Transport) -> dict[str, Any]:
    """Deliver one row; its new values whatever happened but a lost SMTP connection (raised)."""
    try:
        return deliver(row, via)
    except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError):
        raise
    except SQLAlchemyError as error:  # the database, not the mail: try again soon, on a fresh session
        db.session.rollback()
        return {"status": OutboxStatus.PENDING, "last_error": _describe(error), "next_attempt_at": None}
    except Exception as error:
        return record_failure(row, error)
