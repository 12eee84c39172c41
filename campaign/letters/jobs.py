"""Delivery: close the letter and send it to every recipient through the outbox, once.

Each recipient gets one :class:`Delivery` pointing at one outbox row on the ``delivery`` queue,
keyed ``letter:{letter_id}:recipient:{recipient_id}``; the outbox sends it, retries temporary
failures with backoff and fails permanent ones. The delivery reads its status, attempts, last
error, message id and time from that row, so there is one source of truth. Running this again
finds the rows and sends nothing twice.
"""

from __future__ import annotations

import hashlib
import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from campaign.accounts.models import Organisation
from campaign.audit.services import record
from campaign.extensions import db
from campaign.letters import evidence, services
from campaign.letters.compose import delivery_lang
from campaign.letters.models import Delivery, Letter, LetterStatus
from campaign.letters.outcome_models import FollowUp, default_deadline_days
from campaign.models_base import utcnow
from campaign.outbox import OutboxMessage, queue_mail


def delivery_key(letter_id: int, recipient_id: int) -> str:
    return f"letter:{letter_id}:recipient:{recipient_id}"


def deliver_letter(letter_id: int) -> int:
    """Close the letter if open and queue it to every recipient not yet queued; commits.

    Returns how many deliveries were created (0 on a second run). Raises LetterError for a
    letter still being drafted or without recipients.
    """
    letter = db.session.get(Letter, letter_id)
    if letter is None:
        raise services.LetterError("missing")
    if letter.status == LetterStatus.DRAFTING:
        raise services.LetterError("status")
    if not letter.recipients:
        raise services.LetterError("no-recipients")
    services.close(letter)
    created = 0
    for recipient in letter.recipients:
        if db.session.scalar(
            select(Delivery.id).where(Delivery.letter_id == letter.id, Delivery.recipient_id == recipient.id)
        ):
            continue
        key = delivery_key(letter.id, recipient.id)
        lang, is_fallback = delivery_lang(letter, recipient)
        outbox_id = queue_mail(
            "letter_delivery",
            recipient.email,
            lang,
            key=key,
            payload={"letter_id": letter.id, "recipient_id": recipient.id},
            queue="delivery",
        )
        if outbox_id is None:  # queued by an earlier run whose Delivery row was lost: adopt its outbox row
            outbox_id = db.session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)
            )
        delivery = Delivery(
            letter_id=letter.id,
            recipient_id=recipient.id,
            outbox_id=outbox_id,
            lang=lang,
            is_fallback=is_fallback,
        )
        db.session.add(delivery)
        db.session.add(FollowUp(delivery=delivery, deadline_days=default_deadline_days(recipient.country)))
        created += 1
    if created:
        record("letter.delivery_started", letter_id=letter.id, affected=created)
    if letter.status in (LetterStatus.OPEN, LetterStatus.CLOSED):
        letter.status, letter.delivered_at = LetterStatus.DELIVERED, utcnow()
    evidence.start(letter)
    for organisation_id in sorted(letter.accepted_organisation_ids()):
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:  # deleted since it signed: nobody left to tell
            continue
        services.mail_members(
            "letter_delivered",
            organisation,
            ("owner", "editor", "signer"),
            key=f"letter:{letter.id}:delivered:{organisation_id}",
            payload={"letter_id": letter.id},
            queue="delivery",
        )
    db.session.commit()
    return created


def deliver_scheduled() -> int:
    """The periodic job: deliver every letter whose scheduled time has come, but an archived one;
    safe to run twice (a delivered letter is no longer due, and delivering finds the rows already
    queued)."""
    due = db.session.scalars(
        select(Letter.id).where(
            Letter.deliver_at.is_not(None),
            Letter.deliver_at <= utcnow(),
            Letter.status.in_((LetterStatus.OPEN, LetterStatus.CLOSED)),
            ~Letter.is_archived,  # waits, with its schedule, until it is restored
        )
    ).all()
    for letter_id in due:
        deliver_letter(letter_id)
    return len(due)


def confirmation_digest(letter: Letter) -> str:
    """What the coordinator confirmed: the frozen texts, every recipient's address and language,
    every signatory. A confirmation made on anything else is refused."""
    parts = [
        letter.status,
        json.dumps(letter.frozen_hashes(), sort_keys=True),
        *(
            json.dumps([r.id, r.email, r.lang, r.name, r.names, r.titles, r.salutations], sort_keys=True)
            for r in letter.recipients
        ),
        *(f"s{s.id}:{s.signed_at.isoformat()}" for s in letter.signatories()),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@click.command("deliver-letter")
@click.argument("slug")
@with_appcontext
def deliver_letter_command(slug: str) -> None:
    """Close the letter if open for sign-on and deliver it to every recipient (safe to run again)."""
    letter = db.session.scalar(select(Letter).where(Letter.slug == slug))
    if letter is None:
        raise click.ClickException(f"no letter {slug!r}")
    try:
        created = deliver_letter(letter.id)
    except services.LetterError as error:
        reason = {"status": "it is still being drafted", "no-recipients": "it has no recipients"}
        raise click.ClickException(f"cannot deliver {slug}: {reason.get(str(error), str(error))}") from error
    click.echo(f"{slug}: {created} new deliveries queued, {len(letter.recipients) - created} already queued")
