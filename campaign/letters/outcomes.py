"""Following a delivered letter: record what each recipient did, set its deadline, choose what the
public sees, and present it. Services flush; the view (or job) commits.

Every change appends a :class:`FollowUpEvent` (the delivery's history) and updates the
:class:`FollowUp` the pages read; nothing in the history is changed or removed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.accounts.models import Organisation, User
from campaign.audit.services import record
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.letters.models import Delivery, Letter, LetterParticipant, LetterStatus
from campaign.letters.outcome_models import EventKind, FollowUp, FollowUpEvent, OutcomeStatus
from campaign.links import absolute_url
from campaign.models_base import utcnow
from campaign.outbox import queue_mail
from campaign.updates.models import Update
from campaign.updates.services import create_update, set_text


@dataclass(frozen=True)
class OutcomeInput:
    outcome: str
    occurred_on: date
    registration_number: str = ""
    response: str = ""
    note: str = ""
    scan: str | None = None


@dataclass(frozen=True)
class HandedInput:
    """A delivery by hand or by post: when, by whom, where, the tracking number, the receipt's scan."""

    channel: str
    delivered_on: date
    by_whom: str
    place: str
    tracking: str = ""
    note: str = ""
    scan: str | None = None


def follow_ups(letter: Letter) -> list[FollowUp]:
    """The letter's follow-ups, in the order of its deliveries."""
    return list(
        db.session.scalars(
            select(FollowUp)
            .join(Delivery, FollowUp.delivery_id == Delivery.id)
            .where(Delivery.letter_id == letter.id)
            .order_by(Delivery.id)
        ).all()
    )


def _append(
    follow_up: FollowUp,
    kind: str,
    by: User | None,
    organisation: Organisation | None,
    details: dict[str, Any],
    note: str = "",
    scan: str | None = None,
) -> FollowUpEvent:
    event = FollowUpEvent(
        kind=kind,
        details=details,
        note=note,
        scan=scan,
        user_id=by.id if by else None,
        organisation_id=organisation.id if organisation else None,
    )
    follow_up.events.append(event)
    db.session.flush()
    return event


def _audit(
    action: str, follow_up: FollowUp, by: User | None, organisation: Organisation | None, **details: Any
) -> None:
    """The change in the audit log too, by ids only (the history keeps what changed)."""
    delivery = follow_up.delivery
    record(
        action,
        user_id=by.id if by else None,
        letter_id=delivery.letter_id,
        organisation_id=organisation.id if organisation else None,
        details={"delivery_id": delivery.id, "recipient_id": delivery.recipient_id, **details},
    )


def record_outcome(
    follow_up: FollowUp, data: OutcomeInput, by: User | None, organisation: Organisation | None
) -> FollowUpEvent:
    """What the recipient did: acknowledged (with its registration number), replied (its text or
    scan), refused, no answer, or back to awaiting (a mistake corrected, recorded as such)."""
    follow_up.outcome = data.outcome
    if data.outcome == OutcomeStatus.ACKNOWLEDGED:
        follow_up.acknowledged_on = data.occurred_on
        follow_up.registration_number = data.registration_number
    elif data.outcome in (OutcomeStatus.REPLIED, OutcomeStatus.REFUSED):
        follow_up.responded_on = data.occurred_on
        follow_up.response = data.response
        if data.scan:
            follow_up.response_scan = data.scan
    details: dict[str, Any] = {"outcome": data.outcome, "on": data.occurred_on.isoformat()}
    if data.registration_number:
        details["registration_number"] = data.registration_number
    if data.response:
        details["response"] = data.response
    _audit("letter.outcome_recorded", follow_up, by, organisation, outcome=data.outcome)
    return _append(follow_up, EventKind.OUTCOME, by, organisation, details, data.note, data.scan)


def set_deadline(follow_up: FollowUp, days: int, by: User | None, organisation: Organisation | None) -> None:
    follow_up.deadline_days = days
    _append(follow_up, EventKind.DEADLINE, by, organisation, {"days": days})
    _audit("letter.deadline_set", follow_up, by, organisation, days=days)


def set_publication(
    follow_up: FollowUp,
    registration: bool,
    response: bool,
    by: User | None,
    organisation: Organisation | None,
) -> None:
    follow_up.is_registration_public, follow_up.is_response_public = registration, response
    _append(
        follow_up,
        EventKind.PUBLICATION,
        by,
        organisation,
        {"registration": registration, "response": response},
    )
    _audit(
        "letter.publication_set", follow_up, by, organisation, registration=registration, response=response
    )


