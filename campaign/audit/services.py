"""The one helper every domain records its acts through. It adds a row; the caller commits."""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user

from campaign.audit.models import AuditEntry
from campaign.extensions import db

#: stands for "whoever is logged in to this request" (the command line and jobs have nobody)
CURRENT = object()


def _acting_user_id() -> int | None:
    if has_request_context() and current_user.is_authenticated:
        return int(current_user.id)
    return None


def record(
    action: str,
    *,
    user_id: int | object | None = CURRENT,
    campaign_id: int | None = None,
    letter_id: int | None = None,
    organisation_id: int | None = None,
    subject_user_id: int | None = None,
    details: dict[str, Any] | None = None,
    affected: int | None = None,
) -> AuditEntry:
    """Record ``action`` (a key of ``campaign.audit.labels.ACTIONS``) in the current transaction.

    ``details`` names things by id or slug and never holds a signer's address or name.
    """
    entry = AuditEntry(
        action=action,
        user_id=_acting_user_id() if user_id is CURRENT else user_id,
        campaign_id=campaign_id,
        letter_id=letter_id,
        organisation_id=organisation_id,
        subject_user_id=subject_user_id,
        details=details or {},
        affected=affected,
    )
    db.session.add(entry)
    return entry
