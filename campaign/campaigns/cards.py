"""A campaign's press kit: its preview card (Open Graph, Twitter) drawn by us with Pillow, share links.

A 1200 x 630 PNG (the size both expect) with the defender's photo (or their initials), the
campaign's title in the page's language and the live count, in DejaVu Sans (shipped under
``static/fonts``), which covers Latin, Cyrillic, Armenian and Georgian script.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, g, request
from flask_babel import get_translations
from PIL import Image, ImageDraw, ImageFont

from campaign.campaigns.views import get_public_campaign
from campaign.defenders.photos import photo_dir
from campaign.formatting import format_number
from campaign.links import absolute_url
from campaign.signatures import counts

bp = Blueprint("cards", __name__)

#: what a partner's ref looks like (an organisation's slug)
REF = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")

WIDTH, HEIGHT = 1200, 630
INK, PAPER, ACCENT = (29, 29, 31), (251, 250, 248), (164, 38, 44)


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(current_app.static_folder or "static") / "fonts" / name), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of whole words that fit ``width`` pixels (a word longer than that gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def draw_card(title: str, name: str, count_line: str, photo: Path | None) -> bytes:
    card = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, WIDTH, 16), fill=ACCENT)
    side = 360
    if photo is not None and photo.is_file():
        with Image.open(photo) as portrait:
            card.paste(portrait.convert("RGB").resize((side, side)), (60, 110))
    else:
        draw.rectangle((60, 110, 60 + side, 110 + side), fill=ACCENT)
        initials = "".join(part[0] for part in name.split()[:2]).upper()
        draw.text((60 + side // 2, 110 + side // 2), initials, font=_font(True, 150), fill=PAPER, anchor="mm")
    x = 60 + side + 60
    title_font = _font(True, 52)
    lines = _wrap(title, title_font, WIDTH - x - 50)[:4]
    draw.multiline_text((x, 110), "\n".join(lines), font=title_font, fill=INK, spacing=12)
    draw.text((x, 110 + len(lines) * 66 + 30), name, font=_font(False, 36), fill=INK)
    draw.text((x, 500), count_line, font=_font(True, 40), fill=ACCENT)
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()


@bp.get("/<lang>/campaigns/<slug>/card.png")
def card(slug: str) -> Response:
    campaign = get_public_campaign(slug)
    if campaign.defender is None and not campaign.translations:
        abort(404)
    title = campaign.text(g.lang)[0].title
    defender = campaign.defender
    name = defender.text(g.lang)[0].name if defender else ""
    photo = photo_dir() / Path(defender.photo).name if defender and defender.photo else None
    total = counts.total(campaign.id)
    grouped = format_number(total)
    # the catalogue's plural of the page's own count line, with the number grouped per locale
    line = get_translations().ngettext("%(num)s person has signed", "%(num)s people have signed", total)
    line = line % {"num": grouped}
    return Response(
        draw_card(title, name, line, photo),
        mimetype="image/png",
        headers={"Cache-Control": "public, max-age=300"},
    )


#: where each share link goes; ``{url}`` and ``{text}`` are filled in, quoted
SHARE_TARGETS = {
    "telegram": "https://t.me/share/url?url={url}&text={text}",
    "whatsapp": "https://wa.me/?text={text}%20{url}",
    "facebook": "https://www.facebook.com/sharer/sharer.php?u={url}",
    "x": "https://x.com/intent/post?url={url}&text={text}",
    "vk": "https://vk.com/share.php?url={url}",
}


@bp.get("/<lang>/campaigns/<slug>/share/<service>")
def share(slug: str, service: str) -> Response:
    """Send the visitor on to a service's share page with the campaign's address (and the
    partner's ``ref``). Pages link here by path, so a page read over Tor names no other address
    of ours, and no third party is contacted until the visitor asks to share."""
    found = get_public_campaign(slug)
    if service not in SHARE_TARGETS:
        abort(404)
    ref = request.args.get("ref", "")[:80]
    keep_ref = {"ref": ref} if ref and REF.fullmatch(ref) else {}
    url = absolute_url("campaigns.show", lang=g.lang, slug=slug, **keep_ref)
    target = SHARE_TARGETS[service].format(url=quote(url, safe=""), text=quote(found.text(g.lang)[0].title))
    # a bare redirect: no HTML body repeating the address
    return Response(status=303, headers={"Location": target}, mimetype="text/plain")
