"""Fixtures for updates: supporters made directly in the database, and an update to send."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.signatures.models import Signature, SignatureStatus, Supporter
from campaign.signatures.services import email_hash
from campaign.updates import services
from campaign.updates.models import Update


@pytest.fixture
def add_signer(app) -> Callable[..., Signature]:
    """A signer of ``campaign`` as the signing flow would leave them (confirmed, opted in)."""

    def add(
        campaign: Campaign,
        email: str,
        lang: str = "en",
        status: str = SignatureStatus.CONFIRMED,
        wants_updates: bool = True,
        unsubscribed: bool = False,
        country: str = "KZ",
        created_at: datetime | None = None,
        source: str | None = None,
    ) -> Signature:
        hashed = email_hash(email)
        signature = Signature(
            campaign_id=campaign.id,
            name=email.split("@")[0].title(),
            email=email,
            email_hash=hashed,
            email_domain=email.rpartition("@")[2],
            country=country,
            lang=lang,
            source=source,
            wants_updates=wants_updates,
            ip_hash="0" * 32,
            status=status,
            confirmed_at=utcnow() if status == SignatureStatus.CONFIRMED else None,
            created_at=created_at or utcnow(),
        )
        db.session.add(signature)
        if (
            status == SignatureStatus.CONFIRMED
            and db.session.query(Supporter).filter_by(email_hash=hashed).first() is None
        ):
            db.session.add(
                Supporter(
                    email_hash=hashed,
                    email=email,
                    lang=lang,
                    unsubscribed_at=utcnow() if unsubscribed else None,
                )
            )
        db.session.commit()
        return signature

    return add


@pytest.fixture
def write_update() -> Callable[..., Update]:
    def write(campaign: Campaign, texts: dict[str, tuple[str, str]] | None = None, **options: Any) -> Update:
        texts = texts or {"en": ("Roza is free", "She was **released** today.")}
        (lang, (subject, body)), *others = texts.items()
        update = services.create_update(campaign, lang, subject, body, **options)
        for other_lang, (other_subject, other_body) in others:
            services.set_text(update, other_lang, other_subject, other_body)
        db.session.commit()
        return update

    return write


@pytest.fixture
def send(drain) -> Callable[[Update], None]:
    """Start sending and run every job it leads to, in this process."""

    def run(update: Update) -> None:
        services.send_update(update.id)
        db.session.commit()
        drain()

    return run
