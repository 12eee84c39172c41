"""The evidence pack of a delivered letter: one ZIP with a PDF for people, ``manifest.json`` for
machines and each frozen text as the exact bytes its SHA-256 was taken of (``texts/LANG.txt``).

The manifest says what was sent (the texts and their hashes), on whose behalf (every signatory,
when it signed and the hashes it signed; the tied campaign's confirmed count, counts per
country and Merkle root at delivery), and to whom and how (each recipient's channel, language,
the time our SMTP server accepted the message, its full reply line, the Message-ID and the
attempts; the deliveries by hand or post recorded beside the email, each with its scanned receipt
under ``receipts/``), and what each recipient did since (its outcome, deadline and dated,
attributed history, the answers' scans under ``answers/``). Participants see all of this on the
follow-up pages already, the unpublished answers too; an organisation's private notes stay out.
The PDF (:mod:`campaign.letters.pack_pdf`) says the same in the reader's language.
``flask verify-receipt --pack`` and docs/evidence.md check a pack against a signer's receipt.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from campaign import merkle
from campaign.accounts.models import Organisation
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.i18n import supported
from campaign.letters import outcomes, scans
from campaign.letters.evidence import for_letter
from campaign.letters.models import Delivery, Letter, LetterStatus
from campaign.letters.outcome_models import EventKind, FollowUp, FollowUpEvent
from campaign.letters.pack_pdf import pack_pdf
from campaign.models_base import utcnow

FORMAT = "campaign-evidence-pack/1"
TREE = "sha256; leaf = H(0x00 || record), node = H(0x01 || left || right); odd last node carried up"


def _time(value: datetime | None) -> str | None:
    return f"{value:%Y-%m-%dT%H:%M:%S.%f}Z" if value else None


def text_bytes(title: str, body: str) -> bytes:
    """What a version's content hash is taken of (:func:`campaign.letters.models.content_hash`)."""
    return f"{title}\n\n{body}".encode()


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _scan_file(event: FollowUpEvent) -> tuple[Path, str]:
    """Where an entry's scan is stored, and its name in the pack: a receipt under receipts/, an
    answer under answers/, named by the history entry's id."""
    path = scans.scan_dir() / Path(event.scan or "").name
    folder = "receipts" if event.kind == EventKind.HANDED else "answers"
    return path, f"{folder}/{event.id}{path.suffix}"


def _scan(event: FollowUpEvent) -> dict[str, Any] | None:
    """The entry's scan as the manifest names it, with its SHA-256; one no longer stored is said
    to be missing."""
    if not event.scan:
        return None
    path, file = _scan_file(event)
    if not path.is_file():
        return {"file": None, "sha256": None, "missing": True}
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return {"file": file, "sha256": digest.hexdigest()}


def _organisation_names(follow_ups: Iterable[FollowUp], lang: str) -> dict[int, str]:
    ids = {event.organisation_id for found in follow_ups for event in found.events if event.organisation_id}
    return {
        organisation.id: organisation.name(lang)
        for organisation in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids or {-1})))
    }


def _follow_up(follow_up: FollowUp, names: dict[int, str], now: datetime) -> dict[str, Any]:
    """A recipient's outcome and history as its participants see them, without private notes."""
    history = []
    answer = None
    for event in follow_up.events:
        scan = _scan(event)
        if scan and event.scan == follow_up.response_scan:
            answer = scan
        history.append(
            {
                "id": event.id,
                "kind": event.kind,
                "at": _time(event.created_at),
                "organisation": names.get(event.organisation_id) if event.organisation_id else None,
                "details": event.details,
                "scan": scan,
            }
        )
    return {
        "status": follow_up.status(now),
        "outcome": follow_up.outcome,
        "deadline_days": follow_up.deadline_days,
        "delivered_at": _time(follow_up.delivered_at),
        "due_at": _time(follow_up.due_at),
        "acknowledged_on": _day(follow_up.acknowledged_on),
        "registration_number": follow_up.registration_number or None,
        "responded_on": _day(follow_up.responded_on),
        "response": follow_up.response or None,
        "response_scan": answer,
        "is_registration_public": follow_up.is_registration_public,
        "is_response_public": follow_up.is_response_public,
        "history": history,
    }


