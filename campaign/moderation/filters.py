"""The filter a moderator applies to a campaign's signatures, and its SQL condition."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.sql.expression import ColumnElement

from campaign.extensions import db
from campaign.signatures.models import Signature, SignatureStatus


@dataclass(frozen=True)
class SignatureFilter:
    campaign_id: int
    #: signed at or after (naive UTC)
    since: datetime | None = None
    #: signed before (naive UTC)
    until: datetime | None = None
    email_domain: str | None = None
    ip_hash: str | None = None
    country: str | None = None

    @property
    def is_narrowed(self) -> bool:
        """Whether anything beyond the campaign is set: a filter never selects a whole campaign."""
        return any((self.since, self.until, self.email_domain, self.ip_hash, self.country))

    def condition(self) -> ColumnElement[bool]:
        """Signatures this filter selects that are not invalidated yet."""
        parts = [Signature.campaign_id == self.campaign_id, Signature.status != SignatureStatus.INVALIDATED]
        if self.since is not None:
            parts.append(Signature.created_at >= self.since)
        if self.until is not None:
            parts.append(Signature.created_at < self.until)
        if self.email_domain:
            parts.append(Signature.email_domain == self.email_domain.lower())
        if self.ip_hash:
            parts.append(Signature.ip_hash == self.ip_hash)
        if self.country:
            parts.append(Signature.country == self.country.upper())
        return and_(*parts)

    def sample(self, size: int = 20) -> list[Any]:
        """The latest matching signatures as evidence: when, country, language, mail domain and state;
        never a name or an address."""
        return list(
            db.session.execute(
                select(
                    Signature.created_at,
                    Signature.country,
                    Signature.lang,
                    Signature.email_domain,
                    Signature.status,
                )
                .where(self.condition())
                .order_by(Signature.created_at.desc())
                .limit(size)
            )
        )

    def count(self) -> int:
        """The preview: how many signatures an invalidation would touch now."""
        return db.session.scalar(select(func.count()).select_from(Signature).where(self.condition())) or 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("since", "until"):
            data[key] = data[key].isoformat() if data[key] else None
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SignatureFilter:
        values = dict(data)
        for key in ("since", "until"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)
