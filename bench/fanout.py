"""Benchmark: one update to N opted-in supporters through real workers and a loopback SMTP server.

    python bench/fanout.py [--supporters 100000] [--workers 4] [--timeout 300]

Creates a PostgreSQL database of its own (dropped afterwards), inserts the supporters directly
(bulk inserts), starts an SMTP server on 127.0.0.1 that logs mails per recipient
(``bench/smtp_sink.py``, in a process of its own), starts
``--workers`` processes of ``python worker.py``, sends the update, and prints mails/s, the total
time, duplicates and misses (both must be 0) and the workers' peak memory. Loopback only; the
run stops at ``--timeout`` seconds whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.smtp_sink import Sink  # noqa: E402
from tests.smtp import free_port  # noqa: E402


def rss_kib(pid: int, field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of a process, in KiB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def seed(app, count: int) -> int:
    """A campaign and ``count`` confirmed, opted-in signers (and their supporter rows); its id."""
    from sqlalchemy import insert, text

    from campaign.campaigns.models import Campaign, CampaignTranslation
    from campaign.defenders.models import Defender, DefenderTranslation
    from campaign.extensions import db
    from campaign.models_base import utcnow
    from campaign.signatures.models import Signature, SignatureStatus, Supporter
    from campaign.signatures.services import email_hash

    defender = Defender(slug="bench-defender", country="KZ", status="sentenced", default_lang="en")
    defender.translations["en"] = DefenderTranslation(lang="en", name="Bench Defender")
    campaign = Campaign(slug="bench", defender=defender, status="live", default_lang="en")
    for lang in ("en", "ru"):
        campaign.translations[lang] = CampaignTranslation(lang=lang, title=f"Bench campaign ({lang})")
    db.session.add(campaign)
    db.session.commit()
    now = utcnow()
    chunk = 10_000
    for start in range(0, count, chunk):
        signatures, supporters = [], []
        for number in range(start, min(start + chunk, count)):
            email = f"supporter{number}@example.org"
            hashed = email_hash(email)
            lang = "ru" if number % 3 == 0 else "en"
            signatures.append(
                {
                    "campaign_id": campaign.id,
                    "name": f"Supporter {number}",
                    "email": email,
                    "email_hash": hashed,
                    "email_domain": "example.org",
                    "country": "KZ",
                    "lang": lang,
                    "is_name_public": False,
                    "wants_updates": True,
                    "ip_hash": "0" * 32,
                    "status": SignatureStatus.CONFIRMED,
                    "is_over_limit": False,
                    "created_at": now,
                    "confirmed_at": now,
                }
            )
            supporters.append({"email_hash": hashed, "email": email, "lang": lang, "created_at": now})
        db.session.execute(insert(Signature), signatures)
        db.session.execute(insert(Supporter), supporters)
        db.session.commit()
    # as autovacuum would have long done for a real audience: the planner needs the tables' statistics
    db.session.execute(text("ANALYZE signature, supporter"))
    db.session.commit()
    return campaign.id


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--supporters", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/3"))
    args = parser.parse_args()

    database = f"campaign_bench_fanout_{os.getpid()}"
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    smtp_port = free_port()
    sink = Sink(smtp_port, Path(tempfile.mkdtemp()) / "received.log")
    received: Counter[str] = Counter()
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.postgres}/{database}",
        "REDIS_URL": args.redis,
        "SECRET_KEY": secrets.token_hex(16),
        "BASE_URL": "https://bench.example.org",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "UPDATE_BATCH_SIZE": str(args.batch),
        "RATELIMIT_ENABLED": "false",
        "CAMPAIGN_LANGUAGES": "en,ru",
    }
    os.environ.update(env)
    workers: list[subprocess.Popen] = []
    try:
        from flask_migrate import upgrade

        from campaign import create_app
        from campaign.extensions import db, queues
        from campaign.updates import services

        app = create_app()
        with app.app_context():
            queues.connection.flushdb()
            upgrade()
            started = time.monotonic()
            campaign_id = seed(app, args.supporters)
            print(f"seeded {args.supporters} supporters in {time.monotonic() - started:.1f} s", flush=True)
            from campaign.campaigns.models import Campaign

            campaign = db.session.get(Campaign, campaign_id)
            update = services.create_update(campaign, "en", "Bench news", "Roza was **released** today.")
            services.set_text(update, "ru", "Новости", "Розу **освободили** сегодня.")
            db.session.commit()
            for _ in range(args.workers):
                workers.append(
                    subprocess.Popen(
                        [sys.executable, "worker.py"],
                        cwd=ROOT,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
            time.sleep(3)  # let the workers start, so the timing is the sending's
            started = time.monotonic()
            services.send_update(update.id)
            db.session.commit()
            rss_at_tenth = 0
            last_at = started
            while time.monotonic() - started < args.timeout:
                arrivals = sink.received()
                received.update(rcpt for _, rcpt in arrivals)
                last_at = max([last_at, *(at for at, _ in arrivals)])
                if not rss_at_tenth and len(received) >= args.supporters // 10:
                    rss_at_tenth = max(rss_kib(w.pid, "VmRSS") for w in workers)
                if len(received) >= args.supporters:
                    break
                time.sleep(0.2)
            elapsed = last_at - started
            time.sleep(2)  # anything sent twice would arrive now
            received.update(rcpt for _, rcpt in sink.received())
            peak = max(rss_kib(w.pid, "VmHWM") for w in workers)
            rss_at_end = max(rss_kib(w.pid, "VmRSS") for w in workers)
            total = sum(received.values())
            duplicates = sum(count - 1 for count in received.values() if count > 1)
            misses = args.supporters - len(received)
            print(f"workers: {args.workers}, batch: {args.batch}, supporters: {args.supporters}")
            print(f"mails: {total} in {elapsed:.1f} s = {total / elapsed:.0f} mails/s")
            print(f"duplicates: {duplicates}, misses: {misses}")
            print(
                f"worker RSS: peak {peak / 1024:.0f} MiB, at 10% {rss_at_tenth / 1024:.0f} MiB, "
                f"at the end {rss_at_end / 1024:.0f} MiB"
            )
            db.session.remove()
            db.engine.dispose()
            return 0 if duplicates == 0 and misses == 0 else 1
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        sink.stop()
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
