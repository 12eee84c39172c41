"""Public pages, answered for a viral read load: cacheable over HTTP, rendered once per change.

A page marked :func:`public_page` and asked for by a visitor without a session cookie is the
same for everyone who asks for the same URL (the language is in the path, the signing form's
token holds nothing about the visitor: see :mod:`campaign.public_forms`). So:

- **HTTP**: it goes out with ``Cache-Control: public, max-age=…, stale-while-revalidate=…``, a
  strong ``ETag`` (``304`` on ``If-None-Match``) and ``Vary: Cookie`` (with a session cookie
  the answer is another one, which ``no-store`` keeps out of every cache);
- **render cache**: each web process keeps the rendered bytes for ``PAGE_CACHE_SECONDS`` (the
  bound on how stale a count on a page may be), and drops every page the moment a commit
  changes what public pages show (a campaign, a defender, a letter …): such a commit bumps
  one generation number in Redis, which every process reads at most every
  ``PAGE_CACHE_CHECK_SECONDS`` (the committing process at once). Signing,
  confirming and the other frequent writes bump nothing: the count on a page follows within
  ``PAGE_CACHE_SECONDS``.

A page once answered whole is then answered by :class:`FastPath`, in front of Flask: the
same bytes and final headers (every hook's included) for the same URL, as long as the rendering
is fresh, without a request context or any hook — measured by ``bench/pages.py``, most of what
a cached answer cost was Flask's request lifecycle, not the page.

Process memory, not Redis, holds the pages: measured by ``bench/pages.py``, a page read from
Redis costs a round trip of its whole size on every request, a generation read a few bytes.
When Redis cannot be asked, a cached page lives out its seconds; when the database is down,
:func:`stale` serves the last rendering of a page whatever its age (see :mod:`campaign.overload`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

import redis
from flask import Flask, Response, current_app, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from werkzeug.http import parse_etags

from campaign.extensions import db, queues

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

#: set on a view function by :func:`public_page`
_ATTRIBUTE = "is_public_page"
GENERATION_KEY = "page-cache:generation"
#: tables written often, or that no public page shows: a commit touching only these leaves the
#: cached pages alone (counts follow within PAGE_CACHE_SECONDS). Any other table invalidates,
#: so a table added later is safe by default.
QUIET_TABLES = frozenset(
    {
        "signature",
        "outbox_message",
        "supporter",
        "follower",
        #: a message waiting for moderation shows nowhere; deciding on one invalidates by itself
        "solidarity_message",
        "audit_entry",
        "export",
        "invitation",
        "password_reset",
        "recovery_code",
        "trending_flag",
        "erasure_request",
        "user_account",
        "membership",
        "letter_comment",
        "sign_on_request",
        "recipient_contact",
    }
)
_CHANGED = "campaign.page_cache.changed"
#: headers of a rendering that are not kept with it: each answer gets its own
_OWN_HEADERS = frozenset({"content-length", "etag", "cache-control", "vary"})

F = TypeVar("F", bound=Callable[..., Any])


def public_page(view: F) -> F:
    """Mark a view whose anonymous GET is the same for every visitor."""
    setattr(view, _ATTRIBUTE, True)
    return view


@dataclass(frozen=True)
class Page:
    body: bytes
    #: the view's own headers (the embed's frame policy, its content type)
    headers: tuple[tuple[str, str], ...]
    etag: str
    generation: int | None
    rendered_at: float
    #: the view's endpoint, for the metrics of answers that never reach Flask
    endpoint: str = ""
    #: the headers of the whole answer as it went out (every hook's), once it has: FastPath's
    sent_headers: tuple[tuple[str, str], ...] | None = None


class PageCache:
    """The rendered pages of one process, least recently used dropped past ``size``."""

    def __init__(self, seconds: float, size: int, check_seconds: float) -> None:
        self.seconds, self.size, self.check_seconds = seconds, size, check_seconds
        self.pages: OrderedDict[str, Page] = OrderedDict()
        self.generation: int | None = None
        self.generation_read_at = float("-inf")

    def fresh(self, key: str, generation: int | None) -> Page | None:
        page = self.pages.get(key)
        if page is None or time.monotonic() - page.rendered_at >= self.seconds:
            return None
        if generation is not None and page.generation != generation:
            return None
        self.pages.move_to_end(key)
        return page

    def store(self, key: str, page: Page) -> None:
        self.pages[key] = page
        self.pages.move_to_end(key)
        while len(self.pages) > self.size:
            self.pages.popitem(last=False)


def _cache() -> PageCache:
    cache: PageCache = current_app.extensions["page_cache"]
    return cache


def _generation() -> int | None:
    """The generation of public content, or None when Redis cannot say; read from Redis at most
    every ``PAGE_CACHE_CHECK_SECONDS`` (under load, that round trip is most of a cached answer)."""
    cache = _cache()
    now = time.monotonic()
    if now - cache.generation_read_at < cache.check_seconds:
        return cache.generation
    try:
        value = queues.connection.get(GENERATION_KEY)
    except (redis.RedisError, OSError):
        value = None
        cache.generation = None
    else:
        cache.generation = int(value) if value is not None else 0
    cache.generation_read_at = now
    return cache.generation


def is_public_request() -> bool:
    """A GET (or HEAD) of a public page by a visitor without a session."""
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    has_session = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
    return bool(getattr(view, _ATTRIBUTE, False)) and not has_session


def _key() -> str:
    return environ_key(request.environ)


def environ_key(environ: WSGIEnvironment) -> str:
    """The cache's key of a request: its path and query string exactly as they came."""
    return f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"


