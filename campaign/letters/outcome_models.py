"""After delivery: what each recipient did with the letter and by when the law expects an answer.

A :class:`FollowUp` per delivery holds the current state, which the pages, the API and the
reminder job read. A :class:`FollowUpEvent` is one change to it: the history is append-only,
every change a participant makes is a new row, dated and attributed, never edited afterwards.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.letters.models import Delivery
from campaign.models_base import Model, utcnow


class OutcomeStatus(StrEnum):
    """What a recipient did with the letter, as participants record it; and OutcomeStatus.OVERDUE, which is
    never stored: shown instead of an open outcome once its deadline has passed."""

    AWAITING = "awaiting"
    ACKNOWLEDGED = "acknowledged"
    REPLIED = "replied"
    REFUSED = "refused"
    NO_ANSWER = "no_answer"
    OVERDUE = "overdue"


#: outcomes after which an answer is still owed: the deadline runs, reminders go out
OPEN_OUTCOMES = (OutcomeStatus.AWAITING, OutcomeStatus.ACKNOWLEDGED)

#: days an office has to answer an appeal where the law is clear, counted from delivery:
#: Russia's Federal Law 59-FZ on citizens' appeals, art. 12; Ukraine's law on citizens' appeals,
#: art. 20 (one month). Elsewhere DEFAULT_DEADLINE_DAYS; the coordinator sets it per recipient.
DEADLINE_DAYS = {"RU": 30, "UA": 30}
DEFAULT_DEADLINE_DAYS = 30


class EventKind(StrEnum):
    """The kinds of entries in a delivery's history."""

    OUTCOME = "outcome"
    DEADLINE = "deadline"
    PUBLICATION = "publication"
    HANDED = "handed"
    REDELIVERY = "redelivery"
    UPDATE_PREPARED = "update"


def scan_kind(name: str | None) -> str | None:
    """A stored scan's kind as its URL names it: "pdf", or "jpg" for a re-encoded picture."""
    if not name:
        return None
    return "pdf" if name.endswith(".pdf") else "jpg"


def default_deadline_days(country: str) -> int:
    return DEADLINE_DAYS.get(country, DEFAULT_DEADLINE_DAYS)


class FollowUp(Model):
    __tablename__ = "delivery_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id", ondelete="CASCADE"), unique=True)
    #: awaiting, acknowledged, replied, refused or no_answer
    outcome: Mapped[str] = mapped_column(String(12), default=OutcomeStatus.AWAITING)
    #: days after delivery the recipient has to answer
    deadline_days: Mapped[int]
    acknowledged_on: Mapped[date | None]
    #: the number the office registered the letter under, when it acknowledged it
    registration_number: Mapped[str] = mapped_column(String(100), default="")
    responded_on: Mapped[date | None]
    #: the answer's text, as the participant transcribed it
    response: Mapped[str] = mapped_column(Text, default="")
    #: file name of the answer's scan (a re-encoded JPEG or a rewritten PDF) under the instance's uploads
    response_scan: Mapped[str | None] = mapped_column(String(64))
    #: the coordinator's choices of what the public page and the API show
    is_registration_public: Mapped[bool] = mapped_column(default=False)
    is_response_public: Mapped[bool] = mapped_column(default=False)
    #: the earliest delivery by hand or post, when it reached the office before (or without) email
    handed_on: Mapped[date | None]
    #: the draft update prepared for the campaign's supporters, if any
    update_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_update.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    delivery: Mapped[Delivery] = relationship(lazy="joined")
    events: Mapped[list[FollowUpEvent]] = relationship(
        back_populates="follow_up", order_by="FollowUpEvent.id", cascade="all, delete-orphan"
    )

    @property
    def delivered_at(self) -> datetime | None:
        """When the letter reached the office: the email's acceptance or the hand delivery, the earlier."""
        moments = [self.delivery.sent_at] if self.delivery.sent_at else []
        if self.handed_on:
            moments.append(datetime.combine(self.handed_on, datetime.min.time()))
        return min(moments) if moments else None

    @property
    def due_at(self) -> datetime | None:
        delivered = self.delivered_at
        return delivered + timedelta(days=self.deadline_days) if delivered else None

    @property
    def response_scan_kind(self) -> str | None:
        return scan_kind(self.response_scan)

    @property
    def is_open(self) -> bool:
        return self.outcome in OPEN_OUTCOMES

    def days_left(self, now: datetime) -> int | None:
        """Whole days until the deadline (negative once it passed); None before delivery."""
        due = self.due_at
        return (due.date() - now.date()).days if due else None

    def status(self, now: datetime) -> str:
        """The outcome, or "overdue" for one still open past its deadline."""
        left = self.days_left(now)
        return OutcomeStatus.OVERDUE if self.is_open and left is not None and left < 0 else self.outcome


class FollowUpEvent(Model):
    __tablename__ = "delivery_follow_up_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_follow_up.id", ondelete="CASCADE"), index=True
    )
    #: outcome, deadline, publication, handed (by hand or post), redelivery or update
    kind: Mapped[str] = mapped_column(String(12))
    #: what changed: the new outcome and its date, the new deadline, the hand delivery's details…
    details: Mapped[dict[str, str | int | bool | None]] = mapped_column(JSON, default=dict)
    #: a scan attached with this change (file name under the instance's uploads)
    scan: Mapped[str | None] = mapped_column(String(64))
    #: private to the author's organisation: other organisations in the letter never see it
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    follow_up: Mapped[FollowUp] = relationship(back_populates="events")

    @property
    def scan_kind(self) -> str | None:
        return scan_kind(self.scan)
