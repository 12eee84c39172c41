"""Who is behind the site and what it keeps: the privacy page, written from the deployment's
settings (operator, retention periods), so what it says is what the code does."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template

from campaign.i18n import current_lang
from campaign.links import absolute_url
from campaign.page_cache import public_page

bp = Blueprint("pages", __name__)


@bp.get("/<lang>/privacy")
@public_page
def privacy() -> str:
    config = current_app.config
    return render_template(
        "privacy.html",
        operator_name=config["OPERATOR_NAME"],
        operator_contact=config["OPERATOR_CONTACT"],
        operator_address=config["OPERATOR_ADDRESS"],
        retention_days=config["SIGNATURE_RETENTION_DAYS"],
        pending_hours=config["PENDING_SIGNATURE_TTL_HOURS"],
        follower_hours=config["PENDING_FOLLOWER_TTL_HOURS"],
        country_minimum=config["COUNTRY_COUNT_MIN"],
    )


def privacy_url() -> str:
    """The privacy page in the current language, absolute (for emails' footers)."""
    return absolute_url("pages.privacy", lang=current_lang())


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(privacy_url=privacy_url, operator_name=lambda: app.config["OPERATOR_NAME"])
