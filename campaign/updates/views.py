"""The campaigner's pages: write an update, preview it, send a test, send or schedule, progress.

Staff only. Views own the transaction; the work is in services.py.
"""

from __future__ import annotations

from babel import Locale
from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.forms import wants_preview
from campaign.models_base import utcnow
from campaign.signatures.sources import campaign_sources, source_label
from campaign.throttle import rate_limit
from campaign.updates import personal, services
from campaign.updates.forms import AudienceForm, ConfirmForm, ScheduleForm, TestSendForm, UpdateTextForm
from campaign.updates.models import Update, UpdateStatus

bp = Blueprint("updates", __name__, url_prefix="/<lang>/dashboard/campaigns/<slug>/updates")

UPDATE_STATUS = {
    UpdateStatus.DRAFT: _l("draft"),
    UpdateStatus.SCHEDULED: _l("scheduled"),
    UpdateStatus.SENDING: _l("sending"),
    UpdateStatus.SENT: _l("sent"),
}


def _offered(lang: str) -> str:
    """``lang`` if it is one we offer; else (a tampered form) the page's."""
    return lang if lang in current_app.config["LANGUAGES"] else g.lang


def personal_preview(subject: str, body: str, lang: str) -> tuple[str, Markup]:
    """The text as a reader sees it, the sample name where ``{name}`` goes."""
    return personal.preview(subject, body, _offered(lang))


@bp.context_processor
def labels() -> dict[str, object]:
    return {
        "update_status": UPDATE_STATUS,
        "personal_preview": personal_preview,
        "sample_name": lambda lang: personal.sample_name(_offered(lang)),
        "fallback_name": lambda lang: personal.fallback_name(_offered(lang)),
    }


#: what the page says after a redirect (``?done=``): only these fixed messages, never request text
NOTICES = {
    "created": lambda: _("The update is saved as a draft."),
    "saved": lambda: _("The text is saved."),
    "test": lambda: _("A test is on its way to your address."),
    "scheduled": lambda: _("The update is scheduled."),
    "unscheduled": lambda: _("The update is a draft again; nothing will be sent."),
    "started": lambda: _("Sending has started."),
    "already": lambda: _("This update was already sent or is being sent; nothing was sent twice."),
    "published": lambda: _("The update is published on the campaign's and the defender's pages."),
    "already_published": lambda: _("The update was already published."),
    "unpublished": lambda: _("The update is no longer shown on the public pages."),
    "audience": lambda: _("The audience is saved."),
}


def _campaign(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        abort(404)
    return campaign


def _update(campaign: Campaign, update_id: int) -> Update:
    update = db.session.get(Update, update_id)
    if update is None or update.campaign_id != campaign.id:
        abort(404)
    return update


def _languages() -> list[tuple[str, str]]:
    return [
        (code, Locale.parse(code).get_display_name(g.lang) or code)
        for code in current_app.config["LANGUAGES"]
    ]


def _text_form(update: Update | None = None, lang: str | None = None) -> UpdateTextForm:
    form = UpdateTextForm()
    form.lang.choices = _languages()
    if update is not None and lang in update.translations and request.method == "GET":
        form.lang.data = lang
        form.subject.data = update.translations[lang].subject
        form.body.data = update.translations[lang].body
    return form


def _audience_form(update: Update) -> AudienceForm:
    """Prefilled with the update's segment on a GET; the request's on a POST.

    The partner links offered are those that brought signers to the campaign; the one the update
    already names stays offered, so saving the form again keeps what it chose.
    """
    segment = update.segment if request.method == "GET" else None
    form = AudienceForm(obj=segment, prefix="audience")
    form.lang.choices = [("", _("Every language")), *_languages()]
    sources = campaign_sources(update.campaign_id)
    chosen = update.segment.source
    if chosen and chosen not in dict(sources):
        sources.append((chosen, source_label(chosen)))
    form.source.choices = [("", _("Everyone, whatever link they signed through")), *sources]
    return form


def _show(campaign: Campaign, update: Update, status: int = 200, **forms: object) -> tuple[str, int]:
    """The update's page; ``forms`` replaces a blank form with one that carries errors."""
    lang = request.args.get("edit", update.default_lang)
    test_form = TestSendForm()
    test_form.lang.choices = [(code, name) for code, name in _languages() if code in update.translations]
    notice = NOTICES.get(request.args.get("done", ""))
    context = {
        "text_form": _text_form(update, lang),
        "test_form": test_form,
        "schedule_form": ScheduleForm(),
        "confirm_form": ConfirmForm(),
        "audience_form": _audience_form(update),
        **forms,
    }
    return (
        render_template(
            "updates/dashboard/show.html",
            campaign=campaign,
            update=update,
            progress=services.update_progress(update.id),
            notice=notice() if notice else None,
            **context,
        ),
        status,
    )


def _index(campaign: Campaign, form: UpdateTextForm, status: int = 200) -> tuple[str, int]:
    updates = db.session.scalars(
        select(Update).where(Update.campaign_id == campaign.id).order_by(Update.created_at.desc())
    ).all()
    progress = {update.id: services.update_progress(update.id) for update in updates}
    page = render_template(
        "updates/dashboard/index.html", campaign=campaign, updates=updates, progress=progress, form=form
    )
    return page, status


@bp.get("/")
@staff_required()
def index(slug: str) -> tuple[str, int]:
    return _index(_campaign(slug), _text_form())


@bp.post("/")
@staff_required()
def create(slug: str) -> Response | tuple[str, int]:
    campaign = _campaign(slug)
    form = _text_form()
    if wants_preview():
        return _index(campaign, form)
    if not form.validate():
        return _index(campaign, form, 422)
    update = services.create_update(
        campaign, form.lang.data, form.subject.data, form.body.data, created_by_id=current_user.id
    )
    db.session.commit()
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done="created"), 303)


