"""The evidence pack of a delivered letter: one ZIP with a PDF for people, ``manifest.json`` for
machines and each frozen text as the exact bytes its SHA-256 was taken of (``texts/LANG.txt``).

The manifest says what was sent (the texts and their hashes), on whose behalf (every signatory,
when it signed and the hashes it signed; the tied campaign's confirmed count, counts per
country and Merkle root at delivery), and to whom and how (each recipient's channel, language,
the time our SMTP server accepted the message, its full reply line, the Message-ID and the
attempts). The PDF says the same in the reader's language, set in the letter's fonts.
``flask verify-receipt --pack`` and docs/evidence.md check a pack against a signer's receipt.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from typing import Any

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf.enums import XPos, YPos
from sqlalchemy import select

from campaign import merkle
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.formatting import format_datetime
from campaign.i18n import supported
from campaign.letters.evidence import for_letter
from campaign.letters.models import Delivery, Letter, LetterStatus
from campaign.letters.pdf import FONT, LetterPDF
from campaign.models_base import utcnow

FORMAT = "campaign-evidence-pack/1"
TREE = "sha256; leaf = H(0x00 || record), node = H(0x01 || left || right); odd last node carried up"


def _time(value: datetime | None) -> str | None:
    return f"{value:%Y-%m-%dT%H:%M:%S.%f}Z" if value else None


def text_bytes(title: str, body: str) -> bytes:
    """What a version's content hash is taken of (:func:`campaign.letters.models.content_hash`)."""
    return f"{title}\n\n{body}".encode()


def manifest(letter: Letter) -> dict[str, Any]:
    deliveries = db.session.scalars(
        select(Delivery).where(Delivery.letter_id == letter.id).order_by(Delivery.id)
    ).all()
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
        "deliveries": [
            {
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
            }
            for delivery in deliveries
        ],
        "campaign": tied,
    }


class _PackPDF(LetterPDF):
    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT, "B", 12.5)
        self.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9.5)

    def line(self, text: str, mono: bool = False) -> None:  # type: ignore[override]
        self.set_font(FONT, "", 8 if mono else 9.5)
        self.multi_cell(0, 4.6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pair(self, label: str, value: object) -> None:
        self.set_font(FONT, "B", 9.5)
        self.write(4.8, f"{label}: ")
        self.set_font(FONT, "", 9.5)
        self.write(4.8, str(value))
        self.ln(5.2)


def pack_pdf(data: dict[str, Any], lang: str) -> bytes:
    """The manifest for people, in ``lang`` (call inside ``force_locale(lang)``)."""
    letter = data["letter"]
    pdf = _PackPDF(letter["reference"])
    pdf.set_lang(lang)
    pdf.set_title(_("Evidence of delivery"))
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, _("Evidence of delivery"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9.5)
    pdf.pair(_("Letter"), letter["slug"])
    pdf.pair(_("Reference"), letter["reference"])
    pdf.pair(_("Coordinator"), letter["coordinator"])
    pdf.pair(_("Delivered"), _human(letter["delivered_at"], lang))
    pdf.line(
        _(
            "The file manifest.json beside this PDF says the same for machines; "
            "docs/evidence.md explains how to check it."
        )
    )

    pdf.heading(_("Texts sent"))
    for text in data["texts"]:
        pdf.pair(text["lang"], text["title"])
        pdf.line(f"sha256 {text['sha256']}  ({text['file']})", mono=True)

    pdf.heading(_("Signatories"))
    for number, signatory in enumerate(data["signatories"], start=1):
        person = ", ".join(part for part in (signatory["representative"], signatory["title"]) if part)
        pdf.line(f"{number}. {signatory['organisation']} ({person})")
        pdf.line(_("Signed %(when)s", when=_human(signatory["signed_at"], lang)), mono=True)
    if not data["signatories"]:
        pdf.line(_("No organisation has signed yet."))

    pdf.heading(_("Deliveries"))
    for delivery in data["deliveries"]:
        pdf.set_font(FONT, "B", 9.5)
        pdf.multi_cell(
            0, 5, f"{delivery['recipient']} ({delivery['country']})", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.pair(_("Channel"), delivery["channel"])
        pdf.pair(_("Language"), delivery["lang"])
        pdf.pair(_("Status"), delivery["status"])
        pdf.pair(_("Accepted by our mail server"), _human(delivery["accepted_at"], lang) or "—")
        pdf.pair(_("Server's reply"), delivery["smtp_reply"] or "—")
        pdf.pair(_("Message ID"), delivery["message_id"] or "—")
        pdf.pair(_("Attempts"), delivery["attempts"])
        if delivery["last_error"]:
            pdf.pair(_("Last error"), delivery["last_error"])
        pdf.ln(1.5)

    tied = data["campaign"]
    if tied:
        pdf.heading(_("Signatures of the campaign"))
        if tied["status"] == "done":
            pdf.pair(_("Confirmed signatures at delivery"), tied["confirmed_count"])
            for code, count in tied["countries"].items():
                pdf.pair(_("Other countries") if code == "other" else code, count)
            pdf.pair(_("Merkle root"), "")
            pdf.line(tied["merkle_root"], mono=True)
            pdf.line(
                _(
                    "Each signer can check that their signature is in this root with the receipt "
                    "linked from their confirmation."
                )
            )
        else:
            pdf.line(_("The count and the Merkle root are still being computed."))
    return bytes(pdf.output())


def _human(value: str | None, lang: str) -> str:
    if not value:
        return ""
    return format_datetime(datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ"), lang)


def build_pack(letter: Letter, lang: str) -> bytes:
    """The ZIP: evidence.pdf, manifest.json and texts/LANG.txt."""
    data = manifest(letter)
    with force_locale(lang):
        pdf = pack_pdf(data, lang)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("evidence.pdf", pdf)
        archive.writestr("manifest.json", json.dumps(data, ensure_ascii=False, indent=2))
        for lang_code, version in sorted(letter.frozen_versions().items()):
            archive.writestr(f"texts/{lang_code}.txt", text_bytes(version.title, version.body))
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
        handle.write(build_pack(letter, lang))
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
