"""Keeping a letter's languages in step with its source (its default language).

Every translation records the source version it translates. When the source moves on, each
other language is "out of date since version N" until someone saves a translation of the new
source (or the coordinator drops that language); the letter cannot be opened for sign-on meanwhile,
so two recipients can never receive different demands.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from campaign.extensions import db
from campaign.letters.models import Letter, LetterVersion
from campaign.textdiff import DiffLine, diff_lines


def _lines(version: LetterVersion) -> list[str]:
    return [version.title, "", *version.body.splitlines()]


def diff(old: LetterVersion, new: LetterVersion, context: int = 2) -> list[DiffLine]:
    """Lines of ``new`` against ``old`` (its title, then its text); a line rewritten shows its
    changed words."""
    return diff_lines(_lines(old), _lines(new), context)


def versions_of(letter: Letter) -> list[LetterVersion]:
    return list(
        db.session.scalars(
            select(LetterVersion).where(LetterVersion.letter_id == letter.id).order_by(LetterVersion.id)
        )
    )


def numbers(versions: list[LetterVersion]) -> dict[int, int]:
    """Version id -> its number within its language (1, 2, …), as people call them."""
    counts: dict[str, int] = {}
    numbered = {}
    for version in versions:
        counts[version.lang] = counts.get(version.lang, 0) + 1
        numbered[version.id] = counts[version.lang]
    return numbered


@dataclass(frozen=True)
class LanguageState:
    lang: str
    latest: LetterVersion
    number: int
    is_source: bool
    is_dropped: bool
    #: the source version this language's latest text translates (None for the source itself)
    translates: LetterVersion | None
    #: the number of the first source version it does not translate, when out of date
    out_of_date_since: int | None

    @property
    def is_out_of_date(self) -> bool:
        return self.out_of_date_since is not None


@dataclass(frozen=True)
class Languages:
    states: dict[str, LanguageState]
    source: LetterVersion | None
    numbers: dict[int, int]

    def out_of_date(self) -> list[LanguageState]:
        return [s for s in self.states.values() if s.is_out_of_date and not s.is_dropped]

    def freezable(self) -> dict[str, LetterVersion]:
        """What opening would freeze: every language's latest text but the dropped ones."""
        return {lang: s.latest for lang, s in self.states.items() if not s.is_dropped}


def languages(letter: Letter) -> Languages:
    versions = versions_of(letter)
    numbered = numbers(versions)
    by_id = {version.id: version for version in versions}
    latest: dict[str, LetterVersion] = {}
    for version in versions:
        latest[version.lang] = version
    source = latest.get(letter.default_lang)
    states = {}
    for lang, version in latest.items():
        is_source = lang == letter.default_lang
        translates = by_id.get(version.source_version_id) if version.source_version_id else None
        since = None
        if not is_source and source is not None and (translates is None or translates.id != source.id):
            newer = [
                v.id
                for v in versions
                if v.lang == letter.default_lang and (translates is None or v.id > translates.id)
            ]
            since = numbered[newer[0]] if newer else None
        states[lang] = LanguageState(
            lang=lang,
            latest=version,
            number=numbered[version.id],
            is_source=is_source,
            is_dropped=lang in (letter.dropped_langs or []) and not is_source,
            translates=translates,
            out_of_date_since=since,
        )
    return Languages(states=states, source=source, numbers=numbered)


def find_version(letter: Letter, content_hash: str, lang: str) -> LetterVersion | None:
    """The version of ``lang`` with this hash: what an organisation signed."""
    return db.session.scalar(
        select(LetterVersion)
        .where(
            LetterVersion.letter_id == letter.id,
            LetterVersion.lang == lang,
            LetterVersion.content_hash == content_hash,
        )
        .order_by(LetterVersion.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Change:
    """What changed in one language since an organisation signed (``old`` None: a new language)."""

    lang: str
    old: LetterVersion | None
    new: LetterVersion
    lines: list[DiffLine]


def changes_since(letter: Letter, signed: dict[str, str]) -> list[Change]:
    """Per frozen language, the diff between the text signed (by hash) and the text frozen now."""
    out = []
    for lang, version in sorted(letter.frozen_versions().items()):
        if signed.get(lang) == version.content_hash:
            continue
        old = find_version(letter, signed[lang], lang) if lang in signed else None
        out.append(Change(lang, old, version, diff(old, version) if old else []))
    return out
