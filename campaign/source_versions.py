"""Which version of the source text each translation was made from, and what changed since.

Campaigns, defenders and updates are written in one language (their ``default_lang``, the
source) and translated into others. Each translation row keeps a copy of the source's text as
it was when the translation was last written (``source_text``) and that copy's SHA-256
(``source_hash``). A translation is up to date while the hash matches the source's current
text, out of date once the source changed; the copy gives staff a diff of what changed. The
source row itself keeps neither.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.textdiff import DiffLine, diff_texts

MISSING, SOURCE, UP_TO_DATE, OUTDATED = "missing", "source", "up_to_date", "outdated"

#: the tracked fields' names as staff read them in a diff
FIELD_LABELS = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "body": _l("Text"),
    "demand": _l("Demand"),
    "target": _l("Addressed to"),
    "name": _l("Name"),
    "occupation": _l("Occupation"),
    "charges": _l("Charges"),
    "sentence": _l("Sentence"),
    "bio": _l("Biography"),
    "subject": _l("Subject"),
}


class SourceTracked:
    """Columns of a translation that remembers the source text it was made from."""

    #: the translatable fields, in the order a diff shows them
    tracked_fields: ClassVar[tuple[str, ...]] = ()

    #: the source language's text (field -> text) this translation was made from; None on the
    #: source itself
    source_text: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)
    #: SHA-256 of ``source_text``, compared with the source's current text
    source_hash: Mapped[str | None] = mapped_column(String(64), default=None)

    def text_fields(self) -> dict[str, str]:
        return {name: getattr(self, name) or "" for name in self.tracked_fields}


def digest(text: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(dict(text), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def made_from(translation: SourceTracked, source: SourceTracked) -> None:
    """Record that ``translation`` now follows ``source`` as it is."""
    if translation is source:
        translation.source_text, translation.source_hash = None, None
        return
    text = source.text_fields()
    translation.source_text, translation.source_hash = text, digest(text)


def state(translation: SourceTracked | None, source: SourceTracked | None) -> str:
    if translation is None:
        return MISSING
    if source is None or translation is source:
        return SOURCE
    return UP_TO_DATE if translation.source_hash == digest(source.text_fields()) else OUTDATED


def is_outdated(translations: Mapping[str, SourceTracked], lang: str, source_lang: str) -> bool:
    return state(translations.get(lang), translations.get(source_lang)) == OUTDATED


@dataclass(frozen=True)
class FieldChange:
    """One field of the source that changed, as a diff (a rewritten line shows its changed words)."""

    field: str
    lines: list[DiffLine]


def changes(translation: SourceTracked, source: SourceTracked) -> list[FieldChange]:
    """What changed in the source since ``translation`` was made from it, field by field."""
    then = translation.source_text or {}
    found = []
    for name, now in source.text_fields().items():
        before = then.get(name, "")
        if before == now:
            continue
        found.append(FieldChange(name, diff_texts(before, now)))
    return found


@dataclass(frozen=True)
class LanguageState:
    lang: str
    state: str
    changes: list[FieldChange]


def matrix(
    translations: Mapping[str, SourceTracked], source_lang: str, languages: Iterable[str]
) -> list[LanguageState]:
    """Each language's state against the source, with what changed where it is out of date."""
    source = translations.get(source_lang)
    rows = []
    for lang in languages:
        translation = translations.get(lang)
        found = state(translation, source)
        diff = changes(translation, source) if found == OUTDATED and translation and source else []
        rows.append(LanguageState(lang, found, diff))
    return rows


def follow_source(translations: Mapping[str, Any], source_lang: str, written: Iterable[str]) -> None:
    """After an editor saved: each translation whose text was ``written`` (new or changed) now
    follows the source as saved; the others keep the version they were made from."""
    source = translations.get(source_lang)
    if source is None:
        return
    for lang in written:
        if lang in translations:
            made_from(translations[lang], source)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        translation_matrix=lambda translations, source_lang: matrix(
            translations, source_lang, current_app.config["LANGUAGES"]
        ),
        field_label=lambda name: FIELD_LABELS.get(name, name),
    )
