"""Following a delivered letter: record what each recipient did, set its deadline, choose what the
public sees, and present it. Services flush; the view (or job) commits.

Every change appends a :class:`FollowUpEvent` (the delivery's history) and updates the
:class:`FollowUp` the pages read; nothing in the history is changed or removed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from campaign.accounts.models import Organisation, User
from campaign.extensions import db
from campaign.letters.models import Delivery, Letter
from campaign.letters.outcome_models import (
    ACKNOWLEDGED,
    DEADLINE,
    HANDED,
    NO_ANSWER,
    OUTCOME,
    OVERDUE,
    PUBLICATION,
    REFUSED,
    REPLIED,
    FollowUp,
    FollowUpEvent,
)
from campaign.models_base import utcnow


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


def record_outcome(
    follow_up: FollowUp, data: OutcomeInput, by: User | None, organisation: Organisation | None
) -> FollowUpEvent:
    """What the recipient did: acknowledged (with its registration number), replied (its text or
    scan), refused, no answer, or back to awaiting (a mistake corrected, recorded as such)."""
    follow_up.outcome = data.outcome
    if data.outcome == ACKNOWLEDGED:
        follow_up.acknowledged_on = data.occurred_on
        follow_up.registration_number = data.registration_number
    elif data.outcome in (REPLIED, REFUSED):
        follow_up.responded_on = data.occurred_on
        follow_up.response = data.response
        if data.scan:
            follow_up.response_scan = data.scan
    details: dict[str, Any] = {"outcome": data.outcome, "on": data.occurred_on.isoformat()}
    if data.registration_number:
        details["registration_number"] = data.registration_number
    if data.response:
        details["response"] = data.response
    return _append(follow_up, OUTCOME, by, organisation, details, data.note, data.scan)


def set_deadline(follow_up: FollowUp, days: int, by: User | None, organisation: Organisation | None) -> None:
    follow_up.deadline_days = days
    _append(follow_up, DEADLINE, by, organisation, {"days": days})


def set_publication(
    follow_up: FollowUp,
    registration: bool,
    response: bool,
    by: User | None,
    organisation: Organisation | None,
) -> None:
    follow_up.is_registration_public, follow_up.is_response_public = registration, response
    _append(follow_up, PUBLICATION, by, organisation, {"registration": registration, "response": response})


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
    return _append(follow_up, HANDED, by, organisation, details, data.note, data.scan)


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
    responded = follow_up.outcome in (REPLIED, REFUSED)
    return {
        "status": status,
        "delivered_at": _iso(follow_up.delivered_at),
        "due_at": _iso(follow_up.due_at),
        "days_overdue": -left if status == OVERDUE and left is not None else 0,
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
    if follow_up.outcome in (REPLIED, REFUSED):
        return follow_up.is_response_public
    return follow_up.status(now) == OVERDUE or follow_up.outcome == NO_ANSWER
