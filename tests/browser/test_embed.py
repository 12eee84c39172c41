"""Signing inside the embed frame on a partner's page, in Chromium, without JavaScript: the
frame loads from another site, posts its form, and answers inside the frame."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import PHONE, LiveServer
from tests.smtp import free_port

SLUG = "free-roza-tuletayeva"


@pytest.fixture
def partner_page(live: LiveServer) -> Iterator[str]:
    """A partner's page on another site framing our embed as the dashboard's snippet does:
    served on ``localhost`` (a site apart from the live server's 127.0.0.1), on loopback too,
    since Chromium refuses a public site's frame of a loopback address."""
    frame_url = f"{live.url}/en/embed/campaigns/{SLUG}?ref=adc-memorial"
    html = (
        "<!doctype html><html lang='en'><head><title>Partner</title></head><body>"
        "<h1>Our partner's article</h1>"
        f"<iframe src='{frame_url}' title='Sign the petition' width='100%' height='900'></iframe>"
        "</body></html>"
    ).encode()

    class Partner(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", free_port()), Partner)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}/solidarity"
    server.shutdown()
    thread.join()
    server.server_close()


def test_a_visitor_signs_inside_the_frame_on_a_partners_page(
    live: LiveServer, new_context: Callable[..., BrowserContext], partner_page: str
) -> None:
    api = live.app.test_client()
    email = "framed-signer@example.org"
    for label, viewport in (("desktop", None), ("phone", PHONE)):
        context = new_context(False, viewport) if viewport else new_context(javascript=False)
        page = context.new_page()
        page.goto(partner_page)
        frame = page.frame_locator("iframe")
        frame.locator("input[name=email]").wait_for()
        page.screenshot(path=f"/tmp/register-embed-{label}.png", full_page=True)
        if label == "phone":
            break
        frame.locator("input[name=name]").fill("Framed Signer")
        frame.locator("input[name=email]").fill(email)
        frame.locator("select[name=country]").select_option("KZ")
        frame.locator("button[type=submit]").click()
        frame.locator("h1", has_text="check your email").wait_for()
        page.screenshot(path="/tmp/register-embed-sent.png", full_page=True)

        assert page.url == partner_page  # the partner's page stays; only the frame moved on
        assert page.frames[1].url == f"{live.url}/en/embed/campaigns/{SLUG}/check-email?ref=adc-memorial"
        # "back" inside the frame leads to the partner's form again
        assert frame.locator("a", has_text="Back to the campaign").get_attribute("href") == (
            f"/en/embed/campaigns/{SLUG}?ref=adc-memorial"
        )
        assert context.cookies() == []
    live.deliver_mail()
    [mail] = live.smtp.to(email)
    assert "/verify/" in mail.text()
    assert api.get("/api/v1/campaigns").status_code == 200
