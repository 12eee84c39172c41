"""Archive and restore, as the campaign, defender and letter pages offer them: one way to change
the timestamp, audit it and say so (``campaign.models_base.Archivable`` holds the state)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from campaign.audit.services import record
from campaign.extensions import db
from campaign.models_base import Archivable, set_archived


def archive_or_restore(item: Archivable, archived: bool, kind: str, back: str, **audit: Any) -> Response:
    """Archive ``item`` (or restore it) and commit, audited as ``<kind>.archived`` or
    ``<kind>.restored`` with ``audit``'s fields, only when that changed anything (a second press
    records nothing); then back to ``back`` with a note. The caller checks the form's token."""
    if set_archived(item, archived):
        record(f"{kind}.archived" if archived else f"{kind}.restored", **audit)
        db.session.commit()
    flash(_("Archived.") if archived else _("Restored."), "success")
    return redirect(back, 303)
