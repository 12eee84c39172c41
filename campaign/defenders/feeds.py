"""Atom 1.0 feeds (RFC 4287) of the public updates: the whole site, a country, a defender, a campaign.

One feed per language (the language is in the URL, as for every page). Written with
ElementTree (plain tag names under a default ``xmlns``), which escapes every text and
attribute; entries carry their HTML (Markdown, sanitised) as escaped ``type="html"`` content.
Entry ids are tag URIs (RFC 4151) on the site's host, so they stay the same when a title or a
path changes. The feeds are a blueprint of their own, ``feeds``, beside the pages they follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from flask import Blueprint, Response, abort, current_app, g
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.campaigns.models import Campaign
from campaign.defenders import related
from campaign.defenders.models import Defender
from campaign.defenders.services import get_public_defender, public_campaigns, public_defenders
from campaign.extensions import db
from campaign.i18n import country_name, is_country
from campaign.links import absolute_url
from campaign.text import render_markdown

ATOM = "http://www.w3.org/2005/Atom"
#: a feed with no entry yet says it was last updated at this instant (Atom requires a time)
EPOCH = datetime(2026, 1, 1)
MIMETYPE = "application/atom+xml"

bp = Blueprint("feeds", __name__, url_prefix="/<lang>")


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def _tag(key: str) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"tag:{host},2026:{key}"


def atom(key: str, title: str, page_url: str, self_url: str, items: Sequence[related.Item]) -> Response:
    """The feed document; ``key`` names the feed in its tag URI."""
    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": g.lang})
    dated = [(item, item.published_at) for item in items if item.published_at is not None]
    base_url = current_app.config["BASE_URL"]

    def sub(parent: ElementTree.Element, name: str, text: str | None = None, **attributes: str) -> None:
        element = ElementTree.SubElement(parent, name, attributes)
        element.text = text

    sub(feed, "id", _tag(f"{key}/{g.lang}"))
    sub(feed, "title", title)
    sub(feed, "updated", _stamp(max((published for _item, published in dated), default=EPOCH)))
    sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    sub(feed, "link", rel="self", type=MIMETYPE, href=self_url)
    author = ElementTree.SubElement(feed, "author")
    sub(author, "name", current_app.config.get("OPERATOR_NAME") or _("Defend the defenders"))
    sub(feed, "generator", "campaign")
    for item, published in dated:
        entry = ElementTree.SubElement(feed, "entry")
        if item.lang and item.lang != g.lang:
            entry.set("xml:lang", item.lang)
        sub(entry, "id", _tag(item.key))
        sub(entry, "title", item.title)
        sub(entry, "published", _stamp(published))
        sub(entry, "updated", _stamp(published))
        sub(entry, "link", rel="alternate", type="text/html", href=urljoin(base_url, item.url))
        if item.body:
            sub(entry, "content", str(render_markdown(item.body)), type="html")
    body = ElementTree.tostring(feed, encoding="unicode")
    return Response(
        '<?xml version="1.0" encoding="utf-8"?>\n' + body,
        mimetype=MIMETYPE,
        headers={"Cache-Control": "public, max-age=300"},
    )


def _newest(campaigns: Sequence[Campaign]) -> list[related.Item]:
    items = related.items("updates", [campaign.id for campaign in campaigns], g.lang)
    return sorted(items, key=lambda item: item.published_at or EPOCH, reverse=True)


@bp.get("/feed.atom")
def site_feed() -> Response:
    campaigns = db.session.scalars(select(Campaign).where(Campaign.is_public)).all()
    return atom(
        "site",
        _("Updates on the defenders' cases"),
        absolute_url("defenders.index", lang=g.lang),
        absolute_url("feeds.site_feed", lang=g.lang),
        _newest(campaigns),
    )


@bp.get("/countries/<cc>/feed.atom")
def country_feed(cc: str) -> Response:
    code = cc.upper()
    if len(code) != 2 or not is_country(code):
        abort(404)
    defenders = db.session.scalars(public_defenders().where(Defender.country == code)).all()
    return atom(
        f"country/{code}",
        _("Updates on defenders in %(country)s", country=country_name(code)),
        absolute_url("defenders.country", lang=g.lang, cc=cc.lower()),
        absolute_url("feeds.country_feed", lang=g.lang, cc=cc.lower()),
        _newest(public_campaigns([defender.id for defender in defenders])),
    )


@bp.get("/defenders/<slug>/feed.atom")
def defender_feed(slug: str) -> Response:
    defender = get_public_defender(slug)
    return atom(
        f"defender/{defender.id}",
        _("Updates on %(name)s", name=defender.text(g.lang)[0].name),
        absolute_url("defenders.show", lang=g.lang, slug=slug),
        absolute_url("feeds.defender_feed", lang=g.lang, slug=slug),
        _newest(public_campaigns([defender.id])),
    )


@bp.get("/campaigns/<slug>/feed.atom")
def campaign_feed(slug: str) -> Response:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug[:80], Campaign.is_public))
    if campaign is None:
        abort(404)
    return atom(
        f"campaign/{campaign.id}",
        campaign.text(g.lang)[0].title,
        absolute_url("campaigns.show", lang=g.lang, slug=slug),
        absolute_url("feeds.campaign_feed", lang=g.lang, slug=slug),
        _newest([campaign]),
    )
