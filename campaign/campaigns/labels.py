"""Translated labels for stored codes, shared by pages and mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CAMPAIGN_STATUS = {
    "draft": _l("Draft"),
    "live": _l("Collecting signatures"),
    "closed": _l("Closed"),
    "won": _l("Won"),
}
