"""Every public page, in every enabled language, as a browser shows it, with JavaScript on and off."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from campaign.config import from_environment
from tests.browser.conftest import (
    PHONE,
    public_pages,
    screenshot,
    serious_accessibility_violations,
    watch,
)


def enabled_languages() -> list[str]:
    """CAMPAIGN_LANGUAGES as the app reads it (its default when unset)."""
    with tempfile.TemporaryDirectory(prefix="checks-langs-") as folder:
        return from_environment(Path(folder), {"SECRET_KEY": "unused", **os.environ})["LANGUAGES"]


LANGUAGES = enabled_languages()


@pytest.fixture(scope="module")
def pages_by_lang(live) -> dict[str, dict[str, str]]:
    return {lang: public_pages(live, lang) for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_loads_cleanly_with_javascript(lang, live, new_context, pages_by_lang):
    pages = pages_by_lang[lang]
    page = new_context(javascript=True).new_page()
    watched = watch(page, live)
    problems: dict[str, list[str]] = {}

    for endpoint, url in pages.items():
        response = page.goto(url)
        found = [] if response and response.status < 400 else [f"status {response and response.status}"]
        if page.locator("html").get_attribute("lang") != lang:
            found.append(f"<html lang> is {page.locator('html').get_attribute('lang')!r}")
        screenshot(page, f"{lang}/{endpoint}")
        found += watched.problems()
        watched.console_errors.clear()
        watched.foreign_requests.clear()
        if found:
            problems[url] = found

    assert len(pages) >= 3, pages
    assert problems == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_loads_cleanly_without_javascript(lang, live, new_context, pages_by_lang):
    page = new_context(javascript=False, viewport=PHONE).new_page()
    watched = watch(page, live)
    problems: dict[str, list[str]] = {}

    for url in pages_by_lang[lang].values():
        response = page.goto(url)
        found = [] if response and response.status < 400 else [f"status {response and response.status}"]
        found += watched.problems()
        watched.console_errors.clear()
        watched.foreign_requests.clear()
        if found:
            problems[url] = found

    assert problems == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_public_page_has_a_serious_accessibility_violation(lang, live, new_context, pages_by_lang):
    page = new_context(javascript=True).new_page()

    problems = {}
    for url in pages_by_lang[lang].values():
        page.goto(url)
        if violations := serious_accessibility_violations(page):
            problems[url] = violations

    assert problems == {}


def test_no_public_page_is_wider_than_a_phone(live, new_context, pages_by_lang):
    page = new_context(javascript=True, viewport=PHONE).new_page()

    too_wide = {}
    for lang in LANGUAGES:
        for url in pages_by_lang[lang].values():
            page.goto(url)
            if (width := page.evaluate("document.documentElement.scrollWidth")) > PHONE["width"]:
                too_wide[url] = width

    assert too_wide == {}
