"""The solidarity messages' moderation queue: staff read what signers wrote to a defender,
approve or reject it one by one or in bulk (each decision in the audit log), and download a
defender's approved messages as a booklet to print."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.audit.services import record
from campaign.defenders import messages
from campaign.defenders.booklet import render_booklet
from campaign.defenders.models import Defender, MessageStatus, SolidarityMessage
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures.models import Signature

bp = Blueprint("solidarity", __name__, url_prefix="/<lang>/dashboard/messages")

#: messages on one page of the queue
PAGE_SIZE = 100
#: the most messages one bulk decision takes
DECIDE_MAX = 500
DECISIONS = {"approve": MessageStatus.APPROVED, "reject": MessageStatus.REJECTED}


def _defender(slug: str | None) -> Defender | None:
    if not slug:
        return None
    defender = db.session.scalar(select(Defender).where(Defender.slug == slug[:80]))
    if defender is None:
        abort(404)
    return defender


@bp.get("/")
@staff_required()
def index() -> tuple[str, int]:
    status = request.args.get("status", MessageStatus.PENDING)
    if status not in set(MessageStatus):
        abort(400)
    defender = _defender(request.args.get("defender"))
    query = messages.listed(status, defender.id if defender else None)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = db.session.scalars(query.limit(PAGE_SIZE)).all()
    # a message whose signature was held for review or invalidated says so: it may be a bot's
    signature_ids = [message.signature_id for message in found if message.signature_id is not None]
    signature_status = {
        signature_id: status
        for signature_id, status in db.session.execute(
            select(Signature.id, Signature.status).where(Signature.id.in_(signature_ids))
        )
    }
    by_defender = db.session.execute(
        select(Defender, func.count(SolidarityMessage.id))
        .join(SolidarityMessage, SolidarityMessage.defender_id == Defender.id)
        .where(SolidarityMessage.status == MessageStatus.APPROVED)
        .group_by(Defender.id)
        .order_by(Defender.slug)
    ).all()
    done = request.args.get("done")
    return render_template(
        "moderation/messages.html",
        status=status,
        statuses=list(MessageStatus),
        defender=defender,
        messages=found,
        signature_status=signature_status,
        total=total,
        booklets=by_defender,
        done=done if done in DECISIONS else None,
        affected=request.args.get("n", type=int),
    ), 200


@bp.post("/decide")
@staff_required()
def decide() -> Response:
    action = request.form.get("action", "")
    if action not in DECISIONS:
        abort(400)
    raw = request.form.getlist("message")
    if not raw or len(raw) > DECIDE_MAX or not all(value.isdigit() and len(value) < 10 for value in raw):
        abort(400)
    changed = messages.decide(sorted({int(value) for value in raw}), DECISIONS[action])
    if changed:
        record(
            f"message.{DECISIONS[action]}",
            details={"message_ids": [message.id for message in changed]},
            affected=len(changed),
        )
    db.session.commit()
    status = request.form.get("status", MessageStatus.PENDING)
    return redirect(
        url_for(
            "solidarity.index",
            status=status if status in set(MessageStatus) else None,
            defender=request.form.get("defender") or None,
            done=action,
            n=len(changed),
        ),
        303,
    )


@bp.get("/defenders/<slug>/booklet.pdf")
@staff_required()
def booklet(slug: str) -> Response:
    """Every approved message to the defender, public or not, with the labels in the page's
    language."""
    defender = _defender(slug)
    assert defender is not None
    pdf = render_booklet(defender, g.lang, messages.for_booklet(defender.id), utcnow())
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="messages-{defender.slug}-{g.lang}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response