def _delivery(delivery: Delivery, follow_up: FollowUp | None, names: dict[int, str]) -> dict[str, Any]:
    followed = _follow_up(follow_up, names, utcnow()) if follow_up else None
    by_hand_or_post = [
        {
            "channel": entry["details"].get("channel"),
            "delivered_on": entry["details"].get("on"),
            "by": entry["details"].get("by"),
            "place": entry["details"].get("place") or None,
            "tracking": entry["details"].get("tracking") or None,
            "recorded_at": entry["at"],
            "recorded_by": entry["organisation"],
            "receipt": entry["scan"],
        }
        for entry in (followed["history"] if followed else [])
        if entry["kind"] == EventKind.HANDED
    ]
    return {
        "id": delivery.id,
        "recipient": delivery.recipient.name,
        "country": delivery.recipient.country,
        "address": delivery.recipient.email,
        "channel": delivery.channel,
        "lang": delivery.lang,
        "is_fallback": delivery.is_fallback,
        "status": delivery.status,
        "accepted_at": _time(delivery.sent_at),
        "smtp_reply": delivery.smtp_reply,
        "message_id": delivery.message_id,
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "by_hand_or_post": by_hand_or_post,
        "follow_up": followed,
    }


def _packed_scans(letter: Letter) -> list[tuple[Path, str]]:
    """Each stored scan of the letter's follow-ups, as (its path, its name in the pack)."""
    events = [event for found in outcomes.follow_ups(letter) for event in found.events if event.scan]
    found = [_scan_file(event) for event in events]
    return [(path, file) for path, file in found if path.is_file()]


def manifest(letter: Letter) -> dict[str, Any]:
    deliveries = db.session.scalars(
        select(Delivery).where(Delivery.letter_id == letter.id).order_by(Delivery.id)
    ).all()
    follow_ups = {found.delivery_id: found for found in outcomes.follow_ups(letter)}
    names = _organisation_names(follow_ups.values(), letter.default_lang)
    evidence = for_letter(letter.id)
    campaign = db.session.get(Campaign, letter.campaign_id) if letter.campaign_id else None
    tied: dict[str, Any] | None = None
    if campaign is not None or evidence is not None:
        tied = {
            "slug": campaign.slug if campaign else None,
            "status": evidence.status if evidence else "missing",
            "as_of": _time(evidence.as_of) if evidence else None,
            "confirmed_count": evidence.leaf_count if evidence else None,
            "countries": evidence.countries if evidence and evidence.is_done else None,
            "merkle_root": evidence.root if evidence else None,
            "tree": TREE,
            "leaf_record": "HMAC-SHA256 keyed hash (hex) '|' confirmed_at (YYYY-MM-DDTHH:MM:SS.ffffffZ)",
        }
    return {
        "format": FORMAT,
        "generated_at": _time(utcnow()),
        "letter": {
            "slug": letter.slug,
            "reference": letter.reference,
            "coordinator": letter.coordinator.name(letter.default_lang),
            "default_lang": letter.default_lang,
            "delivered_at": _time(letter.delivered_at),
        },
        "texts": [
            {
                "lang": lang,
                "title": v.title,
                "file": f"texts/{lang}.txt",
                "sha256": v.content_hash,
            }
            for lang, v in sorted(letter.frozen_versions().items())
        ],
        "signatories": [
            {
                "organisation": sign_on.line(letter.default_lang)["organisation"],
                "representative": sign_on.representative,
                "title": sign_on.representative_title,
                "signed_at": _time(sign_on.signed_at),
                "hashes": sign_on.hashes,
            }
            for sign_on in letter.signatories()
        ],
        "deliveries": [_delivery(delivery, follow_ups.get(delivery.id), names) for delivery in deliveries],
        "campaign": tied,
    }


def write_pack(letter: Letter, lang: str, out: IO[bytes]) -> None:
    """The ZIP into ``out``: evidence.pdf, manifest.json, texts/LANG.txt and the scans (stored
    as they are: a JPEG or a PDF does not compress further)."""
    data = manifest(letter)
    with force_locale(lang):
        pdf = pack_pdf(data, lang)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("evidence.pdf", pdf)
        archive.writestr("manifest.json", json.dumps(data, ensure_ascii=False, indent=2))
        for lang_code, version in sorted(letter.frozen_versions().items()):
            archive.writestr(f"texts/{lang_code}.txt", text_bytes(version.title, version.body))
        for path, file in _packed_scans(letter):
            archive.write(path, file, compress_type=zipfile.ZIP_STORED)


