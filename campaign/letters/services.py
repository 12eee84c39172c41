"""What changes a letter: writing, inviting, commenting, opening, signing on, closing.

Services flush and queue mail; the caller (a view, a job or the CLI) owns the commit.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from campaign.accounts.models import Membership, Organisation, User
from campaign.audit.services import record
from campaign.extensions import db
from campaign.letters.languages import languages
from campaign.letters.models import (
    Letter,
    LetterComment,
    LetterParticipant,
    LetterStatus,
    LetterVersion,
    SignOn,
    content_hash,
)
from campaign.models_base import utcnow
from campaign.outbox import queue_mail

MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9-]{0,79})")


class LetterError(Exception):
    """A request that the letter's state does not allow; the message is shown to the user."""


def latest_versions(letter: Letter) -> dict[str, LetterVersion]:
    """The newest version in each language: the current draft."""
    latest: dict[str, LetterVersion] = {}
    for version in db.session.scalars(
        select(LetterVersion).where(LetterVersion.letter_id == letter.id).order_by(LetterVersion.id)
    ):
        latest[version.lang] = version
    return latest


def create_letter(
    slug: str, coordinator: Organisation, author: User, lang: str, title: str, body: str
) -> Letter:
    letter = Letter(slug=slug, coordinator=coordinator, default_lang=lang, created_by=author)
    db.session.add(letter)
    db.session.flush()
    record("letter.created", letter_id=letter.id, organisation_id=coordinator.id)
    save_version(letter, lang, title, body, author, coordinator)
    return letter


def may_save_version(letter: Letter, organisation: Organisation | None, author: User) -> bool:
    """Whether ``author``, acting for ``organisation``, may save a new version of the text: an
    owner or editor of an organisation in the letter while it is drafted; once it is open for
    sign-on, only the coordinator's (whose new text is frozen again before anyone signs it)."""
    if organisation is None:
        return False
    is_coordinator = organisation.id == letter.coordinator_id
    if not (
        letter.status == LetterStatus.DRAFTING or (letter.status == LetterStatus.OPEN and is_coordinator)
    ):
        return False
    in_letter = is_coordinator or any(
        participant.organisation_id == organisation.id and participant.accepted_at
        for participant in letter.participants
    )
    role = db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == author.id, Membership.organisation_id == organisation.id
        )
    )
    return in_letter and role in ("owner", "editor")


def save_version(
    letter: Letter,
    lang: str,
    title: str,
    body: str,
    author: User,
    organisation: Organisation | None,
    source_version_id: int | None = None,
) -> LetterVersion:
    """A new version of ``lang``; a translation records the source version it translates (by
    default the current one) and saving it takes the language back into the letter if dropped.
    Raises LetterError("status") for anyone the letter does not let write now
    (:func:`may_save_version`), whoever calls: a view, a job or the CLI."""
    if not may_save_version(letter, organisation, author):
        raise LetterError("status")
    if lang != letter.default_lang and source_version_id is None:
        source = latest_versions(letter).get(letter.default_lang)
        source_version_id = source.id if source else None
    if lang in (letter.dropped_langs or []):
        letter.dropped_langs = [dropped for dropped in letter.dropped_langs if dropped != lang]
    version = LetterVersion(
        letter_id=letter.id,
        lang=lang,
        title=title,
        body=body,
        author=author,
        author_organisation=organisation,
        content_hash=content_hash(title, body),
        source_version_id=source_version_id if lang != letter.default_lang else None,
    )
    db.session.add(version)
    db.session.flush()
    record(
        "letter.version_saved",
        letter_id=letter.id,
        organisation_id=organisation.id if organisation else None,
        details={"version_id": version.id, "lang": lang},
    )
    return version


def _members(organisation_id: int, roles: tuple[str, ...]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.role.in_(roles),
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    )


def mail_members(
    kind: str,
    organisation: Organisation,
    roles: tuple[str, ...],
    key: str,
    payload: dict,
    queue: str = "mail",
) -> None:
    """Mail each active member in these roles, each in their own interface language."""
    for user in _members(organisation.id, roles):
        queue_mail(
            kind,
            user.email,
            user.lang or organisation.default_lang,
            key=f"{key}:user:{user.id}",
            payload=payload | {"organisation_id": organisation.id},
            queue=queue,
        )


def invite(letter: Letter, organisation: Organisation, by: User) -> LetterParticipant:
    if organisation.id == letter.coordinator_id or any(
        p.organisation_id == organisation.id for p in letter.participants
    ):
        raise LetterError("already")
    participant = LetterParticipant(organisation=organisation, invited_by_id=by.id)
    letter.participants.append(participant)
    db.session.flush()
    record("letter.organisation_invited", user_id=by.id, letter_id=letter.id, organisation_id=organisation.id)
    mail_members(
        "letter_invite",
        organisation,
        ("owner", "editor"),
        key=f"letter:{letter.id}:invite:{organisation.id}",
        payload={"letter_id": letter.id},
    )
    return participant


def accept(participant: LetterParticipant) -> None:
    if participant.accepted_at is None:
        participant.accepted_at = utcnow()