def record_handed(
    follow_up: FollowUp, data: HandedInput, by: User | None, organisation: Organisation | None
) -> FollowUpEvent:
    """A delivery by hand or post; the deadline runs from the earliest delivery."""
    if follow_up.handed_on is None or data.delivered_on < follow_up.handed_on:
        follow_up.handed_on = data.delivered_on
    details = {
        "channel": data.channel,
        "on": data.delivered_on.isoformat(),
        "by": data.by_whom,
        "place": data.place,
        "tracking": data.tracking,
    }
    _audit("letter.handed_recorded", follow_up, by, organisation, channel=data.channel)
    return _append(follow_up, EventKind.HANDED, by, organisation, details, data.note, data.scan)


def visible_events(follow_up: FollowUp, organisation_id: int | None) -> list[tuple[FollowUpEvent, str]]:
    """The history as one organisation sees it: every entry, each with its note only if the
    organisation wrote it (staff, acting for none, see no note)."""
    return [
        (
            event,
            event.note if organisation_id is not None and event.organisation_id == organisation_id else "",
        )
        for event in follow_up.events
    ]


def _midnight(day: date | None) -> str | None:
    return f"{day.isoformat()}T00:00:00Z" if day else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def public_outcome(follow_up: FollowUp, now: datetime | None = None) -> dict[str, Any]:
    """The outcome as the public letter page and the API show it: dates always, the registration
    number and the answer only once the coordinator publishes them, never a note."""
    now = now or utcnow()
    status = follow_up.status(now)
    left = follow_up.days_left(now)
    responded = follow_up.outcome in (OutcomeStatus.REPLIED, OutcomeStatus.REFUSED)
    return {
        "status": status,
        "delivered_at": _iso(follow_up.delivered_at),
        "due_at": _iso(follow_up.due_at),
        "days_overdue": -left if status == OutcomeStatus.OVERDUE and left is not None else 0,
        "acknowledged_at": _midnight(follow_up.acknowledged_on),
        "registration_number": follow_up.registration_number
        if follow_up.is_registration_public and follow_up.registration_number
        else None,
        "responded_at": _midnight(follow_up.responded_on) if responded else None,
        "response": follow_up.response
        if responded and follow_up.is_response_public and follow_up.response
        else None,
    }


def has_news(follow_up: FollowUp, now: datetime) -> bool:
    """Something the campaign's supporters may be told: a published answer, or a deadline passed."""
    if follow_up.outcome in (OutcomeStatus.REPLIED, OutcomeStatus.REFUSED):
        return follow_up.is_response_public
    return follow_up.status(now) == OutcomeStatus.OVERDUE or follow_up.outcome == OutcomeStatus.NO_ANSWER


#: delivery statuses a participant may send again after correcting the address
REDELIVERABLE = ("failed", "expired")


def redeliver(follow_up: FollowUp, email: str, by: User | None, organisation: Organisation | None) -> int:
    """Correct a refused recipient's address and send the letter again to that recipient only.

    The delivery moves to a new outbox row (keyed by the attempt's number); the refused one stays
    as it was, and the history keeps the server's refusal. Returns the new outbox row's id.
    """
    delivery = follow_up.delivery
    previous = delivery.outbox
    recipient = delivery.recipient
    recipient.email = email
    attempt = 1 + sum(1 for event in follow_up.events if event.kind == EventKind.REDELIVERY)
    outbox_id = queue_mail(
        "letter_delivery",
        email,
        delivery.lang,
        key=f"letter:{delivery.letter_id}:recipient:{recipient.id}:again:{attempt}",
        payload={"letter_id": delivery.letter_id, "recipient_id": recipient.id},
        queue="delivery",
    )
    if outbox_id is None:  # an earlier request made this attempt's row: nothing is sent twice
        raise ValueError("already")
    delivery.outbox_id = outbox_id
    _append(
        follow_up,
        EventKind.REDELIVERY,
        by,
        organisation,
        {"previous_outbox_id": previous.id, "refusal": previous.last_error or "", "attempt": attempt},
    )
    record("letter.recipient_changed", letter_id=delivery.letter_id, details={"recipient_id": recipient.id})
    _audit("letter.redelivered", follow_up, by, organisation, attempt=attempt)
    return outbox_id