def build_pack(letter: Letter, lang: str) -> bytes:
    buffer = io.BytesIO()
    write_pack(letter, lang, buffer)
    return buffer.getvalue()


def is_packable(letter: Letter) -> bool:
    return letter.status == LetterStatus.DELIVERED


@click.command("evidence-pack")
@click.argument("slug")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--lang", default=None, help="Language of the PDF (default: the letter's).")
@with_appcontext
def evidence_pack_command(slug: str, output: str, lang: str | None) -> None:
    """Write a delivered letter's evidence pack (the ZIP its participants download)."""
    letter = db.session.scalar(select(Letter).where(Letter.slug == slug))
    if letter is None:
        raise click.ClickException(f"no letter {slug!r}")
    if not is_packable(letter):
        raise click.ClickException(f"{slug} is not delivered yet")
    lang = lang or letter.default_lang
    if lang not in supported():
        raise click.ClickException(f"unknown language {lang!r}")
    with open(output, "wb") as handle:
        write_pack(letter, lang, handle)
    click.echo(f"{slug}: evidence pack written to {output}")


def check_receipt(receipt: dict[str, Any], pack: dict[str, Any] | None = None) -> list[str]:
    """What is wrong with a receipt (and, given a pack's manifest, with it against that pack);
    nothing when it verifies. Needs nothing but the receipt: the path is climbed here."""
    try:
        leaf = bytes.fromhex(receipt["leaf"])
        steps = [merkle.Step(step["side"], bytes.fromhex(step["hash"])) for step in receipt["path"]]
        record = receipt["record"].encode()
        root = receipt["root"]
    except (KeyError, TypeError, ValueError, AttributeError):
        return ["not a receipt: it needs leaf, record, path and root"]
    problems = []
    if any(step.side not in ("left", "right") or len(step.sibling) != 32 for step in steps):
        problems.append("a step of the path is not a side (left/right) and a 32-byte hash")
    if merkle.leaf_hash(record) != leaf:
        problems.append("the leaf is not the hash of the record")
    if merkle.climb(leaf, steps).hex() != root:
        problems.append("the path does not lead from the leaf to the root")
    if pack is not None:
        tied = pack.get("campaign") or {}
        if pack.get("letter", {}).get("slug") != receipt.get("letter"):
            problems.append("the receipt is for another letter than the pack")
        if tied.get("merkle_root") != root:
            problems.append("the pack publishes another root")
    return problems


def check_pack_texts(archive: zipfile.ZipFile, data: dict[str, Any]) -> list[str]:
    """Each text in the pack hashes to the SHA-256 its manifest gives."""
    problems = []
    for text in data.get("texts", []):
        try:
            content = archive.read(text["file"])
        except KeyError:
            problems.append(f"{text['file']} is missing from the pack")
            continue
        if hashlib.sha256(content).hexdigest() != text["sha256"]:
            problems.append(f"{text['file']} does not match its sha256")
    return problems


@click.command("verify-receipt")
@click.argument("receipt_file", type=click.File("rb"))
@click.option(
    "--pack", "pack_file", type=click.Path(exists=True, dir_okay=False), help="An evidence pack ZIP."
)
def verify_receipt_command(receipt_file: Any, pack_file: str | None) -> None:
    """Check a signer's receipt (receipt.json): its leaf and path lead to its root; with --pack,
    that this is the root the letter's evidence pack gives, and that the pack's texts match."""
    try:
        receipt = json.loads(receipt_file.read())
    except ValueError as error:
        raise click.ClickException("the receipt is not JSON") from error
    pack = None
    problems = []
    if pack_file:
        try:
            with zipfile.ZipFile(pack_file) as archive:
                pack = json.loads(archive.read("manifest.json"))
                problems += check_pack_texts(archive, pack)
        except (zipfile.BadZipFile, KeyError, ValueError) as error:
            raise click.ClickException("the pack is not an evidence pack ZIP with a manifest.json") from error
    problems = check_receipt(receipt if isinstance(receipt, dict) else {}, pack) + problems
    if problems:
        raise click.ClickException("; ".join(problems))
    position, count, root = receipt.get("position"), receipt.get("leaf_count"), receipt["root"]
    click.echo(f"verified: leaf {position} of {count} is in root {root}")