def comment(
    letter: Letter,
    version: LetterVersion,
    author: User,
    organisation: Organisation | None,
    body: str,
    parent: LetterComment | None,
) -> LetterComment:
    """Add a comment; each organisation in the letter named as @slug is mailed about it."""
    entry = LetterComment(
        letter_id=letter.id,
        version_id=version.id,
        parent_id=parent.id if parent else None,
        author=author,
        author_organisation=organisation,
        body=body,
    )
    db.session.add(entry)
    db.session.flush()
    in_letter = letter.accepted_organisation_ids()
    for slug in dict.fromkeys(MENTION.findall(body)):
        mentioned = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if mentioned is None or mentioned.id not in in_letter:
            continue  # an outsider never learns of the letter through a mention
        mail_members(
            "letter_mention",
            mentioned,
            ("owner", "editor", "signer"),
            key=f"letter:{letter.id}:comment:{entry.id}:mention:{mentioned.id}",
            payload={"letter_id": letter.id, "comment_id": entry.id},
        )
    return entry


def open_for_sign_on(letter: Letter) -> list[SignOn]:
    """Freeze the current text of every language and open (or keep open) the letter for sign-on.

    Refused while a language is out of date with the source (bring it up or drop it).
    Organisations that signed an earlier text are mailed and listed as pending until they
    confirm again; returns their sign-ons.
    """
    if letter.status not in (LetterStatus.DRAFTING, LetterStatus.OPEN):
        raise LetterError("status")
    state = languages(letter)
    if state.source is None:
        raise LetterError("no-text")
    if state.out_of_date():
        raise LetterError("out-of-date")
    was_current = {sign_on.id for sign_on in letter.signatories()}
    letter.frozen = {lang: version.id for lang, version in state.freezable().items()}
    if letter.status == LetterStatus.DRAFTING:
        letter.status, letter.opened_at = LetterStatus.OPEN, utcnow()
    db.session.flush()
    record("letter.opened", letter_id=letter.id, details={"frozen": letter.frozen})
    changed = [s for s in letter.pending_sign_ons() if s.id in was_current]
    digest = frozen_digest(letter)
    for sign_on in changed:
        mail_members(
            "letter_reconfirm",
            sign_on.organisation,
            ("owner", "signer"),
            key=f"letter:{letter.id}:reconfirm:{sign_on.organisation_id}:{digest}",
            payload={"letter_id": letter.id, "sign_on_id": sign_on.id},
        )
    return changed


def drop_language(letter: Letter, lang: str) -> None:
    """Take a language out of the letter instead of bringing it up to date; its recipients get the
    default language. Saving a new version in it takes it back in."""
    if letter.status not in (LetterStatus.DRAFTING, LetterStatus.OPEN):
        raise LetterError("status")
    if lang == letter.default_lang:
        raise LetterError("source")
    if lang not in (letter.dropped_langs or []):
        letter.dropped_langs = [*(letter.dropped_langs or []), lang]
        record("letter.language_dropped", letter_id=letter.id, details={"lang": lang})
    db.session.flush()


def frozen_digest(letter: Letter) -> str:
    """A short name for the frozen text as a whole, so each revision mails each signer once."""
    return hashlib.sha256(json.dumps(letter.frozen_hashes(), sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SignOnInput:
    #: in the letter's default language
    representative: str
    representative_title: str
    #: language -> the name as written in that language's script, where it differs
    representatives: dict[str, str] = field(default_factory=dict)
    #: language -> the title in that language
    titles: dict[str, str] = field(default_factory=dict)


def capture_lines(letter: Letter, organisation: Organisation, data: SignOnInput) -> dict[str, dict[str, str]]:
    """The signatory line in each frozen language, as the organisation's profile says it now."""
    langs = sorted(set(letter.frozen) | {letter.default_lang})
    return {
        lang: {
            "organisation": organisation.name(lang),
            "city": organisation.city_name(lang),
            "representative": data.representatives.get(lang) or data.representative,
            "title": data.titles.get(lang) or data.representative_title,
        }
        for lang in langs
    }


def sign_on(
    letter: Letter,
    organisation: Organisation,
    user: User | None,
    data: SignOnInput,
    hashes: dict[str, str] | None = None,
) -> SignOn:
    """Sign (or confirm again) on the frozen text, recording its hashes and the signatory line.

    ``hashes`` are those the signer was shown, when they may differ from the frozen ones (a
    sign-on request decided later); such a sign-on waits, pending, until confirmed again.
    """
    if letter.status != LetterStatus.OPEN:
        raise LetterError("status")
    existing = next((s for s in letter.sign_ons if s.organisation_id == organisation.id), None)
    if existing is None:
        existing = SignOn(organisation=organisation)
    existing.user_id = user.id if user else None
    existing.representative = data.representative
    existing.representative_title = data.representative_title
    existing.lines = capture_lines(letter, organisation, data)
    existing.hashes = hashes if hashes is not None else letter.frozen_hashes()
    existing.signed_at = utcnow()
    if existing not in letter.sign_ons:
        letter.sign_ons.append(existing)
    db.session.flush()
    record("letter.signed", letter_id=letter.id, organisation_id=organisation.id)
    return existing


def withdraw(letter: Letter, organisation: Organisation) -> None:
    if letter.status != LetterStatus.OPEN:
        raise LetterError("status")
    for existing in list(letter.sign_ons):
        if existing.organisation_id == organisation.id:
            letter.sign_ons.remove(existing)
    db.session.flush()
    record("letter.withdrawn", letter_id=letter.id, organisation_id=organisation.id)


def close(letter: Letter) -> None:
    if letter.status == LetterStatus.OPEN:
        letter.status, letter.closed_at = LetterStatus.CLOSED, utcnow()
        record("letter.closed", letter_id=letter.id)
