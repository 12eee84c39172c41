"""The evidence pack's PDF: its manifest (:func:`campaign.letters.pack.manifest`) for people, in
the reader's language, set in the letter's fonts. Statuses, channels and outcomes are named as
the pages name them (:mod:`campaign.letters.labels`), never by their stored values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from fpdf.enums import XPos, YPos

from campaign.formatting import format_date, format_datetime
from campaign.letters.labels import CHANNEL_LABELS, DELIVERY_STATUS, STATUS_LABELS
from campaign.letters.outcome_models import EventKind, OutcomeStatus
from campaign.letters.pdf import LetterPDF
from campaign.typeset import FONT


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

    def scan(self, scan: dict[str, Any] | None) -> None:
        if scan is None:
            return
        if scan.get("missing"):
            self.pair(_("Scan"), "—")
            return
        self.pair(_("Scan"), scan["file"])
        self.line(f"sha256 {scan['sha256']}", mono=True)


def _label(labels: dict[Any, Any], value: str | None) -> str:
    """The translated name of a stored value; one no map knows (from an older version) as it is."""
    label = labels.get(value)
    return str(label) if label is not None else str(value or "—")


def _human(value: str | None, lang: str) -> str:
    if not value:
        return ""
    return format_datetime(datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ"), lang)


def _day(value: str | None, lang: str) -> str:
    return format_date(date.fromisoformat(value), lang) if value else ""


def _days(num: int) -> str:
    return ngettext("%(num)d day from delivery", "%(num)d days from delivery", num)


def _entry(entry: dict[str, Any], lang: str) -> str:
    """One history entry in a sentence, as the follow-up page writes it."""
    details, kind = entry["details"], entry["kind"]
    if kind == EventKind.OUTCOME:
        text = f"{_label(STATUS_LABELS, details.get('outcome'))} ({_day(details.get('on'), lang)})"
        if details.get("registration_number"):
            text += f" · {details['registration_number']}"
        return text
    if kind == EventKind.DEADLINE:
        return f"{_('Deadline')}: {_days(int(details.get('days') or 0))}"
    if kind == EventKind.PUBLICATION:
        return " · ".join(
            f"{label}: {'✓' if details.get(key) else '✗'}"
            for key, label in (
                ("registration", _("Show the registration number on the public page")),
                ("response", _("Publish the answer on the public page")),
            )
        )
    if kind == EventKind.HANDED:
        parts = [
            f"{_label(CHANNEL_LABELS, details.get('channel'))} ({_day(details.get('on'), lang)})",
            str(details.get("by") or ""),
            str(details.get("place") or ""),
            f"{_('Tracking number')} {details['tracking']}" if details.get("tracking") else "",
        ]
        return " · ".join(part for part in parts if part)
    if kind == EventKind.REDELIVERY:
        return f"{_('Sent again after a refusal:')} {details.get('refusal') or ''}"
    if kind == EventKind.UPDATE_PREPARED:
        return _("A draft update is prepared.")
    return kind


def _follow_up(pdf: _PackPDF, delivery: dict[str, Any], lang: str) -> None:
    """A recipient's deliveries by hand or post, its outcome, its deadline and its history."""
    for handed in delivery["by_hand_or_post"]:
        pdf.pair(_("Channel"), _label(CHANNEL_LABELS, handed["channel"]))
        pdf.pair(_("Delivered on"), _day(handed["delivered_on"], lang))
        pdf.pair(_("Delivered by"), handed["by"] or "—")
        if handed["place"]:
            pdf.pair(_("Where"), handed["place"])
        if handed["tracking"]:
            pdf.pair(_("Tracking number"), handed["tracking"])
        pdf.scan(handed["receipt"])
    followed = delivery["follow_up"]
    if followed is None:
        return
    pdf.pair(_("Outcome"), _label(STATUS_LABELS, followed["status"]))
    if followed["acknowledged_on"]:
        pdf.line(_("Acknowledged on %(date)s.", date=_day(followed["acknowledged_on"], lang)))
    if followed["registration_number"]:
        pdf.line(_("Registration number: %(number)s.", number=followed["registration_number"]))
    if followed["responded_on"] and followed["outcome"] in (OutcomeStatus.REPLIED, OutcomeStatus.REFUSED):
        when = _day(followed["responded_on"], lang)
        if followed["outcome"] == OutcomeStatus.REPLIED:
            pdf.line(_("Answered on %(date)s.", date=when))
        else:
            pdf.line(_("Refused on %(date)s.", date=when))
    if followed["response"]:
        pdf.pair(_("The answer's text"), "")
        pdf.line(followed["response"])
    pdf.scan(followed["response_scan"])
    due = f" · {_day(followed['due_at'][:10], lang)}" if followed["due_at"] else ""
    pdf.pair(_("Deadline"), _days(followed["deadline_days"]) + due)
    if followed["status"] == OutcomeStatus.OVERDUE:
        pdf.line(_label(STATUS_LABELS, OutcomeStatus.OVERDUE))
    if followed["history"]:
        pdf.pair(_("History"), "")
        for entry in followed["history"]:
            who = f" · {entry['organisation']}" if entry["organisation"] else ""
            file = (entry["scan"] or {}).get("file")
            scan = f" · {_('Scan')} {file}" if file else ""
            pdf.line(f"{_human(entry['at'], lang)}{who} · {_entry(entry, lang)}{scan}", mono=True)
        pdf.line(_("Each organisation's private notes are not in the pack."))


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
        pdf.pair(_("Channel"), _label(CHANNEL_LABELS, delivery["channel"]))
        pdf.pair(_("Language"), delivery["lang"])
        pdf.pair(_("Status"), _label(DELIVERY_STATUS, delivery["status"]))
        pdf.pair(_("Accepted by our mail server"), _human(delivery["accepted_at"], lang) or "—")
        pdf.pair(_("Server's reply"), delivery["smtp_reply"] or "—")
        pdf.pair(_("Message ID"), delivery["message_id"] or "—")
        pdf.pair(_("Attempts"), delivery["attempts"])
        if delivery["last_error"]:
            pdf.pair(_("Last error"), delivery["last_error"])
        _follow_up(pdf, delivery, lang)
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
