"""Signing benchmark: load the whole system on loopback and print what it sustains.

It starts its own stack — gunicorn, RQ workers, an SMTP server (bench/smtp_sink.py), a fresh PostgreSQL database,
Redis db 9 on 127.0.0.1:6379 (or ``--database``, ``--redis-url``) — signs one campaign with unique signers from an asyncio HTTP
client, and prints signing POSTs/s, latency percentiles, errors, and how long the confirmation
mails took to reach the SMTP server. Then it stores a million confirmed signatures and runs the
same load again. Each phase starts with ``--warmup`` POSTs that are not measured. Bounded:
``--warmup`` and ``--requests`` per phase, ``--seconds`` at most for each.

    .venv/bin/python bench/sign.py [--requests 6000] [--warmup 1000] [--concurrency 32] [--preload 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.smtp_sink import Sink  # noqa: E402
from tests.smtp import free_port  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/9"


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


class _Exchange(asyncio.Protocol):
    """One request on a fresh connection, read until the server closes it (gunicorn's sync
    workers close after each response). A protocol rather than asyncio's streams: the load
    generator shares the two cores with the system it measures, so it should cost little."""

    def __init__(self, raw: bytes, done: asyncio.Future[bytes]) -> None:
        self.raw, self.done, self.chunks = raw, done, []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(self.raw)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(b"".join(self.chunks))


async def request(host: str, port: int, raw: bytes) -> tuple[int, bytes, bytes]:
    loop = asyncio.get_running_loop()
    done: asyncio.Future[bytes] = loop.create_future()
    await loop.create_connection(lambda: _Exchange(raw, done), host, port)
    data = await done
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, head, body


async def fetch_form(port: int, slug: str) -> str:
    """The signing form's token (a public form: no session cookie)."""
    raw = f"GET /en/campaigns/{slug} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    _, _head, body = await request("127.0.0.1", port, raw)
    return re.search(rb'name="form_token"[^>]*value="([^"]+)"', body).group(1).decode()


