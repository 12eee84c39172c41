"""Public pages of the defenders' register."""

from __future__ import annotations

from flask import Blueprint

from campaign.defenders.labels import DEFENDER_STATUS

bp = Blueprint("defenders", __name__)


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {"defender_status": DEFENDER_STATUS}
