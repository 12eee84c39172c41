"""Every public page in every language says which language it is in; the Kazakh and Georgian
pages hold no untranslated interface string."""

from __future__ import annotations

import html
import re
from collections import deque
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from campaign.campaigns.models import Campaign
from campaign.config import LANGUAGES
from campaign.extensions import db
from campaign.letters.models import Letter

LINK = re.compile(r'href="(/[^"#?]*)"')
SKIP = ("/static/", "/dev/", "/media/", "photo.", "/feed", ".atom", ".svg")
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%[sd]")


def public_pages(app: Flask, client: FlaskClient, lang: str) -> dict[str, str]:
    """One page of each public endpoint reachable from the language's home page by its links, and
    from the demo's campaigns and letters (the "check your mail" page, a letter's public page)."""
    adapter = app.url_map.bind("localhost")
    pages: dict[str, str] = {}
    endpoints: set[str] = set()
    todo = deque([f"/{lang}/"])
    for slug in db.session.scalars(select(Campaign.slug)):
        todo.append(f"/{lang}/campaigns/{slug}/check-email")
    for slug in db.session.scalars(select(Letter.slug)):
        todo.append(f"/{lang}/letters/{slug}")
    while todo:
        url = todo.popleft()
        if url in pages or not url.startswith(f"/{lang}/") or any(part in url for part in SKIP):
            continue
        try:
            endpoint = adapter.match(url)[0]
        except HTTPException:
            continue
        if endpoint in endpoints:
            continue
        endpoints.add(endpoint)
        response = client.get(url)
        if response.mimetype != "text/html" or response.status_code != 200:
            endpoints.discard(endpoint)  # a letter still in draft: another of its kind may do
            continue
        pages[url] = response.get_data(as_text=True)
        todo.extend(LINK.findall(pages[url]))
    return pages


@pytest.fixture
def demo(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("lang", LANGUAGES.split(","))
def test_every_public_page_says_its_language(app, client, demo, lang):
    pages = public_pages(app, client, lang)

    assert len(pages) >= 6
    assert {url: f'<html lang="{lang}">' in page for url, page in pages.items()} == dict.fromkeys(pages, True)


def visible_text(page: str) -> str:
    """What a reader sees of the interface: tags, and content marked as in another language than
    the page's (the switcher's names, a fallback text), removed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<(?!html)(\w+)[^>]*\blang="[^"]*"[^>]*>.*?</\1>', " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def english_strings(lang: str) -> list[str]:
    """The pieces of each catalogue message (between its placeholders) long enough to recognise,
    for messages whose translation differs from the English."""
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=lang)
    pieces = set()
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple):
            continue
        if message.string == message.id:
            continue
        pieces.update(piece.strip() for piece in PLACEHOLDER.split(message.id) if len(piece.strip()) >= 12)
    return sorted(pieces)


@pytest.mark.parametrize("lang", ["kk", "ka"])
def test_no_english_interface_string_is_left_on_the_pages(app, client, demo, lang):
    pages = public_pages(app, client, lang)
    english = english_strings(lang)

    left = {
        url: [piece for piece in english if piece in text]
        for url, text in ((url, visible_text(page)) for url, page in pages.items())
    }
    assert {url: found for url, found in left.items() if found} == {}
