"""The staff navigation: one list of every staff feature, and which of them a page belongs to.

Infrastructure: it names endpoints only, so it imports no domain.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l

#: (endpoint of the section's first page, its label), in the order the navigation shows them
#: (labels are lazy strings, translated when the page is drawn)
SECTIONS: tuple[tuple[str, Any], ...] = (
    ("dashboard.index", _l("Campaigns")),
    ("manage_defenders.index", _l("Defenders")),
    ("updates_overview.index", _l("Updates")),
    ("letters.mine", _l("Letters")),
    ("moderation.index", _l("Moderation")),
    ("dashboard.exports_index", _l("Exports")),
    ("organisations.index", _l("Organisations")),
    ("team.index", _l("Team")),
    ("audit.index", _l("Audit log")),
)

#: pages whose blueprint alone does not say their section
BY_ENDPOINT = {
    "dashboard.exports_index": "dashboard.exports_index",
    "dashboard.export": "dashboard.exports_index",
    "dashboard.download": "dashboard.exports_index",
    "invitations.invite_staff": "team.index",
}
BY_BLUEPRINT = {
    "dashboard": "dashboard.index",
    "manage": "dashboard.index",
    "manage_defenders": "manage_defenders.index",
    "updates": "updates_overview.index",
    "updates_overview": "updates_overview.index",
    "letters": "letters.mine",
    "letter_actions": "letters.mine",
    "moderation": "moderation.index",
    "solidarity": "moderation.index",
    "organisations": "organisations.index",
    "audit": "audit.index",
    "paper": "dashboard.index",
    "team": "team.index",
}


def staff_sections() -> tuple[tuple[str, Any], ...]:
    return SECTIONS


def staff_section() -> str | None:
    """The section the current page belongs to, marked as current in the navigation."""
    endpoint = request.endpoint or ""
    return BY_ENDPOINT.get(endpoint) or BY_BLUEPRINT.get(request.blueprint or "")


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(staff_sections=staff_sections, staff_section=staff_section)
