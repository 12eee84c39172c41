"""Who gets an update: confirmed, valid, opted-in signers of the campaign who still hear from us,
narrowed by the update's segment (their language, their country, the partner link they signed
through, when they signed).

One row per supporter (a person by normalised email): a signature is unique per campaign and
email hash, and a supporter per email hash, so the join below yields each person once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select

from campaign.signatures.models import Signature, SignatureStatus, Supporter


@dataclass(frozen=True)
class Segment:
    """Part of a campaign's supporters; every field left None takes everyone."""

    #: the language the supporter reads us in
    lang: str | None = None
    #: the country they gave when signing
    country: str | None = None
    #: the partner link they signed through (the signature's ``source``, an organisation's slug)
    source: str | None = None
    #: signed at or after this time (naive UTC)
    since: datetime | None = None
    #: signed before this time (naive UTC)
    until: datetime | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Segment:
        data = data or {}
        return cls(
            lang=data.get("lang"),
            country=data.get("country"),
            source=data.get("source"),
            since=datetime.fromisoformat(data["since"]) if data.get("since") else None,
            until=datetime.fromisoformat(data["until"]) if data.get("until") else None,
        )

    def to_json(self) -> dict[str, str] | None:
        """What the update stores; None for everyone."""
        data = {
            key: value.isoformat(timespec="minutes") if isinstance(value, datetime) else value
            for key, value in (
                ("lang", self.lang),
                ("country", self.country),
                ("source", self.source),
                ("since", self.since),
                ("until", self.until),
            )
            if value
        }
        return data or None

    def conditions(self) -> list[ColumnElement[bool]]:
        found = []
        if self.lang:
            found.append(Supporter.lang == self.lang)
        if self.country:
            found.append(Signature.country == self.country)
        if self.source:
            found.append(Signature.source == self.source)
        if self.since:
            found.append(Signature.created_at >= self.since)
        if self.until:
            found.append(Signature.created_at < self.until)
        return found


EVERYONE = Segment()


def _joined(campaign_id: int, columns: tuple, segment: Segment = EVERYONE) -> Select:
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
            *segment.conditions(),
        )
    )


def audience_batch(
    campaign_id: int, after_supporter_id: int, limit: int, segment: Segment = EVERYONE
) -> Select:
    """The next ``limit`` recipients after a supporter id (keyset pagination: memory stays flat)."""
    return (
        _joined(campaign_id, (Supporter.id, Supporter.email, Supporter.lang), segment)
        .where(Supporter.id > after_supporter_id)
        .order_by(Supporter.id)
        .limit(limit)
    )


def audience_count(campaign_id: int, after_supporter_id: int = 0, segment: Segment = EVERYONE) -> Select:
    return _joined(campaign_id, (func.count(),), segment).where(Supporter.id > after_supporter_id)


def recipient_emails(campaign_id: int, supporter_ids: list[int]) -> Select:
    """(id, address, name they signed with) of those of the supporters still in the audience
    (checked again at send time; the name is read here, never copied into the outbox)."""
    return _joined(campaign_id, (Supporter.id, Supporter.email, Signature.name)).where(
        Supporter.id.in_(supporter_ids)
    )
