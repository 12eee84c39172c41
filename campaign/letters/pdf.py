"""The letter typeset as an A4 PDF: reference and date, recipients, text, and a signatory annex.

DejaVu Sans (shipped under static/fonts, with its licence) is embedded, so Cyrillic and Latin
names print the same on every reader. Labels are in the letter's language: call inside
``force_locale(lang)``.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from campaign.formatting import format_date
from campaign.letters.models import Letter, LetterVersion, Recipient, SignOn

FONT = "DejaVu"
MARKUP = re.compile(r"(\*\*|__|\*|_|`)")
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def _fonts_dir() -> Path:
    return Path(current_app.static_folder or "static") / "fonts"


def plain_paragraphs(markdown_source: str) -> list[str]:
    """Markdown reduced to paragraphs of plain text: a letter on paper has no markup."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown_source.strip()):
        lines = [re.sub(r"^\s*(#{1,6}\s+|>\s?|[-*+]\s+(?=\S))", "", line) for line in block.splitlines()]
        text = LINK.sub(r"\1 (\2)", " ".join(line.strip() for line in lines))
        text = MARKUP.sub("", text).strip()
        if text:
            paragraphs.append(text)
    return paragraphs


class LetterPDF(FPDF):
    def __init__(self, reference: str) -> None:
        super().__init__(format="A4")
        self.reference = reference
        fonts = _fonts_dir()
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(auto=True, margin=20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"{self.reference} · {self.page_no()}/{{nb}}", align="C")


def render_pdf(
    letter: Letter,
    version: LetterVersion,
    recipients: list[Recipient],
    signatories: list[SignOn],
    lang: str,
    dated: datetime,
) -> bytes:
    pdf = LetterPDF(letter.reference)
    pdf.set_lang(lang)
    pdf.set_title(version.title)
    pdf.set_creation_date(dated)
    pdf.add_page()

    pdf.set_font(FONT, size=9)
    pdf.cell(
        0,
        5,
        _("Reference: %(reference)s", reference=letter.reference),
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.cell(0, 5, format_date(dated), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)

    pdf.set_font(FONT, size=10)
    for recipient in recipients:
        title = recipient.title(lang)
        pdf.multi_cell(
            0,
            5,
            f"{recipient.name}, {title}" if title else recipient.name,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(6)

    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, version.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FONT, size=11)
    for paragraph in plain_paragraphs(version.body):
        pdf.multi_cell(0, 5.6, paragraph, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)

    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, _("Annex: signatories"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(
        0,
        5,
        _("Text signed: version %(hash)s", hash=version.content_hash[:16]),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    pdf.set_font(FONT, size=11)
    if not signatories:
        pdf.multi_cell(0, 6, _("No organisation has signed yet."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for number, sign_on in enumerate(signatories, start=1):
        line = f"{number}. {sign_on.byline(lang)}"
        if sign_on.representative_title:
            line += f", {sign_on.representative_title}"
        pdf.multi_cell(0, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
