"""The letter typeset as an A4 PDF from its one rendering (:mod:`campaign.letters.render`).

First page: the coordinator's letterhead (logo, name, postal address, contact address, website),
the reference and date, the recipient, the title and salutation; then the text as written
(headings, numbered and bulleted lists nested to any depth, bold, italic, quotes, links with
their full address); then a numbered annex of signatories. Every page carries the reference and
its number. DejaVu Sans (:mod:`campaign.typeset`) covers Latin, Cyrillic with the Kazakh
and Kyrgyz letters, Armenian and Georgian, and is embedded, so every reader prints the same.
Labels are in the letter's language: call inside ``force_locale(lang)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from fpdf.enums import XPos, YPos

from campaign.formatting import format_date
from campaign.letters.render import Node, Rendering, link_text
from campaign.typeset import FONT, DocumentPDF

BODY_SIZE = 11
LINE = 5.6
INDENT = 7.0
HEADING_SIZE = {"h2": 13.5, "h3": 12.5, "h4": 11.5}


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: str
    contact_email: str
    website: str
    #: the logo's PNG file, if the organisation has one
    logo: Path | None


@dataclass(frozen=True)
class Page:
    """What one recipient's copy says, all in one language."""

    lang: str
    reference: str
    dated: datetime
    letterhead: Letterhead
    recipient_name: str
    recipient_title: str
    title: str
    salutation: str
    body: Rendering
    signatories: list[str]
    content_hash: str


class LetterPDF(DocumentPDF):
    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.set_margins(22, 18, 22)
        self.set_auto_page_break(auto=True, margin=20)
        self.bold = self.italic = 0
        #: the font size in points (headings set fractional sizes)
        self.size: float = BODY_SIZE

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(
            0,
            6,
            _(
                "%(reference)s · page %(page)s of %(pages)s",
                reference=self.reference,
                page=self.page_no(),
                pages="{nb}",
            ),
            align="C",
        )
        self.set_text_color(0)

    def apply_font(self) -> None:
        style = ("B" if self.bold else "") + ("I" if self.italic else "")
        self.set_font(FONT, style, self.size)

    @contextmanager
    def styled(self, bold: bool = False, italic: bool = False) -> Iterator[None]:
        self.bold += bold
        self.italic += italic
        self.apply_font()
        try:
            yield
        finally:
            self.bold -= bold
            self.italic -= italic
            self.apply_font()

    @contextmanager
    def indented(self, by: float) -> Iterator[None]:
        self.set_left_margin(self.l_margin + by)
        try:
            yield
        finally:
            self.set_left_margin(self.l_margin - by)

    # -- inline runs ----------------------------------------------------------------------------

    def runs(self, nodes: list[Node], height: float) -> None:
        for node in nodes:
            if node.tag == "#text":
                text = " ".join(node.text.split("\n"))
                if text:
                    self.write(height, text)
            elif node.tag == "br":
                self.ln(height)
            elif node.tag in ("strong", "b"):
                with self.styled(bold=True):
                    self.runs(node.children, height)
            elif node.tag in ("em", "i"):
                with self.styled(italic=True):
                    self.runs(node.children, height)
            elif node.tag == "a":
                self.set_text_color(20, 60, 140)
                self.write(height, link_text(node), link=node.attrs.get("href", ""))
                self.set_text_color(0)
            else:
                self.runs(node.children, height)

    def paragraph(self, nodes: list[Node], after: float = 2.5) -> None:
        if not any(n.tag != "#text" or n.text.strip() for n in nodes):
            return
        self.set_x(self.l_margin)
        self.runs(_trimmed(nodes), LINE)
        self.ln(LINE)
        self.ln(after)

    # -- blocks ---------------------------------------------------------------------------------

    def blocks(self, nodes: list[Node]) -> None:
        inline: list[Node] = []
        for node in nodes:
            if node.tag in ("p", "h2", "h3", "h4", "ol", "ul", "blockquote", "hr", "pre"):
                self.paragraph(inline)
                inline = []
                self.block(node)
            else:
                inline.append(node)
        self.paragraph(inline)

    def block(self, node: Node) -> None:
        if node.tag == "p":
            self.paragraph(node.children)
        elif node.tag in HEADING_SIZE:
            self.ln(1.5)
            size, self.size = self.size, HEADING_SIZE[node.tag]
            with self.styled(bold=True):
                self.paragraph(node.children, after=1.5)
            self.size = size
            self.apply_font()
        elif node.tag in ("ol", "ul"):
            self.list_block(node)
        elif node.tag == "blockquote":
            top = self.get_y()
            with self.indented(INDENT), self.styled(italic=True):
                self.blocks(node.children)
            if self.get_y() > top:
                self.set_draw_color(150)
                self.line(self.l_margin + 2, top, self.l_margin + 2, self.get_y() - 2.5)
                self.set_draw_color(0)
        elif node.tag == "hr":
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(3)
        elif node.tag == "pre":
            self.set_x(self.l_margin)
            self.multi_cell(
                0, LINE, "".join(_texts(node)).rstrip("\n"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.ln(2.5)

    def list_block(self, node: Node) -> None:
        start = int(node.attrs.get("start", "1") or 1) if node.tag == "ol" else 1
        items = [child for child in node.children if child.tag == "li"]
        with self.indented(INDENT):
            for number, item in enumerate(items, start=start):
                marker = f"{number}." if node.tag == "ol" else "•"
                self.set_x(self.l_margin - INDENT)
                self.write(LINE, marker)
                self.set_x(self.l_margin)
                self.list_item(item)
        self.ln(1)

    def list_item(self, item: Node) -> None:
        inline: list[Node] = []
        first = True
        for node in item.children:
            if node.tag in ("p", "ol", "ul", "blockquote", "h2", "h3", "h4", "pre", "hr"):
                if inline:
                    self.item_text(inline, first)
                    first, inline = False, []
                if node.tag == "p":
                    self.item_text(node.children, first)
                    first = False
                else:
                    if first:  # an item that starts with a nested list: the marker gets a line of its own
                        self.ln(LINE)
                        first = False
                    self.block(node)
            else:
                inline.append(node)
        if first or any(node.tag != "#text" or node.text.strip() for node in inline):
            self.item_text(inline, first)

    def item_text(self, nodes: list[Node], first: bool) -> None:
        if not first:
            self.set_x(self.l_margin)
        self.runs(_trimmed(nodes), LINE)
        self.ln(LINE)
        self.ln(1)


def _texts(node: Node) -> Iterator[str]:
    if node.tag == "#text":
        yield node.text
    for child in node.children:
        yield from _texts(child)


def _trimmed(nodes: list[Node]) -> list[Node]:
    """Without the line breaks the HTML has around a block's text."""
    nodes = list(nodes)
    while nodes and nodes[0].tag == "#text" and not nodes[0].text.strip():
        nodes.pop(0)
    while nodes and nodes[-1].tag == "#text" and not nodes[-1].text.strip():
        nodes.pop()
    if nodes and nodes[0].tag == "#text":
        nodes[0] = Node("#text", text=nodes[0].text.lstrip())
    if nodes and nodes[-1].tag == "#text":
        nodes[-1] = Node("#text", text=nodes[-1].text.rstrip())
    return nodes


def _letterhead(pdf: LetterPDF, head: Letterhead) -> None:
    top = pdf.get_y()
    text_x = pdf.l_margin
    if head.logo is not None and head.logo.is_file():
        pdf.image(str(head.logo), x=pdf.l_margin, y=top, h=18)
        text_x = pdf.l_margin + 24
    pdf.set_xy(text_x, top)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 6.5, head.name, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 8.5)
    lines = [*head.address.splitlines(), *(part for part in (head.contact_email, head.website) if part)]
    for line in lines:
        pdf.set_x(text_x)
        pdf.multi_cell(0, 4.2, line, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + 19) + 2)
    pdf.set_draw_color(120)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_draw_color(0)
    pdf.ln(5)


