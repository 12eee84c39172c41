"""Staff pages for a campaign's paper signatures: the sheets so far, entering one, importing a list."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.access import staff_required
from campaign.accounts.models import Organisation
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.forms import choices
from campaign.i18n import current_lang
from campaign.paper import services
from campaign.paper.forms import ImportForm, SheetForm
from campaign.paper.models import PaperSheet
from campaign.request_guards import accepts_files
from campaign.signatures import counts

bp = Blueprint("paper", __name__, url_prefix="/<lang>/dashboard/campaigns/<slug>/paper")

REASONS = {
    services.NAME_MISSING: _l("No name, or a name longer than 100 characters"),
    services.COUNTRY_INVALID: _l("No known two-letter country code"),
    services.EMAIL_INVALID: _l("Not an email address"),
    services.ONLINE: _l("Already signed online"),
    services.ON_PAPER: _l("Already on an earlier paper list"),
    services.IN_FILE: _l("Twice in this file"),
}
FILE_REFUSALS = {
    "encoding": _l("The file is not UTF-8 text. Please save it as “CSV UTF-8”."),
    "no-name-column": _l("The file's first line must name the columns, one of them “name”."),
    "too-many-rows": _l("The file has more than 5,000 rows. Please split it."),
}
SCAN_REFUSALS = {
    "too-large": _l("The scan is larger than 10 MB."),
    "format": _l("The scan must be a JPEG or PNG picture."),
}


def _campaign(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        abort(404)
    return campaign


def _with_organisations(form: SheetForm | ImportForm) -> SheetForm | ImportForm:
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.slug))
    lang = current_lang()
    form.organisation.choices = choices(
        [(0, _("No partner organisation")), *((o.id, o.name(lang)) for o in organisations)]
    )
    return form


def _page(
    campaign: Campaign,
    status: int = 200,
    sheet_form: SheetForm | None = None,
    import_form: ImportForm | None = None,
    report: PaperSheet | None = None,
) -> tuple[str, int]:
    sheets = db.session.scalars(
        select(PaperSheet).where(PaperSheet.campaign_id == campaign.id).order_by(PaperSheet.id.desc())
    ).all()
    organisations = {o.id: o.name(current_lang()) for o in db.session.scalars(select(Organisation))}
    return (
        render_template(
            "paper/index.html",
            campaign=campaign,
            sheets=sheets,
            organisations=organisations,
            online=counts.total(campaign.id),
            offline=services.offline_count(campaign.id),
            sheet_form=sheet_form or _with_organisations(SheetForm(formdata=None)),
            import_form=import_form or _with_organisations(ImportForm(formdata=None)),
            report=report,
            reasons=REASONS,
            saved=request.args.get("done") == "sheet",
        ),
        status,
    )


def _input(form: SheetForm | ImportForm, count: int = 0, scan: str | None = None) -> services.SheetInput:
    return services.SheetInput(
        count=count,
        country=form.country.data or "",
        collected_on=form.collected_on.data,
        organisation_id=form.organisation.data or None,
        note=form.note.data or "",
        scan=scan,
    )


@bp.get("/")
@staff_required()
def index(slug: str) -> tuple[str, int]:
    return _page(_campaign(slug))


@bp.post("/sheets")
@accepts_files("scan")
@staff_required()
def add_sheet(slug: str) -> Response | tuple[str, int]:
    campaign = _campaign(slug)
    form = _with_organisations(SheetForm())
    assert isinstance(form, SheetForm)
    if not form.validate():
        return _page(campaign, 422, sheet_form=form)
    scan = None
    if form.scan.data:
        try:
            scan = services.save_scan(form.scan.data)
        except services.ScanError as refused:
            form.scan.errors = [str(SCAN_REFUSALS[str(refused)])]
            return _page(campaign, 422, sheet_form=form)
    services.add_sheet(campaign.id, _input(form, form.count.data or 0, scan), current_user.id)
    db.session.commit()
    return redirect(url_for("paper.index", slug=slug, done="sheet"), 303)


@bp.post("/imports")
@accepts_files("file")
@staff_required()
def import_signers(slug: str) -> tuple[str, int]:
    campaign = _campaign(slug)
    form = _with_organisations(ImportForm())
    if not form.validate():
        return _page(campaign, 422, import_form=form)
    assert isinstance(form, ImportForm)
    try:
        sheet, _kept = services.import_signers(
            campaign.id, form.file.data.read(), _input(form), current_user.id
        )
    except services.PaperImportError as refused:
        db.session.rollback()
        form.file.errors = [str(FILE_REFUSALS[refused.reason])]
        return _page(campaign, 422, import_form=form)
    db.session.commit()
    return _page(campaign, report=sheet)


@bp.get("/<int:sheet_id>/scan.jpg")
@staff_required()
def scan(slug: str, sheet_id: int) -> Response:
    campaign = _campaign(slug)
    sheet = db.session.get(PaperSheet, sheet_id)
    if sheet is None or sheet.campaign_id != campaign.id or not sheet.scan:
        abort(404)
    response = send_file(services.scan_dir() / sheet.scan, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
