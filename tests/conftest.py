"""Fixtures: the real database, the real Redis and a real SMTP server.

``DATABASE_URL`` and ``REDIS_URL`` pick PostgreSQL and a shared Redis (as ``.ci/run`` does);
without them the suite uses a SQLite file and the embedded Redis, both in a temporary folder.
Under pytest-xdist (``-n``) each worker has services of its own: see ``pytest_configure``.
``TEST_SERVICES_ONLY=1`` runs only the tests those services can change: see
``pytest_collection_modifyitems``.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import secrets
import signal
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jinja2
import jinja2.bccache
import psycopg
import pyotp
import pytest
import redis
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from redis.backoff import NoBackoff
from redis.retry import Retry
from werkzeug.routing import Rule

from campaign import create_app, embedded_redis
from campaign.accounts import services as account_services
from campaign.accounts.models import User
from campaign.campaigns.models import Campaign, CampaignTranslation
from campaign.defenders.models import SENTENCE, STATUS, CaseFact, Defender, DefenderTranslation
from campaign.defenders.search import names_key
from campaign.extensions import db, queues
from campaign.jobs import make_worker
from tests.smtp import SMTPServer

SECRET_KEY = "test-" + secrets.token_hex(16)
#: the hasher the app ships with, before ``cheap_password_hashing`` replaces it
PRODUCTION_HASHER = account_services.hasher


def pytest_configure(config: pytest.Config) -> None:
    """Give each pytest-xdist worker services of its own, so that no worker sees another's rows
    or flushes another's Redis: ``gwN`` uses the PostgreSQL database ``<DATABASE_URL's>_gwN``
    (created when missing) and Redis database number ``<REDIS_URL's> + N``. Without these
    variables nothing is shared anyway: each worker's temporary folder holds its own SQLite
    file and embedded Redis."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    if worker is None:
        return
    if os.environ.get("DATABASE_URL", "").startswith(("postgresql", "postgres:")):
        os.environ["DATABASE_URL"] = _worker_database(os.environ["DATABASE_URL"], worker)
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _worker_redis(os.environ["REDIS_URL"], int(worker.removeprefix("gw")))


#: words in a test module's source that show it reads the services from the environment itself
_READS_SERVICES = re.compile(r"DATABASE_URL|REDIS_URL|create_app")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``TEST_SERVICES_ONLY=1`` (``.ci/run``'s pass against PostgreSQL and Redis, after the
    whole suite has passed on SQLite), leave out the tests that would run exactly as they did
    there: those that never reach ``base_config`` (the only way to the database and Redis the
    environment names) and whose module reads neither variable nor builds an app of its own, and
    those marked ``same_everywhere`` (they set their own services). The rest, every test that
    touches a database or Redis, runs in both passes."""
    _long_modules_first(items)
    if os.environ.get("TEST_SERVICES_ONLY") != "1":
        return
    sources: dict[str, bool] = {}

    def reads_services(item: pytest.Item) -> bool:
        path = str(item.path)
        if path not in sources:
            sources[path] = bool(_READS_SERVICES.search(item.path.read_text()))
        return sources[path]

    kept, left = [], []
    for item in items:
        independent = item.get_closest_marker("same_everywhere") is not None or (
            "base_config" not in getattr(item, "fixturenames", ()) and not reads_services(item)
        )
        (left if independent else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


#: modules whose tests take tens of seconds each (``--durations`` in CI's log): started first,
#: so that pytest-xdist does not hand one of them to a worker when the rest are nearly done
_LONG_MODULES = ("test_wheel.py", "robustness/test_fuzz.py", "smoke/", "updates/test_worker_faults.py")


def _long_modules_first(items: list[pytest.Item]) -> None:
    """Put the long modules, and those with a ``slow`` test, first, each kept whole (a module's
    fixtures are set up once) and otherwise in the order collected."""
    long_paths = {
        item.path
        for item in items
        if item.get_closest_marker("slow") is not None
        or any(part in item.path.as_posix() for part in _LONG_MODULES)
    }
    items.sort(key=lambda item: item.path not in long_paths)


def _worker_database(raw: str, worker: str) -> str:
    url = sa.make_url(raw)
    name = f"{url.database}_{worker}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(False)


def _worker_redis(raw: str, index: int) -> str:
    client = redis.Redis.from_url(raw)
    base = client.connection_pool.connection_kwargs.get("db", 0)
    available = int(client.config_get("databases")["databases"])
    client.close()
    if base + index >= available:
        raise pytest.UsageError(
            f"REDIS_URL {raw}: worker {index} would use Redis database {base + index}, "
            f"but the server has {available}; choose a lower database number or fewer workers"
        )
    parts = urlsplit(raw)
    if parts.scheme == "unix":  # the socket's path is the URL's: the number goes in the query
        query = [(key, value) for key, value in parse_qsl(parts.query) if key != "db"]
        return urlunsplit(parts._replace(query=urlencode([*query, ("db", str(base + index))])))
    return urlunsplit(parts._replace(path=f"/{base + index}"))


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id at its lowest cost: the production parameters cost about a third of a CPU-second
    a hash, and the suite creates and logs in hundreds of accounts. PRODUCTION_HASHER is
    checked in tests/accounts/test_password_hashing.py."""
    with pytest.MonkeyPatch.context() as patch:
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        patch.setattr(account_services, "hasher", cheap)
        yield


