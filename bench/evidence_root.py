"""Time the evidence job for a letter tied to a campaign of a million confirmed signatures
(PostgreSQL only), and its peak memory.

    createdb campaign_bench
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/campaign_bench REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python bench/evidence_root.py [N]

Bulk-inserts N confirmed signatures (default 1,000,000) with generate_series, delivers nothing
(the job needs no mail): it queues one LetterEvidence row as delivery does and runs the job
in this process, as a worker would. Prints the job's time, the growth of the process's peak
resident memory while it ran, the leaves written, and the time one receipt's path takes.
"""

from __future__ import annotations

import resource
import sys
import time

from flask_migrate import upgrade
from sqlalchemy import delete, select, text

from campaign import create_app
from campaign.accounts.models import Organisation
from campaign.campaigns.models import Campaign, CampaignTranslation
from campaign.extensions import db
from campaign.letters.evidence import EvidenceLeaf, LetterEvidence, build_evidence, receipts
from campaign.letters.models import Letter, LetterStatus
from campaign.models_base import utcnow
from campaign.signatures.models import Signature

FILL = """
INSERT INTO signature (campaign_id, name, email, email_hash, email_domain, country, lang, is_name_public,
  wants_updates, ip_hash, status, is_over_limit, created_at, confirmed_at)
SELECT :campaign_id, 'Signer ' || n, 'signer' || n || '@example.org', md5(n::text) || md5((n + 1)::text),
  'example.org', (ARRAY['KZ','RU','DE','GB','FR','KG','UZ','TJ','AM','GE'])[1 + n % 10], 'en', false, false,
  substr(md5((n % 50000)::text), 1, 32), 'confirmed', false,
  now() at time zone 'utc' - interval '2 days',
  now() at time zone 'utc' - interval '1 day' - n * interval '1 millisecond'
FROM generate_series(1, :n) AS n
"""


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(n: int) -> None:
    app = create_app()
    with app.app_context():
        upgrade()
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "bench-evidence"))
        if campaign is None:
            campaign = Campaign(slug="bench-evidence", status="live", default_lang="en")
            campaign.translations["en"] = CampaignTranslation(lang="en", title="Bench")
            db.session.add(campaign)
            db.session.commit()
        have = db.session.scalar(select(db.func.count()).where(Signature.campaign_id == campaign.id))
        if have != n:
            started = time.perf_counter()
            db.session.execute(text("DELETE FROM signature WHERE campaign_id = :c"), {"c": campaign.id})
            db.session.execute(text(FILL), {"campaign_id": campaign.id, "n": n})
            db.session.commit()
            print(f"inserted {n} signatures in {time.perf_counter() - started:.1f}s")
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE signature"))
        letter = db.session.scalar(select(Letter).where(Letter.slug == "bench-evidence"))
        if letter is None:
            coordinator = Organisation(slug="bench-coordinator", names={"en": "Bench"}, default_lang="en")
            letter = Letter(
                slug="bench-evidence",
                coordinator=coordinator,
                default_lang="en",
                campaign_id=campaign.id,
                status=LetterStatus.DELIVERED,
                delivered_at=utcnow(),
            )
            db.session.add(letter)
            db.session.commit()
        db.session.execute(delete(LetterEvidence).where(LetterEvidence.letter_id == letter.id))
        evidence = LetterEvidence(letter_id=letter.id, campaign_id=campaign.id, as_of=utcnow())
        db.session.add(evidence)
        db.session.commit()
        evidence_id = evidence.id
        db.session.expunge_all()

        before = peak_rss_mib()
        started = time.perf_counter()
        build_evidence(evidence_id)
        took = time.perf_counter() - started
        after = peak_rss_mib()
        done = db.session.get(LetterEvidence, evidence_id)
        assert done is not None and done.is_done
        leaves = db.session.scalar(select(db.func.count()).where(EvidenceLeaf.evidence_id == evidence_id))
        print(
            f"evidence job: {done.leaf_count} leaves in {took:.1f}s ({done.leaf_count / took:,.0f}/s); "
            f"peak RSS {before:.0f} MiB before, {after:.0f} MiB after (+{after - before:.0f} MiB); "
            f"{leaves} leaf rows; root {done.root}"
        )
        middle = db.session.scalar(
            select(EvidenceLeaf.signature_id).where(
                EvidenceLeaf.evidence_id == evidence_id, EvidenceLeaf.position == n // 2
            )
        )
        started = time.perf_counter()
        [receipt] = receipts(middle)
        print(
            f"one receipt's path ({len(receipt.path)} steps): {(time.perf_counter() - started) * 1000:.0f} ms, "
            f"verifies: {receipt.verifies}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
