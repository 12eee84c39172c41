"""The periodic job that reminds a delivered letter's coordinator of each recipient's deadline:
a few days before it, and once it has passed with no answer.

Each reminder is an outbox row keyed by the delivery, the deadline's day and the stage, so a
second run (or a second worker) mails nobody twice, and a deadline the coordinator moves is
reminded of again for its new day.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_mail import Message
from sqlalchemy import select

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import Delivery, Letter, LetterStatus
from campaign.letters.outcome_models import OPEN_OUTCOMES, FollowUp
from campaign.links import absolute_url
from campaign.models_base import utcnow
from campaign.outbox import Claimed, MailKind

#: days before a deadline that the coordinator is reminded
DAYS_BEFORE = 3
#: days after a deadline during which a missed one is still reminded of (not every old letter's)
DAYS_AFTER = 7
SOON, PASSED = "soon", "passed"


def remind_deadlines() -> int:
    """Queue a reminder for every open deadline that is near or just passed; returns how many
    follow-ups were due one (whether or not an earlier run already queued it)."""
    now = utcnow()
    rows = db.session.scalars(
        select(FollowUp)
        .join(Delivery, FollowUp.delivery_id == Delivery.id)
        .join(Letter, Delivery.letter_id == Letter.id)
        .where(Letter.status == LetterStatus.DELIVERED, FollowUp.outcome.in_(OPEN_OUTCOMES))
    ).all()
    reminded = 0
    for follow_up in rows:
        left, due = follow_up.days_left(now), follow_up.due_at
        if left is None or due is None:
            continue
        stage = SOON if 0 <= left <= DAYS_BEFORE else PASSED if -DAYS_AFTER <= left < 0 else None
        if stage is None:
            continue
        letter = db.session.get(Letter, follow_up.delivery.letter_id)
        if letter is None:
            continue
        services.mail_members(
            "letter_deadline",
            letter.coordinator,
            ("owner", "editor"),
            key=f"letter:{letter.id}:delivery:{follow_up.delivery_id}:deadline:{due:%Y%m%d}:{stage}",
            payload={"letter_id": letter.id, "delivery_id": follow_up.delivery_id, "stage": stage},
        )
        reminded += 1
    db.session.commit()
    return reminded


def deadline_reminder(row: Claimed) -> Message | None:
    """Nothing is sent once an answer was recorded meanwhile."""
    follow_up = db.session.scalar(select(FollowUp).where(FollowUp.delivery_id == row.payload["delivery_id"]))
    letter = db.session.get(Letter, row.payload["letter_id"])
    if follow_up is None or letter is None or not follow_up.is_open or follow_up.due_at is None:
        return None
    frozen = letter.frozen_text(row.lang)
    title = frozen[0].title if frozen else letter.slug
    recipient = follow_up.delivery.recipient.name_in(row.lang)
    due = format_date(follow_up.due_at)
    if row.payload["stage"] == SOON:
        days = max(follow_up.days_left(utcnow()) or 0, 0)
        subject = ngettext(
            "An answer is due in %(num)d day: %(title)s",
            "An answer is due in %(num)d days: %(title)s",
            days,
            title=title,
        )
        lead = _(
            "%(recipient)s has until %(date)s to answer the letter “%(title)s”.",
            recipient=recipient,
            date=due,
            title=title,
        )
    else:
        subject = _("No answer by the deadline: %(title)s", title=title)
        lead = _(
            "The deadline for %(recipient)s to answer the letter “%(title)s” passed on %(date)s.",
            recipient=recipient,
            date=due,
            title=title,
        )
    context = {
        "lead": lead,
        "is_passed": row.payload["stage"] == PASSED,
        "link": absolute_url(
            "letter_outcomes.follow_up", lang=row.lang, slug=letter.slug, delivery_id=follow_up.delivery_id
        ),
    }
    return Message(
        subject=subject,
        recipients=[row.recipient or ""],
        body=render_template("email/letter_deadline.txt", **context),
        html=render_template("email/letter_deadline.html", **context),
    )


#: how the reminders are built (create_app registers them with the outbox)
BUILDERS = {"letter_deadline": MailKind(deadline_reminder)}
