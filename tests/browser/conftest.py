"""A real server on real demo data, driven by Debian's Chromium through Playwright.

These tests are marked ``browser`` and left out of ``make test`` (a fresh machine has no
Chromium); ``.ci/run`` installs Chromium and axe-core and runs them with ``-m browser``.
Playwright's driver comes in its wheel; no browser is ever downloaded: Chromium is
``/usr/bin/chromium`` (``CHROMIUM`` overrides).
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
import zxingcpp
from flask import Flask
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.serving import BaseWSGIServer, make_server

from campaign import create_app
from tests.conftest import work_in_burst
from tests.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("AXE_CORE_JS", ROOT / ".cache/npm/node_modules/axe-core/axe.min.js"))
#: kept by CI (gitignored): one desktop and one phone-width picture of every page visited
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
#: the path at which the test serves axe-core to the page (from the live server's own origin,
#: so that the page's Content-Security-Policy, script-src 'self', lets it run)
AXE_PATH = "/__test__/axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: endpoints that are not pages: images, files, the development mailbox, logging out
NOT_PAGES = ("static", "media.", "photos.", "campaigns.placeholder_photo", "devmail.", "accounts.logout")
#: Chromium as the probe of this machine starts it: without these, it tries Google's hosts
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    app: Flask
    url: str
    smtp: SMTPServer

    def deliver_mail(self) -> None:
        """Run the queued jobs (mail, deliveries) as a worker would, through the production worker."""
        work_in_burst(self.app)


@pytest.fixture(scope="session")
def live(base_config: dict[str, Any], _schema: None, smtp_server: SMTPServer) -> Iterator[LiveServer]:
    """The app served by werkzeug in a thread on a free port, on demo data, mailing the test SMTP server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app({**base_config, "BASE_URL": url, "RATELIMIT_ENABLED": False})
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, url, smtp_server)
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run does)")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"no axe-core at {AXE_JS}: npm install --prefix .cache/npm axe-core (.ci/run does)")
    return AXE_JS.read_text()


@dataclass
class Watched:
    """What a page did that a user would not want: errors in its console, requests to other hosts."""

    page: Page
    host: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [*self.console_errors, *(f"request to another host: {url}" for url in self.foreign_requests)]


def watch(page: Page, live: LiveServer) -> Watched:
    watched = Watched(page, urlsplit(live.url).netloc)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.console_errors.append(f"console: {message.text}")

    def on_request(request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != watched.host:
            watched.foreign_requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.console_errors.append(f"page error: {error}"))
    page.on("request", on_request)
    return watched


@pytest.fixture
def new_context(
    browser: Browser, live: LiveServer, axe_source: str
) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts (fresh cookies) with JavaScript on or off; axe-core is served at AXE_PATH."""
    contexts: list[BrowserContext] = []

    def open_context(javascript: bool = True, viewport: dict[str, int] = DESKTOP) -> BrowserContext:
        context = browser_context(browser, live, axe_source, javascript=javascript, viewport=viewport)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def browser_context(
    browser: Browser,
    live: LiveServer,
    axe_source: str,
    javascript: bool = True,
    viewport: dict[str, int] = DESKTOP,
) -> BrowserContext:
    """A fresh context (no cookies) on the live server, with axe-core served at AXE_PATH."""
    context = browser.new_context(java_script_enabled=javascript, viewport=viewport, base_url=live.url)
    context.route(
        f"{live.url}{AXE_PATH}",
        lambda route: route.fulfill(body=axe_source, content_type="application/javascript"),
    )
    return context


def serious_accessibility_violations(page: Page) -> list[str]:
    """Run axe-core on the page; the serious and critical violations, one line each."""
    page.add_script_tag(url=AXE_PATH)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"axe {violation['impact']} {violation['id']}: {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def screenshot(page: Page, name: str) -> None:
    """A desktop and a phone-width picture of the page, under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    file_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{file_name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


LINK = re.compile(r'href="(/[^"#]*)"')


def public_pages(live: LiveServer, lang: str) -> dict[str, str]:
    """One URL of each public page (by endpoint) an anonymous visitor reaches by following links
    from ``/<lang>/`` and from the public API's lists, in that language: endpoint -> path.

    One page per endpoint keeps the run bounded however much content there is."""
    adapter = live.app.url_map.bind("127.0.0.1")
    client = live.app.test_client()
    found: dict[str, str] = {}
    seen: set[str] = set()
    todo = deque([f"/{lang}/"])
    for listing in ("campaigns", "letters", "defenders"):
        response = client.get(f"/api/v1/{listing}?lang={lang}")
        if response.status_code == 200:
            todo.extend(
                urlsplit(item["url"]).path for item in response.get_json()[listing] if item.get("url")
            )
    while todo:
        url = todo.popleft()
        path = url.split("?")[0]
        if url in seen:
            continue
        seen.add(url)
        try:
            endpoint, args = adapter.match(path, method="GET")
        except (NotFound, MethodNotAllowed, RequestRedirect):
            continue
        if endpoint.startswith(NOT_PAGES) or args.get("lang") != lang or endpoint in found:
            continue
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        found[endpoint] = url
        todo.extend(LINK.findall(response.get_data(as_text=True).replace("&amp;", "&")))
    return found


def decode_qr(png: bytes) -> str:
    """The text of the one QR code in a PNG picture ('' if none can be read)."""
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return results[0].text if results else ""


def totp_code(otpauth_uri: str) -> str:
    return pyotp.parse_uri(otpauth_uri).now()
