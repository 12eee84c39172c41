"""What partners put on their own sites: a compact campaign card in a frame, and a count badge.

The frame page (``/<lang>/embed/campaigns/<slug>?ref=<organisation>``) may be framed by any
site (``frame-ancestors *``), needs no JavaScript and sets no cookie; its Sign button opens the
full page's form in a new tab, keeping the partner's ``ref``. (Signing inside the frame itself
waits for the cookie-free form token: a third-party frame gets no session cookie, so the
session's CSRF token cannot work there.)
"""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template, request
from markupsafe import escape
from sqlalchemy import select

from campaign.accounts.models import Organisation
from campaign.campaigns.views import get_public_campaign
from campaign.extensions import db
from campaign.formatting import format_number
from campaign.links import absolute_url
from campaign.page_cache import public_page
from campaign.signatures import counts

bp = Blueprint("embed", __name__)

#: the frame page's policy: like every page's, but any site may frame it
FRAMEABLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors *"
)


@bp.get("/<lang>/embed/campaigns/<slug>")
@public_page
def campaign(slug: str) -> Response:
    found = get_public_campaign(slug)
    ref = request.args.get("ref", "")[:80]
    partner = db.session.scalar(select(Organisation).where(Organisation.slug == ref)) if ref else None
    keep_ref = {"ref": partner.slug} if partner else {}
    html = render_template(
        "campaigns/embed.html",
        campaign=found,
        text=found.text(g.lang)[0],
        count=counts.total(found.id),
        partner=partner,
        sign_url=absolute_url("campaigns.show", lang=g.lang, slug=slug, **keep_ref) + "#sign",
    )
    response = Response(html, mimetype="text/html")
    # our own policy: the app-wide headers keep a response's own, and add no X-Frame-Options to it
    response.headers["Content-Security-Policy"] = FRAMEABLE_CSP
    return response


@bp.get("/campaigns/<slug>/badge.svg")
def badge(slug: str) -> Response:
    """A count badge (SVG, our own drawing): the number of confirmed signatures, grouped per
    the ``lang`` argument's locale."""
    found = get_public_campaign(slug)
    number = escape(format_number(counts.total(found.id)))
    label_width, number_width = 70, 14 + 9 * len(str(number))
    width = label_width + number_width
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{number}">'
        f'<rect width="{label_width}" height="20" fill="#555"/>'
        f'<rect x="{label_width}" width="{number_width}" height="20" fill="#a4262c"/>'
        '<g fill="#fff" font-family="DejaVu Sans,Verdana,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{label_width // 2}" y="14">&#x270D;</text>'
        f'<text x="{label_width + number_width // 2}" y="14">{number}</text></g></svg>'
    )
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=60"})
