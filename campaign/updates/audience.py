"""Who gets an update: confirmed, valid, opted-in signers of the campaign who still hear from us.

One row per supporter (a person by normalised email): a signature is unique per campaign and
email hash, and a supporter per email hash, so the join below yields each person once.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, func, select

from campaign.signatures.models import Signature, SignatureStatus, Supporter


def _joined(campaign_id: int, columns: tuple) -> Select:
    return (
        select(*columns)
        .select_from(Supporter)
        .join(
            Signature,
            and_(Signature.email_hash == Supporter.email_hash, Signature.campaign_id == campaign_id),
        )
        .where(
            Supporter.email.is_not(None),
            Supporter.unsubscribed_at.is_(None),
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.wants_updates.is_(True),
        )
    )


def audience_batch(campaign_id: int, after_supporter_id: int, limit: int) -> Select:
    """The next ``limit`` recipients after a supporter id (keyset pagination: memory stays flat)."""
    return (
        _joined(campaign_id, (Supporter.id, Supporter.email, Supporter.lang))
        .where(Supporter.id > after_supporter_id)
        .order_by(Supporter.id)
        .limit(limit)
    )


def audience_count(campaign_id: int, after_supporter_id: int = 0) -> Select:
    return _joined(campaign_id, (func.count(),)).where(Supporter.id > after_supporter_id)


def recipient_emails(campaign_id: int, supporter_ids: list[int]) -> Select:
    """(id, address) of those of the supporters still in the audience (checked again at send time)."""
    return _joined(campaign_id, (Supporter.id, Supporter.email)).where(Supporter.id.in_(supporter_ids))