@bp.get("/<int:update_id>")
@staff_required()
def show(slug: str, update_id: int) -> tuple[str, int]:
    campaign = _campaign(slug)
    return _show(campaign, _update(campaign, update_id))


@bp.post("/<int:update_id>/text")
@staff_required()
def save_text(slug: str, update_id: int) -> Response | tuple[str, int]:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    form = _text_form()
    if not update.is_editable:
        return _show(campaign, update, 409)
    if wants_preview():
        return _show(campaign, update, 200, text_form=form)
    if not form.validate():
        return _show(campaign, update, 422, text_form=form)
    services.set_text(update, form.lang.data, form.subject.data, form.body.data)
    db.session.commit()
    return redirect(
        url_for("updates.show", slug=slug, update_id=update.id, edit=form.lang.data, done="saved"), 303
    )


@bp.post("/<int:update_id>/test")
@staff_required()
@rate_limit("20 per hour")
def send_test(slug: str, update_id: int) -> Response | tuple[str, int]:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    form = TestSendForm()
    form.lang.choices = [(code, code) for code in update.translations]
    if not form.validate():
        return _show(campaign, update, 422)
    services.send_test(update.id, current_user.email, form.lang.data, user_id=current_user.id)
    db.session.commit()
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done="test"), 303)


@bp.post("/<int:update_id>/audience")
@staff_required()
def set_audience(slug: str, update_id: int) -> Response | tuple[str, int]:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    form = _audience_form(update)
    if not update.is_editable:
        return _show(campaign, update, 409)
    if not form.validate():
        return _show(campaign, update, 422, audience_form=form)
    services.set_audience(update, form.segment())
    db.session.commit()
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done="audience"), 303)


def _confirm_page(campaign: Campaign, update: Update, status: int = 200) -> tuple[str, int]:
    return render_template(
        "updates/dashboard/confirm_send.html",
        campaign=campaign,
        update=update,
        segment=update.segment,
        size=services.audience_size(update),
        confirm_form=ConfirmForm(),
    ), status


@bp.get("/<int:update_id>/send")
@staff_required()
def confirm_send(slug: str, update_id: int) -> tuple[str, int]:
    """The step before sending: the audience named, and its size counted now."""
    campaign = _campaign(slug)
    return _confirm_page(campaign, _update(campaign, update_id))


@bp.post("/<int:update_id>/send")
@staff_required()
def send(slug: str, update_id: int) -> Response | tuple[str, int]:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    if not ConfirmForm().validate():
        abort(400)
    if update.is_editable and services.audience_size(update) == 0:
        return _confirm_page(campaign, update, 409)
    started = services.send_update(update.id)
    db.session.commit()
    return redirect(
        url_for("updates.show", slug=slug, update_id=update.id, done="started" if started else "already"), 303
    )


@bp.post("/<int:update_id>/schedule")
@staff_required()
def schedule(slug: str, update_id: int) -> Response | tuple[str, int]:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    form = ScheduleForm()
    if not form.validate():
        return _show(campaign, update, 422, schedule_form=form)
    if form.scheduled_at.data <= utcnow():
        form.scheduled_at.errors = [_("Please choose a time in the future.")]
        return _show(campaign, update, 422, schedule_form=form)
    if services.audience_size(update) == 0:
        form.scheduled_at.errors = [_("Nobody is in this update's audience: there is no one to send it to.")]
        return _show(campaign, update, 422, schedule_form=form)
    done = "scheduled" if services.schedule_update(update.id, form.scheduled_at.data) else "already"
    db.session.commit()
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done=done), 303)


@bp.post("/<int:update_id>/unschedule")
@staff_required()
def unschedule(slug: str, update_id: int) -> Response:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    if not ConfirmForm().validate():
        abort(400)
    services.unschedule_update(update.id)
    db.session.commit()
    return redirect(url_for("updates.show", slug=slug, update_id=update.id, done="unscheduled"), 303)


@bp.get("/<int:update_id>/progress.json")
@staff_required()
def progress(slug: str, update_id: int) -> Response:
    campaign = _campaign(slug)
    update = _update(campaign, update_id)
    return jsonify(services.update_progress(update.id))
