"""Translated labels for a defender's stored codes, shared by pages and mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DEFENDER_STATUS = {
    "detained": _l("Detained"),
    "under_investigation": _l("Under investigation"),
    "on_trial": _l("On trial"),
    "sentenced": _l("Sentenced"),
    "in_exile": _l("In exile"),
    "released": _l("Released"),
}
