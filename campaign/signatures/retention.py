"""Keeping the least: what the system erases on its own, on a schedule.

- A campaign's signers are anonymised once it has been closed for its retention period
  (``Campaign.retention_days``, else ``SIGNATURE_RETENTION_DAYS``): names, addresses, address
  domains, IP hashes and token hashes go, unconfirmed signatures are deleted, and the counts
  stay (a signature row keeps its campaign, status, country, language, source and times). Its
  paper signers lose their names, and its paper sheets their scans (pictures of names); each
  sheet keeps its count. The IP hashes moderation copied (trending flags, the filters of bulk
  invalidations and their audit entries) go with the signatures' own.
- An address nobody needs any more is erased: a confirmed signer's who neither asked for updates
  nor let the partner they came through contact them (confirming already does that; this
  catches whoever unsubscribed or withdrew since), or who stopped all mail; and a supporter's
  who wants no update from any campaign.
- A request to follow a defender that was never confirmed is deleted once its link has expired
  (``PENDING_FOLLOWER_TTL_HOURS``).

The job is idempotent: a second run finds nothing left to erase.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, exists, or_, select, update

from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign, CampaignStatus
from campaign.defenders import messages
from campaign.defenders.follow import forget_unconfirmed_followers
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.moderation.models import Invalidation, TrendingFlag
from campaign.paper.models import PaperSheet, PaperSigner
from campaign.paper.services import scan_dir
from campaign.signatures.models import Signature, SignatureStatus, Supporter

#: what anonymising leaves in a signature's columns that named or could identify its signer
ANONYMOUS = {
    "name": "",
    "email": None,
    "email_domain": "",
    "ip_hash": "",
    "token_hash": None,
    "is_name_public": False,
    "wants_updates": False,
    "partner_may_contact": False,
    "message": None,
    "is_message_public": False,
}


def is_closed(campaign: Campaign, now: datetime) -> bool:
    """Closed, won, past its closing date, or archived (it takes no signatures: its signers'
    retention runs as for a closed campaign, and a restore before anonymising starts it afresh)."""
    if campaign.is_archived or campaign.status in (CampaignStatus.CLOSED, CampaignStatus.WON):
        return True
    return campaign.closes_at is not None and campaign.closes_at <= now


def retention_ends_at(campaign: Campaign) -> datetime | None:
    """When the campaign's signers are anonymised, once it is known to have closed."""
    if campaign.closed_at is None:
        return None
    days = campaign.retention_days
    if days is None:
        days = current_app.config["SIGNATURE_RETENTION_DAYS"]
    return campaign.closed_at + timedelta(days=days)


def anonymise_signatures(campaign_id: int) -> list[str]:
    """Erase everything that names the campaign's signers, keeping the counts (flushes); the
    scans of its paper sheets, to delete once that is committed."""
    db.session.execute(
        delete(Signature)
        .where(Signature.campaign_id == campaign_id, Signature.status == SignatureStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Signature)
        .where(Signature.campaign_id == campaign_id)
        .values(**ANONYMOUS)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(PaperSigner)
        .where(PaperSigner.campaign_id == campaign_id)
        .values(name="")
        .execution_options(synchronize_session=False)
    )
    with_scans = PaperSheet.campaign_id == campaign_id, PaperSheet.scan.is_not(None)
    scans = list(db.session.scalars(select(PaperSheet.scan).where(*with_scans)))
    db.session.execute(
        update(PaperSheet).where(*with_scans).values(scan=None).execution_options(synchronize_session=False)
    )
    _forget_moderations_ip_hashes(campaign_id)
    messages.forget_names(campaign_id)
    return [name for name in scans if name]


def _forget_moderations_ip_hashes(campaign_id: int) -> None:
    """The campaign's trending flags go; bulk invalidations and audit entries keep what they
    did, without the IP hash they named (it would still link the campaign's anonymised signers
    to signatures elsewhere from the same address)."""
    db.session.execute(
        delete(TrendingFlag)
        .where(TrendingFlag.campaign_id == campaign_id)
        .execution_options(synchronize_session=False)
    )
    invalidations = select(Invalidation).where(Invalidation.campaign_id == campaign_id)
    for invalidation in db.session.scalars(invalidations):
        if invalidation.is_finished and invalidation.filter.get("ip_hash"):  # a running one reads it
            invalidation.filter = {**invalidation.filter, "ip_hash": ""}
    for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.campaign_id == campaign_id)):
        details = entry.details or {}
        if details.get("ip_hash") or (details.get("filter") or {}).get("ip_hash"):
            entry.details = _without_ip_hash(details)


def _without_ip_hash(details: dict[str, Any]) -> dict[str, Any]:
    return {
        key: "" if key == "ip_hash" else _without_ip_hash(value) if isinstance(value, dict) else value
        for key, value in details.items()
    }


def delete_scans(names: list[str]) -> None:
    """Delete paper scans no sheet refers to any more (after the commit that let them go: a
    failed commit must not leave sheets pointing at missing files)."""
    for name in names:
        (scan_dir() / Path(name).name).unlink(missing_ok=True)


def forget_unneeded_addresses() -> None:
    """Erase the addresses no mail will ever need (flushes)."""
    unsubscribed = select(Supporter.email_hash).where(Supporter.unsubscribed_at.is_not(None))
    db.session.execute(
        update(Signature)
        .where(
            Signature.status != SignatureStatus.PENDING,
            Signature.email.is_not(None),
            or_(
                and_(Signature.wants_updates.is_(False), Signature.partner_may_contact.is_(False)),
                Signature.email_hash.in_(unsubscribed),  # stopped all mail: no partner gets it either
            ),
        )
        .values(email=None)
        .execution_options(synchronize_session=False)
    )
    wants_updates = exists().where(
        Signature.email_hash == Supporter.email_hash,
        Signature.status.in_((SignatureStatus.CONFIRMED, SignatureStatus.HELD)),
        Signature.wants_updates.is_(True),
        Signature.email.is_not(None),
    )
    db.session.execute(
        update(Supporter)
        .where(Supporter.email.is_not(None), or_(Supporter.unsubscribed_at.is_not(None), ~wants_updates))
        .values(email=None)
        .execution_options(synchronize_session=False)
    )


def apply_retention() -> int:
    """Periodic job: note when campaigns close, anonymise those past their retention, erase
    unneeded addresses and unconfirmed followers; the number of campaigns anonymised. A closed
    campaign turned back into a draft (hidden) keeps its clock: hiding it keeps no one longer."""
    now = utcnow()
    anonymised, scans = 0, []
    for campaign in db.session.scalars(select(Campaign)):
        is_draft = campaign.status == CampaignStatus.DRAFT
        if is_draft and campaign.closed_at is None:
            continue  # a draft not known to have closed: its clock has not started
        if not is_draft and not is_closed(campaign, now):
            campaign.closed_at = campaign.anonymised_at = None  # open, or reopened: a new period
            continue
        if campaign.closed_at is None:
            campaign.closed_at = min(campaign.closes_at, now) if campaign.closes_at else now
        ends_at = retention_ends_at(campaign)
        if campaign.anonymised_at is None and ends_at is not None and ends_at <= now:
            scans += anonymise_signatures(campaign.id)
            campaign.anonymised_at = now
            anonymised += 1
    forget_unneeded_addresses()
    forget_unconfirmed_followers()
    db.session.commit()
    delete_scans(scans)
    return anonymised
