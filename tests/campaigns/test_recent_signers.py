"""The campaign page's recent signers: the newest confirmed public names, read off an index."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from campaign.campaigns.views import recent_public_signers, recent_public_signers_query
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures.models import Signature, SignatureStatus

#: pending signatures, and as many confirmed without a public name, newer than the public ones
ROWS = 3000


def _add(campaign_id: int, count: int, status: str, start: int = 0, is_name_public: bool = True) -> None:
    now = utcnow()
    rows = [
        {
            "campaign_id": campaign_id,
            "name": f"Signer {n}",
            "email_hash": f"{status[0]}{n:063d}",
            "email_domain": "example.org",
            "country": "KZ",
            "lang": "en",
            "ip_hash": f"{n:032d}",
            "status": status,
            "is_name_public": is_name_public,
            "wants_updates": False,
            "is_over_limit": False,
            "created_at": now - timedelta(minutes=n),
            "confirmed_at": now - timedelta(minutes=n) if status == SignatureStatus.CONFIRMED else None,
        }
        for n in range(start, start + count)
    ]
    db.session.execute(sa.insert(Signature), rows)
    db.session.commit()


def test_recent_signers_are_the_newest_confirmed_public_names(campaign):
    _add(campaign.id, 12, SignatureStatus.CONFIRMED)
    _add(campaign.id, 3, SignatureStatus.CONFIRMED, start=100, is_name_public=False)
    _add(campaign.id, 50, SignatureStatus.PENDING)

    names = [name for name, _, _ in recent_public_signers(campaign.id)]

    assert names == [f"Signer {n}" for n in range(10)]


def test_recent_signers_are_read_off_an_index_however_many_are_pending_or_private(campaign):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the plan that matters is PostgreSQL's")
    _add(campaign.id, ROWS, SignatureStatus.PENDING)
    _add(campaign.id, ROWS, SignatureStatus.CONFIRMED, is_name_public=False)
    _add(campaign.id, 20, SignatureStatus.CONFIRMED, start=ROWS)
    db.session.execute(sa.text("ANALYZE signature"))
    query = recent_public_signers_query(campaign.id).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )

    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {query}")))

    assert "ix_signature_recent_signers" in plan
    assert "Filter" not in plan  # every condition is the index's: no row is read only to be dropped
    assert "Sort" not in plan
