"""Trending detection (the e-petitions pattern): who is signing one campaign unusually fast.

A periodic job looks at the last hour. An IP hash or mail domain is flagged on a campaign
when it signed at least TRENDING_MIN_SIGNATURES times AND made at least TRENDING_MIN_SHARE
of that campaign's signatures in the hour. Large public mail providers are skipped
(TRENDING_IGNORED_DOMAINS): they are always a big share, and an invalidation by them would
hit honest signers. Flags are only shown; a moderator previews and decides.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.moderation.models import EMAIL_DOMAIN, IP_HASH, TrendingFlag
from campaign.signatures.models import Signature

WINDOW = timedelta(hours=1)
#: flags last seen longer ago than this are no longer shown
SHOWN_FOR = timedelta(hours=24)


def _busy(column: Any, since: Any, minimum: int) -> list[tuple[int, str, int]]:
    rows = db.session.execute(
        select(Signature.campaign_id, column, func.count())
        .where(Signature.created_at >= since)
        .group_by(Signature.campaign_id, column)
        .having(func.count() >= minimum)
    ).all()
    return [(campaign_id, value, count) for campaign_id, value, count in rows]


def detect_trending() -> int:
    """Periodic job: flag busy addresses and domains; return how many flags it set or refreshed."""
    config = current_app.config
    now = utcnow()
    since = now - WINDOW
    minimum, min_share = int(config["TRENDING_MIN_SIGNATURES"]), float(config["TRENDING_MIN_SHARE"])
    ignored = set(config["TRENDING_IGNORED_DOMAINS"])
    hourly = dict(
        db.session.execute(
            select(Signature.campaign_id, func.count())
            .where(Signature.created_at >= since)
            .group_by(Signature.campaign_id)
        ).all()
    )
    candidates = [(IP_HASH, row) for row in _busy(Signature.ip_hash, since, minimum)] + [
        (EMAIL_DOMAIN, row) for row in _busy(Signature.email_domain, since, minimum) if row[1] not in ignored
    ]
    flagged = 0
    for kind, (campaign_id, value, count) in candidates:
        share = count / hourly[campaign_id]
        if share < min_share:
            continue
        _flag(campaign_id, kind, value, count, share, now)
        flagged += 1
    db.session.commit()
    return flagged


def _flag(campaign_id: int, kind: str, value: str, count: int, share: float, now: Any) -> None:
    flag = db.session.scalar(
        select(TrendingFlag).where(
            TrendingFlag.campaign_id == campaign_id, TrendingFlag.kind == kind, TrendingFlag.value == value
        )
    )
    if flag is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    TrendingFlag(
                        campaign_id=campaign_id,
                        kind=kind,
                        value=value,
                        signatures_last_hour=count,
                        share=share,
                        first_flagged_at=now,
                        last_flagged_at=now,
                    )
                )
            return
        except IntegrityError:  # another run flagged it at the same moment: refresh theirs
            return
    flag.signatures_last_hour, flag.share, flag.last_flagged_at = count, share, now


def recent_flags(campaign_id: int) -> list[TrendingFlag]:
    return list(
        db.session.scalars(
            select(TrendingFlag)
            .where(
                TrendingFlag.campaign_id == campaign_id, TrendingFlag.last_flagged_at >= utcnow() - SHOWN_FOR
            )
            .order_by(TrendingFlag.last_flagged_at.desc(), TrendingFlag.signatures_last_hour.desc())
        )
    )