def _answer(page: Page) -> Response:
    response = Response(page.body, headers=page.headers)
    response.set_etag(page.etag)
    g.page_cache_hit = True
    return response


def serve_cached() -> Response | None:
    """before_request: answer a public page from the cache when it holds a fresh rendering."""
    if not is_public_request():
        return None
    g.is_public_page = True
    if _cache().seconds <= 0:
        return None
    g.page_generation = _generation()
    page = _cache().fresh(_key(), g.page_generation)
    return _answer(page) if page is not None else None


def stale() -> Response | None:
    """The last rendering of this public page, whatever its age (for when the database is down)."""
    if not is_public_request() or "page_cache" not in current_app.extensions:
        return None
    page = _cache().pages.get(_key())
    return _answer(page) if page is not None else None


def mark_cacheable(response: Response) -> Response:
    """after_request: keep a fresh rendering, and say who may cache it for how long."""
    if not g.get("is_public_page") or response.status_code != 200 or response.is_streamed:
        return response
    if "Set-Cookie" in response.headers:  # the view gave this visitor something of their own
        return response
    if not g.get("page_cache_hit"):
        body = response.get_data()
        etag = hashlib.blake2b(body, digest_size=16).hexdigest()
        response.set_etag(etag)
        if _cache().seconds > 0:
            headers = tuple((k, v) for k, v in response.headers if k.lower() not in _OWN_HEADERS)
            page = Page(
                body, headers, etag, g.get("page_generation"), time.monotonic(), request.endpoint or ""
            )
            _cache().store(_key(), page)
            request.environ[_STORED] = page  # FastPath keeps the headers this answer goes out with
    config = current_app.config
    response.headers["Cache-Control"] = (
        f"public, max-age={config['PAGE_MAX_AGE']}, stale-while-revalidate={config['PAGE_STALE_SECONDS']}"
    )
    response.vary.add("Cookie")
    response.make_conditional(request)
    return response


_STORED = "campaign.page_cache.stored"


