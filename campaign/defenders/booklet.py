"""The booklet of a defender's approved solidarity messages, as an A4 PDF to print and hand to
their family or lawyer.

Each message is printed as its signer wrote it, in its own script (the embedded DejaVu Sans of
:mod:`campaign.typeset`), signed with their name only if they let us show it. Labels are in the
language of the request: call inside ``force_locale(lang)`` to print them in another.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from fpdf.enums import XPos, YPos

from campaign.defenders.models import Defender, SolidarityMessage
from campaign.formatting import format_date
from campaign.typeset import FONT, DocumentPDF

LINE = 5.8


class BookletPDF(DocumentPDF):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.set_margins(24, 20, 24)
        self.set_auto_page_break(auto=True, margin=22)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(
            0,
            6,
            _(
                "Messages to %(name)s · page %(page)s of %(pages)s",
                name=self.name,
                page=self.page_no(),
                pages="{nb}",
            ),
            align="C",
        )
        self.set_text_color(0)


def render_booklet(
    defender: Defender, lang: str, messages: list[SolidarityMessage], dated: datetime
) -> bytes:
    name = defender.text(lang)[0].name
    pdf = BookletPDF(name)
    pdf.set_lang(lang)
    pdf.set_title(_("Messages of solidarity to %(name)s", name=name))
    pdf.set_creation_date(dated)
    pdf.add_page()

    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(
        0,
        9,
        _("Messages of solidarity to %(name)s", name=name),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(70)
    summary = ngettext("%(num)d message from supporters", "%(num)d messages from supporters", len(messages))
    for line in (summary, format_date(dated, lang)):
        pdf.multi_cell(0, 5.2, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(6)

    if not messages:
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(
            0, LINE, _("No message has been approved yet."), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    for message in messages:
        _message(pdf, message, lang)
    return bytes(pdf.output())


def _message(pdf: BookletPDF, message: SolidarityMessage, lang: str) -> None:
    if pdf.will_page_break(4 * LINE):
        pdf.add_page()
    pdf.set_font(FONT, "", 11.5)
    pdf.multi_cell(0, LINE, message.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, "I", 9.5)
    pdf.set_text_color(70)
    who = message.display_name or _("A supporter")
    pdf.multi_cell(
        0,
        5,
        _("— %(who)s, %(date)s", who=who, date=format_date(message.created_at, lang)),
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0)
    pdf.ln(3)
    pdf.set_draw_color(200)
    pdf.line(pdf.l_margin + 30, pdf.get_y(), pdf.w - pdf.r_margin - 30, pdf.get_y())
    pdf.set_draw_color(0)
    pdf.ln(5)
