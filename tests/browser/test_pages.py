"""Every public page, in every enabled language, as a browser shows it, with JavaScript on and off."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from campaign.config import from_environment
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser_context,
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


@dataclass
class Visit:
    """What one page showed with JavaScript on: load problems, axe-core's serious violations,
    and how wide it laid itself out at a phone's width."""

    problems: list[str]
    violations: list[str]
    phone_width: int


@pytest.fixture(scope="module")
def visited(live, browser, axe_source, pages_by_lang) -> dict[str, dict[str, Visit]]:
    """Every public page in every language, opened once with JavaScript: the loading, the
    accessibility and the phone-width tests each read their part (one visit instead of three
    kept the browser stage within CI's time)."""
    context = browser_context(browser, live, axe_source, javascript=True)
    page = context.new_page()
    watched = watch(page, live)
    visits: dict[str, dict[str, Visit]] = {}
    for lang in LANGUAGES:
        visits[lang] = {}
        for endpoint, url in pages_by_lang[lang].items():
            response = page.goto(url)
            found = [] if response and response.status < 400 else [f"status {response and response.status}"]
            if page.locator("html").get_attribute("lang") != lang:
                found.append(f"<html lang> is {page.locator('html').get_attribute('lang')!r}")
            screenshot(page, f"{lang}/{endpoint}")
            found += watched.problems()
            watched.console_errors.clear()
            watched.foreign_requests.clear()
            page.set_viewport_size(PHONE)
            width = page.evaluate("document.documentElement.scrollWidth")
            page.set_viewport_size(DESKTOP)
            visits[lang][url] = Visit(found, serious_accessibility_violations(page), width)
    context.close()
    return visits


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_loads_cleanly_with_javascript(lang, visited):
    problems = {url: visit.problems for url, visit in visited[lang].items() if visit.problems}

    assert len(visited[lang]) >= 3, visited[lang]
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
def test_no_public_page_has_a_serious_accessibility_violation(lang, visited):
    problems = {url: visit.violations for url, visit in visited[lang].items() if visit.violations}

    assert problems == {}


def test_no_public_page_is_wider_than_a_phone(visited):
    too_wide = {
        url: visit.phone_width
        for pages in visited.values()
        for url, visit in pages.items()
        if visit.phone_width > PHONE["width"]
    }

    assert too_wide == {}
