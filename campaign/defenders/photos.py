"""Defender photos: re-encoded by :mod:`campaign.images` (upright, without EXIF or any other
metadata) into a JPEG under a random name, and served by us."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_file, url_for
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from campaign import images
from campaign.defenders.models import Defender
from campaign.extensions import db
from campaign.layout import stored_files

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
#: larger sides than this are refused before decoding (decompression bombs)
MAX_SIDE = 8000
#: the stored photo fits in this square
STORED_SIDE = 800

bp = Blueprint("photos", __name__)


class PhotoError(ValueError):
    """A photo we refuse; the message is for the person who uploaded it."""


def photo_dir() -> Path:
    return stored_files("uploads", "defenders")


def save_photo(upload: FileStorage) -> str:
    """Check and re-encode an upload; return the stored file's name."""
    limit = int(current_app.config["PHOTO_MAX_BYTES"])
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoError(_("The photo is too large: at most %(mb)s MB, please.", mb=limit // (1024 * 1024)))
    try:
        jpeg = images.reencode(data, ACCEPTED_FORMATS, STORED_SIDE, "JPEG", max_side=MAX_SIDE)
    except images.ImageRefused as refused:
        if refused.reason == "format":
            raise PhotoError(_("Please upload a JPEG, PNG or WebP picture.")) from refused
        if refused.reason == "size":
            raise PhotoError(
                _("The picture is too large: at most %(px)s pixels a side.", px=MAX_SIDE)
            ) from refused
        raise PhotoError(_("This file is not a picture we can read.")) from refused
    name = secrets.token_hex(16) + ".jpg"
    (photo_dir() / name).write_bytes(jpeg)
    return name


def delete_photo(name: str | None) -> None:
    if name:
        (photo_dir() / Path(name).name).unlink(missing_ok=True)


def photo_version(name: str) -> str:
    """A stored photo's name is random and new for every upload: its start versions the URL."""
    return Path(name).stem[:12]


@bp.app_template_global()
def photo_url(defender: Defender) -> str:
    """The defender's photo (its URL changes when the photo does), or the generated placeholder."""
    if defender.photo:
        return url_for("photos.photo", slug=defender.slug, v=photo_version(defender.photo))
    return url_for("photos.placeholder", slug=defender.slug)


#: how long a browser or proxy keeps a photo fetched without its current version (an old link)
UNVERSIONED_MAX_AGE = 300


@bp.get("/defenders/<slug>/photo.jpg")
def photo(slug: str) -> Response:
    """A versioned URL never shows another picture, so it is cached for good; others briefly."""
    defender = db.session.scalar(select(Defender).where(Defender.slug == slug))
    if defender is None or not defender.photo:
        abort(404)
    path = photo_dir() / Path(defender.photo).name
    if not path.is_file():
        abort(404)
    if request.args.get("v") == photo_version(defender.photo):
        response = send_file(path, mimetype="image/jpeg", max_age=365 * 86400)
        response.cache_control.immutable = True
        return response
    return send_file(path, mimetype="image/jpeg", max_age=UNVERSIONED_MAX_AGE)


PALETTE = ("#7a3e48", "#345e7d", "#4b6a3a", "#6b4f8a", "#8a5a2b", "#2f6b6b")


@bp.get("/defenders/<slug>/photo.svg")
def placeholder(slug: str) -> Response:
    """A generated portrait placeholder: the defender's initials on a colour of their own."""
    defender = db.session.scalar(select(Defender).where(Defender.slug == slug))
    if defender is None:
        abort(404)
    name = defender.text(defender.default_lang)[0].name
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    colour = PALETTE[int(hashlib.sha256(slug.encode()).hexdigest(), 16) % len(PALETTE)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" role="img">'
        f'<rect width="120" height="120" fill="{colour}"/>'
        '<text x="60" y="74" font-family="sans-serif" font-size="44" fill="#fff" text-anchor="middle">'
        f"{escape(initials)}</text></svg>"
    )
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
