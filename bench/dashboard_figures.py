"""Time the dashboard's figures for one campaign with a million signatures (PostgreSQL only).

    createdb campaign_bench
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/campaign_bench REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python bench/dashboard_figures.py [N]

Bulk-inserts N signatures (default 1,000,000) spread over 60 days with generate_series, then
renders the figures the dashboard shows (status counts, hourly and daily series, three
breakdowns) and prints the time each takes, cold and warm.
"""

from __future__ import annotations

import sys
import time

from flask_migrate import upgrade
from sqlalchemy import text

from campaign import create_app
from campaign.campaigns.models import Campaign, CampaignTranslation
from campaign.dashboard import figures
from campaign.extensions import db
from campaign.signatures.models import Signature

FILL = """
INSERT INTO signature (campaign_id, name, email, email_hash, email_domain, country, lang, is_name_public,
  wants_updates, source, ip_hash, status, is_over_limit, created_at, confirmed_at)
SELECT :campaign_id, 'Signer ' || n, 'signer' || n || '@example.org', md5(n::text),
  (ARRAY['example.org','example.net','mail.example'])[1 + n % 3],
  (ARRAY['KZ','RU','DE','GB','FR','KG','UZ','TJ','AM','GE'])[1 + n % 10],
  (ARRAY['en','ru'])[1 + n % 2], n % 3 = 0, n % 2 = 0,
  (ARRAY[NULL,'pen','hrw','memorial'])[1 + n % 4], substr(md5((n % 50000)::text), 1, 32),
  CASE WHEN n % 20 = 0 THEN 'pending' WHEN n % 97 = 0 THEN 'invalidated' ELSE 'confirmed' END,
  n % 113 = 0,
  now() at time zone 'utc' - (n % 86400 * 60) * interval '1 second',
  CASE WHEN n % 20 = 0 THEN NULL ELSE now() at time zone 'utc' - (n % 86400 * 60) * interval '1 second' END
FROM generate_series(1, :n) AS n
"""


def main(n: int) -> None:
    app = create_app()
    with app.app_context():
        upgrade()
        campaign = db.session.scalar(db.select(Campaign).where(Campaign.slug == "bench-million"))
        if campaign is None:
            campaign = Campaign(slug="bench-million", status="live", default_lang="en", goal=2_000_000)
            campaign.translations["en"] = CampaignTranslation(lang="en", title="Bench")
            db.session.add(campaign)
            db.session.commit()
        have = db.session.scalar(db.select(db.func.count()).where(Signature.campaign_id == campaign.id))
        if have < n:
            started = time.perf_counter()
            db.session.execute(text("DELETE FROM signature WHERE campaign_id = :c"), {"c": campaign.id})
            db.session.execute(text(FILL), {"campaign_id": campaign.id, "n": n})
            db.session.commit()
            print(f"inserted {n} signatures in {time.perf_counter() - started:.1f}s")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE signature"))
        for run in ("cold", "warm"):
            started = time.perf_counter()
            found = figures.for_campaign(campaign)
            total = time.perf_counter() - started
            print(
                f"{run}: figures for {found.statuses.total} signatures in {total * 1000:.0f} ms "
                f"(confirmed {found.statuses.confirmed}, {len(found.daily)} days)"
            )
        figures.cached(campaign)
        started = time.perf_counter()
        figures.cached(campaign)
        print(f"from the cache: {(time.perf_counter() - started) * 1000:.1f} ms")
        for name, call in (
            ("status counts", lambda: figures.status_counts(campaign.id)),
            ("hourly", lambda: figures.over_time(campaign.id, "hour", since=figures.hourly_since())),
            ("daily", lambda: figures.over_time(campaign.id, "day")),
            ("by country", lambda: figures.breakdown(campaign.id, Signature.country)),
            ("by language", lambda: figures.breakdown(campaign.id, Signature.lang)),
            ("by source", lambda: figures.breakdown(campaign.id, Signature.source)),
        ):
            started = time.perf_counter()
            call()
            print(f"  {name}: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