def _update_text(follow_up: FollowUp, letter: Letter, lang: str, now: datetime) -> tuple[str, str]:
    """The prepared update's subject and body in ``lang`` (the current locale)."""
    frozen = letter.frozen_text(lang)
    title = frozen[0].title if frozen else letter.slug
    recipient = follow_up.delivery.recipient.name_in(lang)
    link = absolute_url("letters.public", lang=lang, slug=letter.slug)
    if follow_up.outcome in (OutcomeStatus.REPLIED, OutcomeStatus.REFUSED):
        day = format_date(follow_up.responded_on) if follow_up.responded_on else ""
        if follow_up.outcome == OutcomeStatus.REPLIED:
            subject = _("%(recipient)s answered our letter", recipient=recipient)
            lead = _(
                "%(recipient)s answered the letter “%(title)s” on %(date)s.",
                recipient=recipient,
                title=title,
                date=day,
            )
        else:
            subject = _("%(recipient)s refused our letter", recipient=recipient)
            lead = _(
                "%(recipient)s refused the letter “%(title)s” on %(date)s.",
                recipient=recipient,
                title=title,
                date=day,
            )
        quoted = "\n".join(f"> {line}" for line in follow_up.response.splitlines())
        body = "\n\n".join(part for part in (lead, quoted) if part)
    else:
        days = max(-(follow_up.days_left(now) or 0), 0)
        subject = _("%(recipient)s has not answered our letter", recipient=recipient)
        body = ngettext(
            "%(recipient)s has not answered the letter “%(title)s”: the deadline passed %(num)d day ago.",
            "%(recipient)s has not answered the letter “%(title)s”: the deadline passed %(num)d days ago.",
            days,
            recipient=recipient,
            title=title,
        )
    return subject, f"{body}\n\n{_('The letter and what each recipient did: %(link)s', link=link)}"


def prepare_update(follow_up: FollowUp, by: User | None, organisation: Organisation | None) -> Update:
    """A draft update to the letter's campaign's supporters, written in each of the campaign's
    languages; staff review it, preview it, send a test and send it on the updates page."""
    letter = db.session.get(Letter, follow_up.delivery.letter_id)
    campaign = db.session.get(Campaign, letter.campaign_id) if letter and letter.campaign_id else None
    if letter is None or campaign is None:
        raise ValueError("no-campaign")
    now = utcnow()
    texts = {}
    for lang in [campaign.default_lang, *sorted(set(campaign.translations) - {campaign.default_lang})]:
        with force_locale(lang):
            texts[lang] = _update_text(follow_up, letter, lang, now)
    subject, body = texts.pop(campaign.default_lang)
    update = create_update(
        campaign, campaign.default_lang, subject, body, created_by_id=by.id if by else None
    )
    for lang, (subject, body) in texts.items():
        set_text(update, lang, subject, body)
    follow_up.update_id = update.id
    _append(follow_up, EventKind.UPDATE_PREPARED, by, organisation, {"update_id": update.id})
    return update


def letters_of(organisation_ids: list[int]) -> list[int]:
    """The delivered letters these organisations coordinate or accepted to take part in."""
    partnered = select(LetterParticipant.letter_id).where(
        LetterParticipant.organisation_id.in_(organisation_ids), LetterParticipant.accepted_at.is_not(None)
    )
    return list(
        db.session.scalars(
            select(Letter.id).where(
                Letter.status == LetterStatus.DELIVERED,
                Letter.coordinator_id.in_(organisation_ids) | Letter.id.in_(partnered),
            )
        ).all()
    )


def awaiting(letter_ids: list[int] | None, now: datetime) -> list[FollowUp]:
    """Every follow-up still owed an answer, or whose email was refused, soonest deadline first
    (every delivered letter's when ``letter_ids`` is None: staff)."""
    query = select(FollowUp).join(Delivery, FollowUp.delivery_id == Delivery.id)
    if letter_ids is not None:
        query = query.where(Delivery.letter_id.in_(letter_ids or [-1]))
    rows = db.session.scalars(query.order_by(Delivery.id)).all()
    waiting = [row for row in rows if row.is_open or row.delivery.status in REDELIVERABLE]
    return sorted(waiting, key=lambda row: (row.due_at is None, row.due_at or now))
