"""The campaigners' dashboard: figures, exports, moderation (staff only)."""

from __future__ import annotations

from flask import Blueprint

from campaign.dashboard import models as _models  # noqa: F401 - the tables and indexes
from campaign.moderation import models as _moderation_models  # noqa: F401

bp = Blueprint("dashboard", __name__, url_prefix="/<lang>/dashboard")
