"""Locale selection: the ``/<lang>/`` URL prefix first, then Accept-Language, then English."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, TypeVar

import icu
from babel import Locale
from flask import Flask, abort, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

T = TypeVar("T")

#: territory codes Babel knows that are not ISO 3166-1 alpha-2 countries
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"}


def supported() -> list[str]:
    return current_app.config["LANGUAGES"]


def best_language() -> str:
    return request.accept_languages.best_match(supported()) or supported()[0]


def select_locale() -> str:
    """The page's language; outside a request (a job, a command) English unless the code chose
    one with ``force_locale``, as every mail does for its recipient."""
    if not has_request_context():
        return g.get("lang") or current_app.config["BABEL_DEFAULT_LOCALE"]
    return g.get("lang") or _path_lang() or best_language()


def _path_lang() -> str | None:
    """The language a URL no route matched starts with (``/ru/…/2147483648``): its 404 page is in
    the language of the site it was asked for, not the browser's."""
    first = request.path.split("/", 2)[1]
    return first if first in supported() else None


def current_lang() -> str:
    return str(get_locale())


def _pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "lang" in values:
        lang = values.pop("lang")
        if lang not in supported():
            abort(404)
        g.lang = lang


def _add_lang(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = g.get("lang") or select_locale()


def language_links() -> list[tuple[str, str, str]]:
    """(code, native name, URL of this page in that language) for the language switcher."""
    endpoint = request.endpoint
    links = []
    for code in supported():
        if endpoint and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
            url = url_for(endpoint, **{**(request.view_args or {}), "lang": code})
        else:
            url = url_for("campaigns.home", lang=code)
        links.append((code, native_name(code), url))
    return links


def lang_attr(code: str | None) -> Markup:
    """`` lang="xx"`` for content in a language other than the page's, else nothing, so that
    screen readers, hyphenation and fonts treat each piece of text as what it is."""
    if not code or code == current_lang():
        return Markup("")
    return Markup(' lang="%s"') % code


def in_language(text: str, code: str | None) -> Markup:
    """``text`` escaped, in a ``<span lang>`` when its language is not the page's: for content
    set inside a translated sentence ("To: %(target)s")."""
    attr = lang_attr(code)
    return Markup("<span%s>%s</span>") % (attr, text) if attr else Markup.escape(text)


def native_name(code: str) -> str:
    """A language's name in that language, from CLDR, capitalised as a menu item ("Русский",
    "Қазақ тілі"), except in scripts without capitals in use ("ქართული": Georgian's Mtavruli
    capitals are not written in names and most fonts lack them)."""
    name = Locale.parse(code).display_name or code
    if unicodedata.name(name[:1], "").startswith("GEORGIAN"):
        return name
    return name[:1].upper() + name[1:]


def pick(translations: Mapping[str, T], lang: str, default_lang: str) -> tuple[T, bool]:
    """The translation for ``lang``, else the default language's; the flag says it fell back."""
    if lang in translations:
        return translations[lang], False
    if default_lang in translations:
        return translations[default_lang], True
    return next(iter(translations.values())), True


def countries(lang: str | None = None) -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with their names in the page's language, sorted by name."""
    return _countries(lang or str(get_locale()))


def is_country(code: str) -> bool:
    return code in _country_codes()


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in _countries("en"))


@lru_cache(maxsize=32)
def collator(lang: str) -> icu.Collator:
    """The language's Unicode collation (CLDR's tailoring through ICU): "Åland Islands" after
    "Afghanistan" in English, "Özbəkistan" after "Oman" in Azerbaijani, "Çin" after "Cibuti" there
    too. A code point order would put every accented or extra letter last."""
    return icu.Collator.createInstance(icu.Locale(lang))


def sort_key(lang: str) -> Callable[[str], bytes]:
    """``sorted(names, key=sort_key(lang))``: sorts text as readers of ``lang`` expect."""
    return collator(lang).getSortKey


@lru_cache(maxsize=32)
def _countries(lang: str) -> list[tuple[str, str]]:
    locale = Locale.parse(lang)
    key = sort_key(lang)
    return sorted(
        (
            (code, name)
            for code, name in locale.territories.items()
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
        ),
        key=lambda item: key(item[1]),
    )


def country_name(code: str, lang: str | None = None) -> str:
    return Locale.parse(lang or str(get_locale())).territories.get(code, code)


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_add_lang)
    app.jinja_env.globals.update(
        language_links=language_links,
        country_name=country_name,
        current_lang=current_lang,
        lang_attr=lang_attr,
        in_language=in_language,
        native_name=native_name,
    )
