"""A factory for signatures written straight to the database, to seed exact figures."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures.models import Signature, SignatureStatus

_numbers = itertools.count(1)


@pytest.fixture
def add_signatures(app: Flask) -> Callable[..., None]:
    """Insert ``n`` signatures of ``campaign_id`` sharing ``fields`` (confirmed now by default)."""

    def add(campaign_id: int, n: int = 1, **fields: Any) -> None:
        now = utcnow()
        status = fields.pop("status", SignatureStatus.CONFIRMED)
        confirmed_at: datetime | None = fields.pop(
            "confirmed_at", now if status == SignatureStatus.CONFIRMED else None
        )
        for _ in range(n):
            number = next(_numbers)
            values = {
                "name": f"Signer {number}",
                "email": f"signer{number}@example.org",
                "email_domain": "example.org",
                "country": "KZ",
                "lang": "en",
                "ip_hash": "a" * 32,
                "created_at": confirmed_at or now,
            } | fields
            values["email_hash"] = f"hash-{number}"
            db.session.add(
                Signature(campaign_id=campaign_id, status=status, confirmed_at=confirmed_at, **values)
            )
        db.session.commit()

    return add
