"""Translated labels for the accounts domain's stored codes, shared by pages and mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORG_ROLE = {
    "owner": _l("Owner"),
    "editor": _l("Editor"),
    "signer": _l("Signer"),
}
