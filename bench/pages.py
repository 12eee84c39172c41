"""Reading benchmark: the campaign page under a viral read load, against its ceiling.

It starts gunicorn on a fresh PostgreSQL database (``--database``, dropped afterwards) and
Redis (``--redis-url``, emptied), seeds the demo, and loads one campaign page with anonymous
GETs from an asyncio client at ``--concurrency``, a fresh connection per request (as gunicorn's
sync workers close each one). Then, when nginx is installed, the same page's bytes served as a
static file by nginx with ``docs/deploy/nginx.conf``'s settings (the ceiling: the ratio is the
figure that counts), the page through that nginx in front of gunicorn (its micro-cache), and
finally signing POSTs to the same app (signing must not suffer from what reading did).
Bounded: ``--requests`` per phase, ``--seconds`` at most for each.

    .venv/bin/python bench/pages.py [--requests 20000] [--concurrency 32] [--pending 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sign import PG, REDIS, _event_loop_policy, load, percentile, preload, request, run  # noqa: E402
from tests.smtp import free_port  # noqa: E402

SLUG = "free-roza-tuletayeva"
PATH = f"/en/campaigns/{SLUG}"


async def read(port: int, path: str, requests: int, concurrency: int, seconds: float) -> dict:
    raw = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    latencies: list[float] = []
    errors: dict[int, int] = {}
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds

    async def client() -> None:
        for _ in counter:
            if time.monotonic() > deadline:
                return
            started = time.monotonic()
            try:
                status, _, body = await request("127.0.0.1", port, raw)
            except OSError:
                status, body = 0, b""
            latencies.append(time.monotonic() - started)
            if status != 200 or b"</html>" not in body:
                errors[status] = errors.get(status, 0) + 1

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return {"elapsed": time.monotonic() - started, "latencies": latencies, "errors": errors}


def report(name: str, result: dict, unit: str = "GETs") -> float:
    lat = result["latencies"]
    rate = len(lat) / result["elapsed"]
    print(f"\n[{name}]")
    print(f"  {unit}: {len(lat)} in {result['elapsed']:.1f} s = {rate:.0f}/s")
    print(
        f"  latency ms: p50 {percentile(lat, 0.5) * 1000:.1f}  p95 {percentile(lat, 0.95) * 1000:.1f}"
        f"  p99 {percentile(lat, 0.99) * 1000:.1f}"
    )
    print(f"  errors: {result['errors'] or 0}")
    return rate


def pending(dsn: str, rows: int) -> float:
    """Store ``rows`` unconfirmed signatures (the surge's pending ones) besides the confirmed."""
    started = time.monotonic()
    with psycopg.connect(dsn, autocommit=True) as conn:
        campaign_id = conn.execute("SELECT id FROM campaign WHERE slug = %s", (SLUG,)).fetchone()[0]
        conn.execute(
            "INSERT INTO signature (campaign_id, name, email, email_hash, email_domain, country, lang,"
            " is_name_public, wants_updates, ip_hash, status, is_over_limit, created_at)"
            " SELECT %s, 'Pending Signer', 'pending-' || n || '@example.net', lpad(to_hex(n), 64, 'p'),"
            " 'example.net', 'KZ', 'en', true, false, lpad(to_hex(n % 50000), 32, '0'), 'pending', false, now()"
            " FROM generate_series(1, %s) AS n",
            (campaign_id, rows),
        )
        conn.execute("ANALYZE signature")
    return time.monotonic() - started


def nginx_config(template: Path, work: Path, listen: int, upstream: int, static_root: Path) -> Path:
    """``docs/deploy/nginx.conf`` with the bench's ports, paths and no TLS (loopback)."""
    locations = (template.parent / "campaign-locations.conf").read_text()
    (work / "campaign-locations.conf").write_text(locations.replace("__STATIC_DIR__", str(ROOT / "static")))
    text = template.read_text()
    text = text.replace("__LISTEN__", str(listen)).replace("__UPSTREAM__", f"127.0.0.1:{upstream}")
    text = text.replace("__WORK__", str(work)).replace("__STATIC__", str(static_root))
    path = work / "nginx.conf"
    path.write_text(text)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20000, help="GETs per phase (at most)")
    parser.add_argument("--warmup", type=int, default=2000, help="unmeasured GETs first")
    parser.add_argument("--seconds", type=float, default=30, help="time limit per phase")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--sign-requests", type=int, default=3000, help="signing POSTs afterwards (0: skip)")
    parser.add_argument("--confirmed", type=int, default=0, help="confirmed signatures stored first")
    parser.add_argument("--pending", type=int, default=0, help="pending signatures stored first")
    parser.add_argument("--page-cache-seconds", default="2", help="PAGE_CACHE_SECONDS (0: no render cache)")
    parser.add_argument("--database", default=f"campaign_bench_{os.getpid()}", help="made and dropped")
    parser.add_argument("--redis-url", default=REDIS, help="a Redis database of its own: it is emptied")
    args = parser.parse_args()

    dsn = f"{PG}/{args.database}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{args.database}"')
    web_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": "9",  # no worker runs: the confirmations wait in the outbox
        "SIGN_RATE_LIMIT": "1000000 per minute",
        "FRAUD_SIGNATURES_PER_IP_HOUR": "1000000",
        "BASE_URL": f"http://127.0.0.1:{web_port}",
        "PAGE_CACHE_SECONDS": args.page_cache_seconds,
    }
    processes: list[subprocess.Popen[bytes]] = []
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    work.chmod(0o755)  # nginx's workers (nobody) read the static page from it
    try:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        run([*flask, "db", "upgrade"], env)
        run([*flask, "seed-demo"], env)
        if args.confirmed:
            print(
                f"stored {args.confirmed:,} confirmed signatures in {preload(dsn, SLUG, args.confirmed):.0f} s"
            )
        if args.pending:
            print(f"stored {args.pending:,} pending signatures in {pending(dsn, args.pending):.0f} s")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("ANALYZE")
        gunicorn = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{web_port}"]
        gunicorn += ["--workers", str(args.web_workers), "--backlog", "2048", "wsgi:app"]
        processes.append(
            subprocess.Popen(
                gunicorn, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        time.sleep(3)
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; gunicorn {args.web_workers} sync workers, "
            f"PAGE_CACHE_SECONDS={args.page_cache_seconds}, PostgreSQL + Redis on loopback; "
            f"load from {_event_loop_policy()}, concurrency {args.concurrency}"
        )
        asyncio.run(read(web_port, PATH, args.warmup, args.concurrency, args.seconds))
        app_rate = report(
            "campaign page from gunicorn",
            asyncio.run(read(web_port, PATH, args.requests, args.concurrency, args.seconds)),
        )

        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if nginx:
            static_root = work / "static"
            (static_root / "en" / "campaigns").mkdir(parents=True)
            _, _, body = asyncio.run(
                request(
                    "127.0.0.1",
                    web_port,
                    f"GET {PATH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode(),
                )
            )
            (static_root / "en" / "campaigns" / f"{SLUG}.html").write_bytes(body)
            nginx_port = free_port()
            config = nginx_config(
                ROOT / "docs" / "deploy" / "nginx-bench.conf", work, nginx_port, web_port, static_root
            )
            processes.append(
                subprocess.Popen([nginx, "-c", str(config), "-p", str(work)], stderr=subprocess.DEVNULL)
            )
            time.sleep(1)
            static = f"/static-page/en/campaigns/{SLUG}.html"
            asyncio.run(read(nginx_port, static, args.warmup, args.concurrency, args.seconds))
            ceiling = report(
                "the same bytes as a static file from nginx (the ceiling)",
                asyncio.run(read(nginx_port, static, args.requests, args.concurrency, args.seconds)),
            )
            print(f"\n  app / ceiling: {app_rate / ceiling:.0%}")
            asyncio.run(read(nginx_port, PATH, args.warmup, args.concurrency, args.seconds))
            report(
                "campaign page through nginx's micro-cache in front of gunicorn",
                asyncio.run(read(nginx_port, PATH, args.requests, args.concurrency, args.seconds)),
            )
        else:
            print("\n(nginx is not installed: no ceiling measured)")

        if args.sign_requests:
            signing = asyncio.run(
                load(web_port, SLUG, "after-reading", args.sign_requests, args.concurrency, args.seconds)
            )
            report("signing POSTs afterwards, same app", signing, unit="POSTs")
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