class _SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole session. Every test builds an app of its
    own, and each app's Jinja environment would otherwise compile every template it renders
    afresh, which was a large share of the suite's CPU time. Jinja checks each entry against the
    template's source checksum, so a changed template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def shared_template_cache() -> Iterator[None]:
    """Every app the suite creates, the fixture's or a test's own, shares one template cache."""
    cache = _SharedBytecodeCache()
    create_environment = Flask.create_jinja_environment

    def create_with_cache(app: Flask) -> Any:
        environment = create_environment(app)
        environment.bytecode_cache = cache
        return environment

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "create_jinja_environment", create_with_cache)
        yield


@pytest.fixture(scope="session", autouse=True)
def shared_url_builders() -> Iterator[None]:
    """Werkzeug writes and compiles a Python function per URL rule to build its URLs; with an app
    per test that was about a third of the suite's CPU time. The function depends only on the
    rule's text, its parsed parts and its defaults (the rule itself is bound when called), so
    identical rules of later apps reuse the first app's."""
    builders: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}
    compile_builder = Rule._compile_builder

    def cached(rule: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        key = (append_unknown, rule.rule, tuple(rule._trace), repr(tuple((rule.defaults or {}).items())))
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", cached)
        yield


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("instance")
    yield path
    _stop_embedded_redis(path)


def _stop_embedded_redis(path: Path) -> None:
    """Shut down the embedded Redis this session started, if it used one, so none is left behind."""
    socket_path = path / embedded_redis.SOCKET_NAME
    if socket_path.exists():
        # no retries: the server closing the connection is the answer, not a fault to wait out
        client = redis.Redis(unix_socket_path=str(socket_path), retry=Retry(NoBackoff(), 0))
        with contextlib.suppress(redis.RedisError):
            client.shutdown(nosave=True)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    """Standards-enforcing, as many receiving servers are: no 8BITMIME, no line over 998 octets."""
    server = SMTPServer(strict=True, eight_bit_mime=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_config(instance_path: Path, smtp_server: SMTPServer) -> dict[str, Any]:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_TIMEOUT": 5,
        "DEV_MAILBOX": False,
        "BASE_URL": "https://campaign.example.org",
        "WTF_CSRF_ENABLED": True,
        #: a flush job's lease outlasts its work by a moment only, so that draining stays quick
        "OUTBOX_FLUSH_HOLD_SECONDS": 0.05,
        #: every page rendered afresh: a test of something else must not see the page as it was
        #: before its own change (the render cache's tests turn it on: tests/campaigns/test_page_cache.py)
        "PAGE_CACHE_SECONDS": 0,
    }


def _database_url(instance_path: Path) -> str:
    from campaign.config import database_url

    return database_url(os.environ.get("DATABASE_URL"), instance_path)


@pytest.fixture(scope="session")
def _schema(base_config: dict[str, Any]) -> None:
    """Build the schema once, through the migrations, as production does."""
    app = create_app(base_config)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Runs each request as a real server would: in a fresh app context, with its own ``g`` and
    database session, rather than inside the test's. The test's session is rolled back first (tests
    commit what requests must see), which also leaves it to load fresh rows afterwards."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        db.session.rollback()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(base_config: dict[str, Any], _schema: None, smtp_server: SMTPServer) -> Iterator[Flask]:
    app = create_app(base_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        queues.connection.flushdb()
        yield app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        queues.connection.flushdb()
        queues.connection.close()
        db.engine.dispose()
    smtp_server.messages.clear()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def drain(app: Flask) -> Callable[[], None]:
    """Run every queued job in this process, through the production worker class.

    The worker gets an app context (and so a database session) of its own, as in production;
    the test's session then forgets what it had loaded, since the jobs changed it.
    """

    def run() -> None:
        work_in_burst(app)
        db.session.expire_all()

    return run


def work_in_burst(app: Flask) -> None:
    """Run the queued jobs through the production worker, then give SIGINT and SIGTERM back to
    pytest: RQ's worker takes them over for its warm shutdown and does not hand them back, which
    left the test process deaf to Ctrl-C and to SIGTERM (a run could only be killed)."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        with app.app_context():
            make_worker(app).work(burst=True)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.fixture
def create_campaign(app: Flask) -> Callable[..., Campaign]:
    def create(slug: str = "free-roza", langs: tuple[str, ...] = ("en", "ru"), **fields: Any) -> Campaign:
        defender = Defender(
            slug=f"{slug}-defender", country="KZ", status="sentenced", default_lang=langs[0], is_public=True
        )
        for lang in langs:
            defender.translations[lang] = DefenderTranslation(
                lang=lang, name=f"Roza T ({lang})", occupation="activist"
            )
        defender.facts = [CaseFact(kind=SENTENCE, texts={lang: "5 years" for lang in langs})]
        campaign = Campaign(
            slug=slug, defender=defender, status=fields.pop("status", "live"), default_lang=langs[0], **fields
        )
        for lang in langs:
            campaign.translations[lang] = CampaignTranslation(
                lang=lang,
                title=f"Title {lang}",
                summary="",
                body="",
                demand="Release her",
                target="The President",
            )
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return create


@pytest.fixture
def campaign(create_campaign: Callable[..., Campaign]) -> Campaign:
    return create_campaign()


PASSWORD = "correct horse battery staple"


@pytest.fixture
def create_user(app: Flask) -> Callable[..., User]:
    """Make an account; by default its second factor is already set up (``totp=False`` to leave it off)."""

    def create(
        email: str = "staff@example.org",
        password: str = PASSWORD,
        role: str | None = None,
        org: str | None = None,
        org_role: str = "owner",
        totp: bool = True,
    ) -> User:
        organisation = account_services.find_or_create_organisation(org) if org else None
        user = account_services.create_user(
            email, password, staff_role=role, organisation=organisation, org_role=org_role
        )
        if totp:
            account_services.enable_totp(user, pyotp.random_base32())
        db.session.commit()
        return user

    return create


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., Any]:
    """Log in through the real forms: password, then the current TOTP code."""

    def log_in(
        user: User, password: str = PASSWORD, lang: str = "en", http: FlaskClient | None = None
    ) -> Any:
        http = http or client
        # several logins of one user inside one 30-second step would otherwise replay a code
        user.totp_last_step = 0
        db.session.commit()
        url = f"/{lang}/account/login"
        http.post(url, data={"csrf_token": csrf_token(http, url), "email": user.email, "password": password})
        verify_url = f"/{lang}/account/login/verify"
        code = pyotp.TOTP(user.totp_secret).now()
        return http.post(verify_url, data={"csrf_token": csrf_token(http, verify_url), "code": code})

    return log_in


@pytest.fixture
def staff(create_user: Callable[..., User], login: Callable[..., Any]) -> User:
    """A campaigner of the staff, logged in on ``client``."""
    user = create_user("campaigner@example.org", role="campaigner")
    login(user)
    return user


def csrf_token(client: FlaskClient, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def form_token(client: FlaskClient, url: str) -> str:
    """The token of the public form on ``url`` (see campaign.public_forms)."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', html)
    assert match, f"no form token on {url}"
    return match.group(1)


@pytest.fixture
def sign(client: FlaskClient) -> Callable[..., Any]:
    """Post the signing form as a browser would, its form token included."""

    def post(slug: str, lang: str = "en", ip: str = "198.51.100.7", **fields: Any) -> Any:
        url = f"/{lang}/campaigns/{slug}"
        data = {"name": "Aigerim Test", "email": "aigerim@example.org", "country": "KZ"} | fields
        data["form_token"] = form_token(client, url)
        return client.post(url, data=data, environ_base={"REMOTE_ADDR": ip})

    return post


@pytest.fixture
def create_defender(app: Flask) -> Callable[..., Defender]:
    """A public defender named ``names`` ({lang: name}), with a status history of one entry."""

    def create(slug: str, names: dict[str, str], **fields: Any) -> Defender:
        facts = fields.pop("facts", [])
        verified_on = fields.pop("verified_on", date(2026, 11, 1))
        defender = Defender(
            slug=slug,
            country=fields.pop("country", "KZ"),
            status=fields.pop("status", "detained"),
            default_lang=next(iter(names)),
            is_public=fields.pop("is_public", True),
            **fields,
        )
        occupation = fields.pop("occupation", "journalist")
        for lang, name in names.items():
            defender.translations[lang] = DefenderTranslation(lang=lang, name=name, occupation=occupation)
        defender.search_names = names_key(names.values())
        defender.facts = [CaseFact(kind=STATUS, status=defender.status, verified_on=verified_on), *facts]
        db.session.add(defender)
        db.session.commit()
        return defender

    return create