async def load(port: int, slug: str, phase: str, requests: int, concurrency: int, seconds: float) -> dict:
    token = await fetch_form(port, slug)
    latencies: list[float] = []
    posted_at: dict[str, float] = {}
    errors: dict[int, int] = {}
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds

    async def client() -> None:
        for number in counter:
            if time.monotonic() > deadline:
                return
            email = f"bench-{phase}-{number}@example.net"
            body = f"form_token={token}&name=Bench+Signer&email={email}&country=KZ".encode()
            raw = (
                f"POST /en/campaigns/{slug} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            ).encode() + body
            started = time.monotonic()
            try:
                status, _, _ = await request("127.0.0.1", port, raw)
            except OSError:
                status = 0
            latencies.append(time.monotonic() - started)
            if status == 303:
                posted_at[email] = time.monotonic()
            else:
                errors[status] = errors.get(status, 0) + 1

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.monotonic() - started
    return {"elapsed": elapsed, "latencies": latencies, "posted_at": posted_at, "errors": errors}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Mailbox:
    """When each recipient's first mail reached the sink, and how many came twice."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.arrived: dict[str, float] = {}
        self.duplicates = 0

    def poll(self) -> None:
        for at, rcpt in self.sink.received():
            if rcpt in self.arrived:
                self.duplicates += 1
            self.arrived.setdefault(rcpt, at)


def wait_for_mail(posted: dict[str, float], mailbox: Mailbox, mail_wait: float) -> None:
    deadline = time.monotonic() + mail_wait
    mailbox.poll()
    while time.monotonic() < deadline and not all(email in mailbox.arrived for email in posted):
        time.sleep(0.2)
        mailbox.poll()


def phase(port: int, slug: str, name: str, args: argparse.Namespace, mailbox: Mailbox) -> dict:
    """A warm-up load, its mail delivered, then the measured load: each phase starts from
    processes and caches in the same state (the first requests of a process, and the first
    after a million rows were copied in, are slower than the rest)."""
    warmup = asyncio.run(load(port, slug, f"{name}-warmup", args.warmup, args.concurrency, args.seconds))
    wait_for_mail(warmup["posted_at"], mailbox, mail_wait=60)
    return asyncio.run(load(port, slug, name, args.requests, args.concurrency, args.seconds))


def report(name: str, result: dict, mailbox: Mailbox, mail_wait: float) -> float:
    posted = result["posted_at"]
    wait_for_mail(posted, mailbox, mail_wait)
    delays = [mailbox.arrived[email] - at for email, at in posted.items() if email in mailbox.arrived]
    missing = sum(1 for email in posted if email not in mailbox.arrived)
    rate = len(result["latencies"]) / result["elapsed"]
    lat = result["latencies"]
    print(f"\n[{name}]")
    print(f"  signing POSTs:       {len(lat)} in {result['elapsed']:.1f} s = {rate:.0f}/s")
    print(
        f"  latency ms:          p50 {percentile(lat, 0.5) * 1000:.0f}  p95 {percentile(lat, 0.95) * 1000:.0f}"
        f"  p99 {percentile(lat, 0.99) * 1000:.0f}"
    )
    print(f"  errors:              {result['errors'] or 0}")
    if delays:
        print(
            f"  confirmation mail:   p50 {statistics.median(delays):.2f} s  p95 {percentile(delays, 0.95):.2f} s"
            f"  max {max(delays):.2f} s; missing {missing}; duplicates {mailbox.duplicates}"
        )
    return rate


def preload(dsn: str, campaign_slug: str, rows: int) -> float:
    """Store ``rows`` confirmed signatures with COPY, then ANALYZE."""
    started = time.monotonic()
    with psycopg.connect(dsn, autocommit=True) as conn:
        campaign_id = conn.execute("SELECT id FROM campaign WHERE slug = %s", (campaign_slug,)).fetchone()[0]
        with conn.cursor().copy(
            "COPY signature (campaign_id, name, email, email_hash, email_domain, country, lang, is_name_public,"
            " wants_updates, ip_hash, status, is_over_limit, created_at, confirmed_at) FROM STDIN"
        ) as copy:
            for number in range(rows):
                copy.write_row(
                    (
                        campaign_id,
                        "Stored Signer",
                        f"stored-{number}@example.net",
                        f"{number:064x}",
                        "example.net",
                        ("KZ", "RU", "DE", "FR", "UZ")[number % 5],
                        "en",
                        False,
                        number % 2 == 0,
                        f"{number % 50000:032x}",
                        "confirmed",
                        False,
                        "2026-01-01",
                        "2026-01-01",
                    )
                )
        conn.execute("ANALYZE signature")
    return time.monotonic() - started


def _event_loop_policy() -> str:
    """uvloop when it is installed (``pip install -e .[bench]``): the load generator shares the
    two cores with the system it measures, and uvloop spends about a third of asyncio's CPU."""
    try:
        import uvloop
    except ImportError:
        return "asyncio"
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return "uvloop"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=6000, help="signing POSTs per phase (at most)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per phase")
    parser.add_argument("--warmup", type=int, default=1000, help="unmeasured POSTs before each phase")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--web-threads", type=int, default=1, help="more than 1: gunicorn's gthread workers")
    parser.add_argument("--rq-workers", type=int, default=2)
    parser.add_argument(
        "--preload", type=int, default=1_000_000, help="stored signatures for phase 2 (0: skip)"
    )
    parser.add_argument(
        "--database", default=f"campaign_bench_{os.getpid()}", help="PostgreSQL database made and dropped"
    )
    parser.add_argument("--redis-url", default=REDIS, help="a Redis database of its own: it is emptied")
    args = parser.parse_args()

    database = args.database
    dsn = f"{PG}/{database}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    smtp_port = free_port()
    sink = Sink(smtp_port, Path(tempfile.mkdtemp()) / "received.log")
    mailbox = Mailbox(sink)
    web_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        # the limits stay on, raised: every request comes from one loopback address
        "SIGN_RATE_LIMIT": "1000000 per minute",
        "FRAUD_SIGNATURES_PER_IP_HOUR": "1000000",
        "BASE_URL": f"http://127.0.0.1:{web_port}",
    }
    processes: list[subprocess.Popen[bytes]] = []
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    try:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        run([*flask, "db", "upgrade"], env)
        run([*flask, "seed-demo"], env)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("ANALYZE")  # a database that has been running has its planner statistics
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{web_port}",
                    "--workers",
                    str(args.web_workers),
                    "--threads",
                    str(args.web_threads),
                    "--backlog",
                    "2048",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        for _ in range(args.rq_workers):
            processes.append(
                subprocess.Popen(
                    [sys.executable, "worker.py"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        time.sleep(3)
        slug = "free-roza-tuletayeva"
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; gunicorn {args.web_workers} workers, "
            f"{args.rq_workers} RQ workers, PostgreSQL + Redis on loopback; load from {_event_loop_policy()}"
        )
        empty = phase(web_port, slug, "empty", args, mailbox)
        rate_empty = report("empty database", empty, mailbox, mail_wait=60)
        if args.preload:
            took = preload(dsn, slug, args.preload)
            print(f"\nstored {args.preload:,} confirmed signatures in {took:.0f} s")
            full = phase(web_port, slug, "full", args, mailbox)
            rate_full = report(f"{args.preload:,} stored signatures", full, mailbox, mail_wait=60)
            print(f"\nrate with stored signatures / empty: {rate_full / rate_empty:.0%}")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        sink.stop()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
