"""What partners put on their own sites: a compact campaign card in a frame, and a count badge.

The frame page (``/<lang>/embed/campaigns/<slug>?ref=<organisation>``) may be framed by any
site (``frame-ancestors *``), needs no JavaScript and sets no cookie. Its signing form is the
campaign page's, signing exactly as that page does (:func:`campaign.signatures.views.sign`)
and answered inside the frame: its errors on the frame page, its "check your email" on a
frameable page of its own. A third-party frame gets no session cookie, so the form carries the
cookie-free form token (:mod:`campaign.public_forms`); it is posted by our own page in the
frame, so ``Sec-Fetch-Site`` says ``same-origin`` whatever site frames it.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template, request, url_for
from markupsafe import escape
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from campaign.accounts.models import Organisation
from campaign.campaigns.models import Campaign
from campaign.campaigns.views import get_public_campaign
from campaign.extensions import csrf, db
from campaign.formatting import format_number
from campaign.links import absolute_url
from campaign.page_cache import public_page
from campaign.signatures import counts
from campaign.signatures import views as signing
from campaign.signatures.forms import SignForm

bp = Blueprint("embed", __name__)

#: the frame page's policy: like every page's, but any site may frame it
FRAMEABLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors *"
)


def _frameable(html: str, status: int = 200) -> Response:
    response = Response(html, status=status, mimetype="text/html")
    # our own policy: the app-wide headers keep a response's own, and add no X-Frame-Options to it
    response.headers["Content-Security-Policy"] = FRAMEABLE_CSP
    return response


def _partner(ref: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == ref)) if ref else None


def render_frame(found: Campaign, form: SignForm, status: int = 200, notice: str = "") -> Response:
    """The frame page, its signing form filled as posted (with its errors) or empty."""
    ref = request.values.get("ref", "")[:80]
    partner = _partner(ref)
    keep_ref = {"ref": partner.slug} if partner else {}
    html = render_template(
        "campaigns/embed.html",
        campaign=found,
        text=found.text(g.lang)[0],
        count=counts.total(found.id),
        partner=partner,
        ref=partner.slug if partner else "",
        form=form,
        notice=notice,
        in_frame=True,
        sign_action=url_for("embed.campaign", slug=found.slug, ref=keep_ref.get("ref")),
        page_url=absolute_url("campaigns.show", lang=g.lang, slug=found.slug, **keep_ref),
    )
    return _frameable(html, status)


@bp.route("/<lang>/embed/campaigns/<slug>", methods=["GET", "POST"])
@public_page  # its GET: the POST is the signing
@csrf.exempt  # the signing form is a public form, with a token of its own: see campaign.public_forms
def campaign(slug: str) -> WerkzeugResponse | tuple[str, int]:
    if request.method == "POST":
        return signing.sign(slug, render=render_frame, done="embed.check_email")
    return render_frame(get_public_campaign(slug), SignForm(formdata=None))


@bp.get("/<lang>/embed/campaigns/<slug>/check-email")
def check_email(slug: str) -> Response:
    found = get_public_campaign(slug)
    partner = _partner(request.args.get("ref", "")[:80])
    back = url_for("embed.campaign", slug=found.slug, ref=partner.slug if partner else None)
    html = render_template("campaigns/embed_sent.html", campaign=found, text=found.text(g.lang)[0], back=back)
    return _frameable(html)


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