class FastPath:
    """WSGI middleware: a GET or HEAD without a session cookie whose URL the cache holds, fresh
    and once answered whole, gets those bytes and headers back (or a 304) without Flask.

    Nothing but the URL decides such an answer: the request guards look at the path and query
    alone (the same ones passed when it was rendered), and a session cookie sends the request on
    to Flask. Freshness is the render cache's own (``PAGE_CACHE_SECONDS``, the generation read
    from Redis at most every ``PAGE_CACHE_CHECK_SECONDS``).
    """

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.cache: PageCache = app.extensions["page_cache"]
        self.cookie = f"{app.config['SESSION_COOKIE_NAME']}="

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if (
            self.cache.seconds <= 0
            or method not in ("GET", "HEAD")
            or self.cookie in environ.get("HTTP_COOKIE", "")
        ):
            return self.wsgi_app(environ, start_response)
        started_at = time.perf_counter()
        key = environ_key(environ)
        page = self.cache.fresh(key, self._generation())
        if page is None or page.sent_headers is None:
            return self.wsgi_app(environ, self._keeping_headers(environ, key, start_response))
        if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(page.etag):
            status, body = 304, b""
            start_response(
                "304 Not Modified", [h for h in page.sent_headers if h[0].lower() != "content-length"]
            )
        else:
            status, body = 200, page.body
            start_response("200 OK", list(page.sent_headers))
        metrics = self.app.extensions.get("campaign.metrics")
        if metrics is not None:
            metrics.observe_request(page.endpoint, status, time.perf_counter() - started_at)
            metrics.page_hits.inc()
        return [b"" if method == "HEAD" else body]

    def _generation(self) -> int | None:
        if time.monotonic() - self.cache.generation_read_at < self.cache.check_seconds:
            return self.cache.generation
        with self.app.app_context():
            return _generation()

    def _keeping_headers(
        self, environ: WSGIEnvironment, key: str, start_response: StartResponse
    ) -> StartResponse:
        """start_response, which also keeps with a page just stored the headers it goes out with."""

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            page: Page | None = environ.get(_STORED)
            if (
                page is not None
                and status.startswith("200")
                and self.cache.pages.get(key) is page
                and not any(name.lower() == "set-cookie" for name, _ in headers)
            ):
                self.cache.pages[key] = replace(page, sent_headers=tuple(headers))
            return start_response(status, headers, exc_info)

        return keep


def invalidate() -> None:
    """Drop every process's cached pages (run after a commit that changed public content)."""
    if has_app_context() and "page_cache" in current_app.extensions:
        _cache().generation_read_at = float("-inf")  # this process sees its own change at once
    try:
        queues.connection.incr(GENERATION_KEY)
    except (redis.RedisError, OSError):
        log.warning("could not invalidate the page cache; pages expire on their own", exc_info=True)


def _note_flush(session: Session, _context: Any, _instances: Any) -> None:
    # a campaign is "dirty" when only a signature was added to its collection: not a change of it
    dirty = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    for obj in (*session.new, *dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is not None and table.name not in QUIET_TABLES:
            session.info[_CHANGED] = True
            return


def _note_statement(state: ORMExecuteState) -> None:
    """A bulk UPDATE, DELETE or INSERT written without the ORM's units of work."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", None) not in QUIET_TABLES:
            state.session.info[_CHANGED] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        invalidate()


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def init_app(app: Flask) -> None:
    config = app.config
    app.extensions["page_cache"] = PageCache(
        config["PAGE_CACHE_SECONDS"], config["PAGE_CACHE_SIZE"], config["PAGE_CACHE_CHECK_SECONDS"]
    )
    app.before_request(serve_cached)
    app.after_request(mark_cacheable)
    # the method is Flask's documented way to wrap its WSGI app, which mypy takes for replacing one
    app.wsgi_app = FastPath(app, app.wsgi_app)  # type: ignore[method-assign]
    factory = db.session.session_factory
    for name, listener in (
        ("before_flush", _note_flush),
        ("do_orm_execute", _note_statement),
        ("after_commit", _after_commit),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not event.contains(factory, name, listener):
            event.listen(factory, name, listener)
