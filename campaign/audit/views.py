"""The audit log for staff: the whole system, filtered by campaign, letter, person and action; and as CSV."""

from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign import csvfile
from campaign.accounts.access import staff_required
from campaign.accounts.models import User
from campaign.audit import log
from campaign.audit.forms import AuditFilterForm, action_choices
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.forms import choices
from campaign.i18n import current_lang
from campaign.letters.models import Letter

bp = Blueprint("audit", __name__, url_prefix="/<lang>/dashboard/audit")

CSV_HEADER = (
    "time_utc",
    "who",
    "action",
    "action_name",
    "campaign",
    "letter",
    "organisation",
    "person",
    "affected",
    "details",
)


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    lang = current_lang()
    anyone = [("", _("Anyone"))]
    form.campaign.choices = choices(
        [("", _("Any campaign"))]
        + [
            (str(c.id), c.text(lang)[0].title)
            for c in db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc()))
        ]
    )
    form.letter.choices = choices(
        [("", _("Any letter"))]
        + [
            (str(letter.id), letter.slug)
            for letter in db.session.scalars(select(Letter).order_by(Letter.slug))
        ]
    )
    form.user.choices = choices(
        anyone
        + [
            (str(user.id), log.person_name(user))
            for user in db.session.scalars(select(User).order_by(User.name, User.email))
        ]
    )
    form.action.choices = choices(action_choices())
    return form


def _query(form: AuditFilterForm) -> log.AuditQuery:
    return log.AuditQuery(
        campaign_id=form.campaign.data,
        letter_id=form.letter.data,
        user_id=form.user.data,
        action=form.action.data or None,
        since=form.since.data,
        until=form.until.data,
    )


@bp.get("/")
@staff_required()
def index() -> tuple[str, int]:
    form = _form()
    if not form.validate():
        return render_template("audit/index.html", form=form, rows=[], older=None), 422
    before = request.args.get("before", type=int)
    entries = log.page(_query(form), before)
    names = log.Names(current_lang())
    older = entries[-1].id if len(entries) == log.PAGE else None
    args = {key: value for key, value in request.args.items() if key != "before" and value}
    return (
        render_template(
            "audit/index.html",
            form=form,
            rows=[names.row(entry) for entry in entries],
            older=older,
            args=args,
        ),
        200,
    )


@bp.get("/audit.csv")
@staff_required()
def export_csv() -> Response | tuple[str, int]:
    form = _form()
    if not form.validate():
        return render_template("audit/index.html", form=form, rows=[], older=None), 422
    names = log.Names(current_lang())
    rows = (
        (
            row["at"].strftime("%Y-%m-%d %H:%M:%S"),
            row["who"],
            row["action"],
            row["action_label"],
            row["campaign"],
            row["letter"],
            row["organisation"],
            row["subject"],
            "" if row["affected"] is None else row["affected"],
            json.dumps(row["details"], ensure_ascii=False, sort_keys=True),
        )
        for row in map(names.row, log.every(_query(form)))
    )
    return csvfile.download("audit-log.csv", CSV_HEADER, rows)