def render_pdf(page: Page) -> bytes:
    pdf = LetterPDF(page.reference)
    pdf.set_lang(page.lang)
    pdf.set_title(page.title)
    pdf.set_author(page.letterhead.name)
    pdf.set_creation_date(page.dated)
    pdf.add_page()
    _letterhead(pdf, page.letterhead)

    pdf.set_font(FONT, "", 9)
    for line in (_("Reference: %(reference)s", reference=page.reference), format_date(page.dated, page.lang)):
        pdf.cell(0, 5, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    pdf.set_font(FONT, "", 10.5)
    pdf.multi_cell(0, 5.2, page.recipient_name, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if page.recipient_title:
        pdf.multi_cell(0, 5.2, page.recipient_title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)

    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, page.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.apply_font()
    if page.salutation:
        pdf.multi_cell(0, LINE, page.salutation, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)
    pdf.blocks(page.body.tree.children)

    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, _("Annex: signatories"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 8.5)
    pdf.multi_cell(
        0,
        4.5,
        _("Text signed: sha256 %(hash)s", hash=page.content_hash),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    pdf.set_font(FONT, "", 10.5)
    if not page.signatories:
        pdf.multi_cell(
            0, 6, _("No organisation has signed yet."), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    for number, line in enumerate(page.signatories, start=1):
        with pdf.indented(INDENT):
            pdf.set_x(pdf.l_margin - INDENT)
            pdf.write(6, f"{number}.")
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(0, 6, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
