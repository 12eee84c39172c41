"""A letter's recipients and the staff's address book they are picked from.

A recipient picked from the address book is a copy: what the letter is sent to stays as the
coordinator saw it when they confirmed delivery, however the entry changes later. Recipients
can be changed or removed until the letter is delivered.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign.audit.services import record
from campaign.extensions import db
from campaign.letters.models import Letter, LetterStatus, Recipient, RecipientContact
from campaign.letters.services import LetterError

#: the letter may still change its recipients
EDITABLE = (LetterStatus.DRAFTING, LetterStatus.OPEN, LetterStatus.CLOSED)


@dataclass(frozen=True)
class RecipientInput:
    """Who a recipient is: one name (plus per-language spellings), titles and salutations per language."""

    name: str
    country: str
    email: str
    lang: str
    names: dict[str, str]
    titles: dict[str, str]
    salutations: dict[str, str]
    notes: str = ""


def _clean(values: dict[str, str]) -> dict[str, str]:
    return {lang: text.strip() for lang, text in values.items() if text and text.strip()}


def _apply(target: Recipient | RecipientContact, data: RecipientInput) -> None:
    target.name = data.name
    target.country = data.country
    target.email = data.email.strip().lower()
    target.lang = data.lang
    target.names = _clean(data.names)
    target.titles = _clean(data.titles)
    target.salutations = _clean(data.salutations)


def _check_editable(letter: Letter) -> None:
    if letter.status not in EDITABLE:
        raise LetterError("status")


def add_recipient(letter: Letter, data: RecipientInput) -> Recipient:
    _check_editable(letter)
    recipient = Recipient()
    _apply(recipient, data)
    letter.recipients.append(recipient)
    db.session.flush()
    record("letter.recipient_added", letter_id=letter.id, details={"recipient_id": recipient.id})
    return recipient


def update_recipient(recipient: Recipient, data: RecipientInput) -> None:
    _check_editable(recipient.letter)
    _apply(recipient, data)
    db.session.flush()
    record("letter.recipient_changed", letter_id=recipient.letter.id, details={"recipient_id": recipient.id})


def remove_recipient(recipient: Recipient) -> None:
    letter = recipient.letter
    _check_editable(letter)
    record("letter.recipient_removed", letter_id=letter.id, details={"recipient_id": recipient.id})
    letter.recipients.remove(recipient)
    db.session.flush()


def add_from_contact(letter: Letter, contact: RecipientContact) -> Recipient:
    """Copy an address-book entry into the letter (once: picking it again changes nothing)."""
    _check_editable(letter)
    existing = next((r for r in letter.recipients if r.contact_id == contact.id), None)
    if existing is not None:
        return existing
    recipient = Recipient(
        name=contact.name,
        names=dict(contact.names),
        titles=dict(contact.titles),
        salutations=dict(contact.salutations),
        country=contact.country,
        email=contact.email,
        lang=contact.lang,
        contact_id=contact.id,
    )
    letter.recipients.append(recipient)
    db.session.flush()
    record("letter.recipient_added", letter_id=letter.id, details={"recipient_id": recipient.id})
    return recipient


def save_contact(contact: RecipientContact | None, data: RecipientInput) -> RecipientContact:
    """Create (``contact`` None) or change an address-book entry; letters already sent keep their copy."""
    if contact is None:
        contact = RecipientContact()
        db.session.add(contact)
    _apply(contact, data)
    contact.notes = data.notes.strip()
    db.session.flush()
    return contact


def input_from(source: Recipient | RecipientContact) -> dict[str, str]:
    """Form data for editing ``source``: one field per language for names, titles and salutations."""
    data = {"name": source.name, "country": source.country, "email": source.email, "lang": source.lang}
    for prefix, values in (
        ("name_", source.names),
        ("title_", source.titles),
        ("salutation_", source.salutations),
    ):
        data.update({f"{prefix}{lang}": text for lang, text in values.items()})
    if isinstance(source, RecipientContact):
        data["notes"] = source.notes
    return data
