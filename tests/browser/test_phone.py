"""Phones (390 px wide): no page scrolls sideways, the demand and a Sign link come first, and a
failed submit lands with the form's error summary in view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE, LiveServer, screenshot

PAGES = (
    "/en/campaigns/free-roza-tuletayeva",
    "/ru/campaigns/support-tatiana-kotlyar",
    "/en/defenders",
    "/en/defenders/vadim-kuramshin",
    "/ru/countries/kz",
    "/en/letters/appeal-russia-tajikistan-migrant-workers",
)


@pytest.fixture
def phone(browser: Browser, live: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=live.url, java_script_enabled=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone: Page, path: str) -> None:
    response = phone.goto(path)
    assert response is not None and response.status == 200

    width = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    screenshot(phone, f"phone{path}")

    assert width[0] <= width[1], f"{path} is {width[0]} px wide in a {width[1]} px window"


def _in_view(page: Page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => { const box = document.querySelector(selector).getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight; }""",
        selector,
    )


def test_the_first_screen_shows_the_demand_and_a_sign_link(phone: Page) -> None:
    phone.goto("/en/campaigns/free-roza-tuletayeva")

    assert _in_view(phone, ".demand blockquote")
    assert _in_view(phone, 'a[href="#sign"]')


def test_a_failed_submit_lands_with_the_error_summary_in_view(phone: Page) -> None:
    phone.goto("/en/campaigns/free-roza-tuletayeva")
    phone.click('.sign button[type="submit"]')
    phone.wait_for_load_state()

    assert phone.url.endswith("#sign")
    assert _in_view(phone, ".sign .notice.error")
