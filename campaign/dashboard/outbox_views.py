"""Staff's view of the outbox: what waits, what failed for good, what expired after retrying for
OUTBOX_RETRY_HOURS, and a one-click retry (a POST, audited) for what failed or expired."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import ColumnElement, func, select, update
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.dispatch import kick
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.moderation.services import audit
from campaign.outbox import OutboxMessage, OutboxStatus

bp = Blueprint("outbox", __name__, url_prefix="/<lang>/dashboard/mail")

#: statuses a staff member may send again
RETRYABLE = (OutboxStatus.EXPIRED, OutboxStatus.FAILED)
#: how many failed and expired rows the page lists
LISTED = 100

STATUS = {
    "pending": _l("Waiting"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "failed": _l("Refused"),
    "expired": _l("Expired"),
    "cancelled": _l("Cancelled"),
}


@bp.get("/")
@staff_required()
def index() -> str:
    counts = db.session.execute(
        select(OutboxMessage.queue, OutboxMessage.status, func.count())
        .where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING, *RETRYABLE)))
        .group_by(OutboxMessage.queue, OutboxMessage.status)
    ).all()
    problems = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status.in_(RETRYABLE))
        .order_by(OutboxMessage.id.desc())
        .limit(LISTED)
    ).all()
    return render_template(
        "dashboard/outbox.html",
        counts=counts,
        problems=problems,
        status_label=STATUS,
        retry_hours=current_app.config["OUTBOX_RETRY_HOURS"],
    )


@bp.post("/retry")
@staff_required()
def retry() -> Response:
    """Send failed or expired rows again: the ``id`` fields given, or every expired row (``expired``)."""
    chosen: ColumnElement[bool] = OutboxMessage.status.in_(RETRYABLE)
    if request.form.get("expired"):
        chosen = OutboxMessage.status == OutboxStatus.EXPIRED
    else:
        ids = [int(value) for value in request.form.getlist("id") if value.isdigit() and len(value) < 12]
        chosen = chosen & OutboxMessage.id.in_(ids)
    rows = db.session.execute(select(OutboxMessage.id, OutboxMessage.queue).where(chosen)).all()
    if rows:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([row_id for row_id, _ in rows]))
            .values(
                status=OutboxStatus.PENDING,
                next_attempt_at=None,
                expires_at=utcnow() + timedelta(hours=current_app.config["OUTBOX_RETRY_HOURS"]),
            )
        )
        audit(
            "outbox.retried",
            current_user.id,
            None,
            {"ids": [row_id for row_id, _ in rows]},
            affected=len(rows),
        )
    db.session.commit()
    for queue_name in {queue_name for _, queue_name in rows}:
        kick(queue_name)
    flash(ngettext("%(num)s email will be sent again.", "%(num)s emails will be sent again.", len(rows)))
    return redirect(url_for("outbox.index"), 303)
