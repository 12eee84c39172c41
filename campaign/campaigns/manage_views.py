"""Staff pages to create and edit campaigns, in every supported language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from campaign.accounts.access import staff_required
from campaign.accounts.forms import ActionForm
from campaign.accounts.models import Organisation
from campaign.archiving import archive_or_restore
from campaign.campaigns import manage
from campaign.campaigns.forms import campaign_form
from campaign.campaigns.models import Campaign
from campaign.campaigns.services import get_campaign
from campaign.defenders.models import Defender
from campaign.extensions import db
from campaign.forms import choices, slug_taken, wants_preview
from campaign.moderation.services import audit

bp = Blueprint("manage", __name__, url_prefix="/<lang>/dashboard")


def _defender_choices() -> list[SelectChoice]:
    defenders = db.session.scalars(select(Defender).order_by(Defender.slug)).all()
    return choices([(0, _("No defender")), *((d.id, d.text(d.default_lang)[0].name) for d in defenders)])


def _campaign_page(form: Any, campaign: Campaign | None, status: int = 200) -> tuple[str, int]:
    return render_template("campaigns/manage_form.html", form=form, campaign=campaign), status


def _save_campaign(campaign: Campaign | None) -> Response | tuple[str, int]:
    data = manage.campaign_data(campaign) if campaign and request.method == "GET" else None
    form = campaign_form(data=data)
    form.defender_id.choices = _defender_choices()
    form.partner_ids.choices = [
        (organisation.id, organisation.name(g.lang))
        for organisation in db.session.scalars(select(Organisation).order_by(Organisation.slug))
    ]
    if request.method == "GET" or wants_preview():
        return _campaign_page(form, campaign)
    if not form.validate():
        return _campaign_page(form, campaign, 422)
    if slug_taken(Campaign, form.slug.data, campaign.id if campaign else None):
        form.slug.errors.append(_("Another campaign already uses this address."))
        return _campaign_page(form, campaign, 409)
    is_new = campaign is None
    campaign = campaign or Campaign()
    manage.apply_campaign(campaign, form)
    db.session.add(campaign)
    db.session.flush()
    action = "campaign.created" if is_new else "campaign.updated"
    audit(action, current_user.id, campaign.id, {"slug": campaign.slug, "status": campaign.status})
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("manage.edit_campaign", slug=campaign.slug), 303)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@staff_required()
def new_campaign() -> Response | tuple[str, int]:
    return _save_campaign(None)


@bp.route("/campaigns/<slug>/edit", methods=["GET", "POST"])
@staff_required()
def edit_campaign(slug: str) -> Response | tuple[str, int]:
    return _save_campaign(get_campaign(slug))


@bp.route("/campaigns/<slug>/archive", methods=["GET", "POST"])
@staff_required()
def archive_campaign(slug: str) -> Response | str:
    """GET asks for confirmation (and changes nothing); its POST archives."""
    campaign = get_campaign(slug)
    form = ActionForm()
    if request.method == "GET":
        return render_template(
            "archive_confirm.html",
            form=form,
            heading=_("Archive the campaign “%(title)s”?", title=campaign.text(g.lang)[0].title),
            explanation=_(
                "It disappears from the public lists, the API and the feeds; its page says it was "
                "archived and it takes no signatures. Its signatures and counts are kept: restoring "
                "it brings it back as it was."
            ),
            button=_("Archive the campaign"),
            action=url_for("manage.archive_campaign", slug=slug),
            back=url_for("dashboard.campaign", slug=slug),
        )
    return _set_archived(campaign, form, archived=True)


@bp.post("/campaigns/<slug>/restore")
@staff_required()
def restore_campaign(slug: str) -> Response:
    return _set_archived(get_campaign(slug), ActionForm(), archived=False)


def _set_archived(campaign: Campaign, form: ActionForm, archived: bool) -> Response:
    if not form.validate():
        abort(400)
    back = url_for("dashboard.campaign", slug=campaign.slug)
    return archive_or_restore(
        campaign, archived, "campaign", back, campaign_id=campaign.id, details={"slug": campaign.slug}
    )
