"""Settings from the environment, with embedded defaults so a fresh checkout runs as it is.

The variables and their defaults are an interface (DESIGN.md section 4): keep them stable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from campaign.layout import data_dir

DEVELOPMENT = "development"
#: the interface languages enabled by default; ``uz`` is Uzbek in Latin script, which is what
#: Babel/CLDR give for ``uz`` (``uz_Cyrl`` would be the Cyrillic one)
LANGUAGES = "en,ru,uk,be,kk,ky,uz,tg,tk,az,hy,ka,fr,de"
PRODUCTION = "production"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    return int(value) if value not in (None, "") else default


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def database_url(raw: str | None, instance_path: Path) -> str:
    """Return a SQLAlchemy URL; a bare ``postgresql://`` URL is pointed at psycopg 3."""
    if not raw:
        return f"sqlite:///{instance_path / 'campaign.db'}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _key(name: str, env: dict[str, str], instance_path: Path, environment: str) -> str:
    """``name`` from the environment; in development, generated once into ``instance/``.

    In production a missing key stays empty: ``campaign.production`` then refuses to start,
    listing it with every other problem.
    """
    if env.get(name):
        return env[name]
    if environment == PRODUCTION:
        return ""
    key_file = instance_path / name.lower()
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def from_environment(instance_path: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from environment variables."""
    env = dict(os.environ if env is None else env)
    environment = env.get("CAMPAIGN_ENV", DEVELOPMENT)
    is_production = environment == PRODUCTION
    mail_server = env.get("MAIL_SERVER") or None
    return {
        "CAMPAIGN_ENV": environment,
        #: signs sessions, forms and links; rotate it freely (old values in SECRET_KEY_FALLBACKS)
        "SECRET_KEY": _key("SECRET_KEY", env, instance_path, environment),
        #: keys the hashes of email and IP addresses (dedupe, rate limits): never rotated lightly,
        #: since every stored hash depends on it
        "IDENTITY_KEY": _key("IDENTITY_KEY", env, instance_path, environment),
        #: earlier secret keys, still accepted on signed links and forms after a rotation
        "SECRET_KEY_FALLBACKS": _list(env.get("SECRET_KEY_FALLBACKS")),
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL"), instance_path),
        #: lets a scraper off this host read /metrics (Authorization: Bearer …); unset: loopback only
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or None,
        #: "json" writes every log line as one JSON object (campaign.jsonlog)
        "LOG_FORMAT": env.get("LOG_FORMAT", "text"),
        # Outages (campaign.overload): how long a PostgreSQL connection may take to open (libpq's
        # least is 2 s), how long a request waits for a pooled one, and what Retry-After says.
        "DATABASE_CONNECT_TIMEOUT": _int(env.get("DATABASE_CONNECT_TIMEOUT"), 2),
        "DATABASE_POOL_TIMEOUT": float(env.get("DATABASE_POOL_TIMEOUT") or 1),
        "RETRY_AFTER_SECONDS": _int(env.get("RETRY_AFTER_SECONDS"), 30),
        #: production refuses SQLite unless this is true (a small site on one box may choose it)
        "ALLOW_SQLITE": _bool(env.get("ALLOW_SQLITE"), False),
        #: None means "start or reuse the embedded Redis under instance/"
        "REDIS_URL": env.get("REDIS_URL") or None,
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Who runs the site: the privacy page and every email's footer say so.
        #: uploads and exports (campaign.layout.stored_files): one shared folder for several hosts
        "FILES_PATH": env.get("FILES_PATH") or str(instance_path),
        "OPERATOR_NAME": env.get("OPERATOR_NAME", "A development copy of campaign (set OPERATOR_NAME)"),
        "OPERATOR_CONTACT": env.get(
            "OPERATOR_CONTACT", "privacy@campaign.example.org (set OPERATOR_CONTACT)"
        ),
        "OPERATOR_ADDRESS": env.get("OPERATOR_ADDRESS", ""),
        #: an onion address serving the same site: sent as the Onion-Location header when set
        "ONION_LOCATION": (env.get("ONION_LOCATION") or "").rstrip("/") or None,
        "LANGUAGES": [
            code.strip() for code in env.get("CAMPAIGN_LANGUAGES", LANGUAGES).split(",") if code.strip()
        ],
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(data_dir("translations")),
        # Mail: Flask-Mail's keys. Without a server, mail goes to the local mailbox (/dev/mailbox).
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _int(env.get("MAIL_PORT"), 25),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS"), False),
        "MAIL_USE_SSL": _bool(env.get("MAIL_USE_SSL"), False),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        #: a bare address is named OPERATOR_NAME in the From (campaign.mime.named_sender)
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "no-reply@campaign.example.org"),
        "MAIL_TIMEOUT": _int(env.get("MAIL_TIMEOUT"), 20),
        #: Flask-Mail would silently drop mail under TESTING; tests use a real SMTP server instead
        "MAIL_SUPPRESS_SEND": False,
        "DEV_MAILBOX": mail_server is None and not is_production,
        # Outbox: how long a claimed row may stay "sending" before the sweep takes it back.
        "OUTBOX_LEASE_SECONDS": _int(env.get("OUTBOX_LEASE_SECONDS"), 120),
        "OUTBOX_SWEEP_SECONDS": _int(env.get("OUTBOX_SWEEP_SECONDS"), 15),
        #: how many times a worker may die holding an email before it is marked failed
        "OUTBOX_MAX_ATTEMPTS": _int(env.get("OUTBOX_MAX_ATTEMPTS"), 8),
        #: how long temporary failures (4xx, an unreachable server) are retried before expiring
        "OUTBOX_RETRY_HOURS": float(env.get("OUTBOX_RETRY_HOURS") or 72),
        #: how long a flush job stays after its queue ran dry; commits meanwhile need no new job
        "OUTBOX_FLUSH_HOLD_SECONDS": float(env.get("OUTBOX_FLUSH_HOLD_SECONDS") or 1.0),
        "EXPIRE_PENDING_SECONDS": _int(env.get("EXPIRE_PENDING_SECONDS"), 3600),
        # Updates to supporters: outbox rows each fan-out step writes (then flushed a batch per
        # SMTP connection), and how often scheduled updates are started and stalled fan-outs resumed.
        "UPDATE_BATCH_SIZE": _int(env.get("UPDATE_BATCH_SIZE"), 500),
        "UPDATE_SCHEDULER_SECONDS": _int(env.get("UPDATE_SCHEDULER_SECONDS"), 30),
        "LETTER_SCHEDULER_SECONDS": _int(env.get("LETTER_SCHEDULER_SECONDS"), 60),
        #: how often the coordinators of delivered letters are reminded of deadlines near or passed
        "DEADLINE_REMINDER_SECONDS": _int(env.get("DEADLINE_REMINDER_SECONDS"), 3600),
        #: how often a worker enqueues due periodic jobs and notices dead workers' jobs
        "WORKER_MAINTENANCE_SECONDS": _int(env.get("WORKER_MAINTENANCE_SECONDS"), 5),
        #: a worker's heartbeat TTL; an idle worker wakes every WORKER_TTL - 15 seconds
        "WORKER_TTL": _int(env.get("WORKER_TTL"), 20),
        #: RQ logs every maintenance pass at INFO; WARNING keeps `make run` readable
        "WORKER_LOG_LEVEL": env.get("WORKER_LOG_LEVEL", "WARNING"),
        "COUNT_RECONCILE_SECONDS": _int(env.get("COUNT_RECONCILE_SECONDS"), 60),
        "COUNTRY_COUNT_MIN": _int(env.get("COUNTRY_COUNT_MIN"), 10),
        # Public pages (campaign.page_cache): how long each web process reuses a rendering (the
        # bound on how stale a page's count is; 0 renders every time), how many it keeps, and
        # what browsers and proxies are told (max-age, stale-while-revalidate).
        "PAGE_CACHE_SECONDS": float(env.get("PAGE_CACHE_SECONDS") or 2),
        "PAGE_CACHE_SIZE": _int(env.get("PAGE_CACHE_SIZE"), 2000),
        #: how often each process asks Redis whether public content changed (an edit's delay)
        "PAGE_CACHE_CHECK_SECONDS": float(env.get("PAGE_CACHE_CHECK_SECONDS") or 0.5),
        "PAGE_MAX_AGE": _int(env.get("PAGE_MAX_AGE"), 3),
        "PAGE_STALE_SECONDS": _int(env.get("PAGE_STALE_SECONDS"), 30),
        "PENDING_SIGNATURE_TTL_HOURS": _int(env.get("PENDING_SIGNATURE_TTL_HOURS"), 72),
        #: hours a follow confirmation link works; the retention job then deletes the request
        "PENDING_FOLLOWER_TTL_HOURS": _int(env.get("PENDING_FOLLOWER_TTL_HOURS"), 72),
        #: days after a campaign closes before its signers' names, addresses and IP hashes are
        #: erased (counts kept); each campaign may set its own in the editor
        "SIGNATURE_RETENTION_DAYS": _int(env.get("SIGNATURE_RETENTION_DAYS"), 180),
        #: how often the retention job looks for campaigns past their retention
        "RETENTION_SECONDS": _int(env.get("RETENTION_SECONDS"), 3600),
        # Abuse defences. RATELIMIT_ENABLED=false turns off every per-IP limit and fraud throttle.
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "SIGN_RATE_LIMIT": env.get("SIGN_RATE_LIMIT", "20 per minute;200 per hour"),
        #: valid signatures from one address to one campaign per hour before further ones are held
        "FRAUD_SIGNATURES_PER_IP_HOUR": _int(env.get("FRAUD_SIGNATURES_PER_IP_HOUR"), 10),
        # Dashboard and moderation.
        #: how long the dashboard's figures of a campaign are reused before they are recomputed
        "DASHBOARD_CACHE_SECONDS": _int(env.get("DASHBOARD_CACHE_SECONDS"), 60),
        #: how long an export's download link (and its file) lives, in seconds
        "EXPORT_LINK_MAX_AGE": _int(env.get("EXPORT_LINK_MAX_AGE"), 3600),
        #: how often rows whose job was lost while still queued (exports, invalidations and their
        #: undoing, letters' evidence) have it queued again
        "RESUME_QUEUED_SECONDS": _int(env.get("RESUME_QUEUED_SECONDS"), 60),
        #: a running export or invalidation whose job has not beaten for this long is resumed
        "JOB_STALE_SECONDS": _int(env.get("JOB_STALE_SECONDS"), 120),
        #: rows an export writes per batch (and per heartbeat)
        "EXPORT_BATCH_ROWS": _int(env.get("EXPORT_BATCH_ROWS"), 5000),
        "EVIDENCE_BATCH_ROWS": _int(env.get("EVIDENCE_BATCH_ROWS"), 10000),
        "EXPORT_CLEANUP_SECONDS": _int(env.get("EXPORT_CLEANUP_SECONDS"), 600),
        "TRENDING_SECONDS": _int(env.get("TRENDING_SECONDS"), 300),
        #: an address or domain is flagged after this many signatures to one campaign in an hour
        "TRENDING_MIN_SIGNATURES": _int(env.get("TRENDING_MIN_SIGNATURES"), 10),
        #: ... if they are also at least this share of the campaign's signatures in that hour
        "TRENDING_MIN_SHARE": float(env.get("TRENDING_MIN_SHARE") or 0.2),
        "TRENDING_IGNORED_DOMAINS": [
            domain.strip().lower()
            for domain in env.get(
                "TRENDING_IGNORED_DOMAINS",
                "gmail.com,googlemail.com,yahoo.com,outlook.com,hotmail.com,icloud.com,"
                "mail.ru,yandex.ru,bk.ru,inbox.ru,list.ru,proton.me,protonmail.com",
            ).split(",")
            if domain.strip()
        ],
        #: largest accepted defender photo upload, in bytes
        "PHOTO_MAX_BYTES": _int(env.get("PHOTO_MAX_BYTES"), 3 * 1024 * 1024),
        "PROXY_FIX_X_FOR": _int(env.get("PROXY_FIX_X_FOR"), 0),
        # Sessions and forms.
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), is_production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if is_production else "http",
        "WTF_CSRF_SSL_STRICT": False,
        "WTF_CSRF_TIME_LIMIT": 24 * 3600,
        #: how long a public form (signing, forget-me…) may stay open before it must be sent again
        "PUBLIC_FORM_MAX_AGE": _int(env.get("PUBLIC_FORM_MAX_AGE"), 24 * 3600),
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    }
