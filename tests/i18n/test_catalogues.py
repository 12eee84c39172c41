"""The catalogues: one per enabled language, complete, with each language's plural rules."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import force_locale, ngettext

from campaign.config import LANGUAGES

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
#: every enabled language but the one the msgids are written in
TRANSLATED = [lang for lang in LANGUAGES.split(",") if lang != "en"]
#: the numbers that tell apart the plural forms of the region's languages (one, few, many, 21)
NUMBERS = (1, 2, 5, 21)


def catalogue(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


def test_the_default_languages_are_the_regions_fourteen() -> None:
    assert LANGUAGES == "en,ru,uk,be,kk,ky,uz,tg,tk,az,hy,ka,fr,de"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_enabled_language_has_a_catalogue_of_every_message(lang: str) -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert template - {m.id for m in catalogue(lang) if m.id} == set()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_catalogue_declares_its_languages_number_of_plural_forms(lang: str) -> None:
    assert catalogue(lang).num_plurals == get_plural(lang).num_plurals


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_catalogues_plural_rule_agrees_with_cldr(lang: str) -> None:
    """Two numbers share a gettext form exactly when CLDR puts them in the same plural category."""
    index = gettext.c2py(catalogue(lang).plural_expr)
    categories = Locale.parse(lang).plural_form
    for a in NUMBERS:
        for b in NUMBERS:
            assert (index(a) == index(b)) == (categories(a) == categories(b)), (a, b)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalogue_entry_is_empty_or_fuzzy(lang: str) -> None:
    cat = catalogue(lang)
    incomplete = []
    for message in cat:
        if not message.id:
            continue
        is_plural = isinstance(message.id, tuple)
        forms = message.string if is_plural else (message.string,)
        if message.fuzzy or not all(forms) or (is_plural and len(forms) != cat.num_plurals):
            incomplete.append(message.id)
    assert incomplete == []


#: letters of Russian's alphabet that Ukrainian and Belarusian do not have, and the reverse: a
#: string with one of them was copied from the Russian catalogue, not translated
FOREIGN_LETTERS = {"uk": "ыэёъ", "be": "ищъ", "ru": "іїєґў"}


@pytest.mark.parametrize("lang", sorted(FOREIGN_LETTERS))
def test_no_entry_is_written_in_a_neighbouring_languages_alphabet(lang: str) -> None:
    foreign = set(FOREIGN_LETTERS[lang])
    copied = []
    for message in catalogue(lang):
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and foreign & set("".join(forms).lower()):
            copied.append(message.id)
    assert copied == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_ngettext_gives_the_languages_form_for_1_2_5_and_21(app: Flask, lang: str) -> None:
    cat = catalogue(lang)
    message = cat[("%(num)s signature", "%(num)s signatures")]
    rule = gettext.c2py(get_plural(lang).plural_expr)
    with app.test_request_context(), force_locale(lang):
        for n in NUMBERS:
            if all(message.string):
                expected = message.string[rule(n)] % {"num": n}
            else:  # untranslated yet: gettext falls back to English
                expected = ("%(num)s signature" if n == 1 else "%(num)s signatures") % {"num": n}
            assert ngettext("%(num)s signature", "%(num)s signatures", n) == expected
