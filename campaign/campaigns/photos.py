"""Defender photos: checked, re-encoded with Pillow (which drops EXIF, GPS included), and served by us.

Only the re-encoded pixels are kept, under a random name: nothing the uploader's file carried
besides the picture (metadata, trailing data, a polyglot payload) survives.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, send_file
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from campaign.campaigns.models import Defender
from campaign.extensions import db

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
#: larger sides than this are refused before decoding (decompression bombs)
MAX_SIDE = 8000
#: the stored photo fits in this square
STORED_SIDE = 800

bp = Blueprint("photos", __name__)


class PhotoError(ValueError):
    """A photo we refuse; the message is for the person who uploaded it."""


def photo_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "defenders"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_photo(upload: FileStorage) -> str:
    """Check and re-encode an upload; return the stored file's name."""
    limit = int(current_app.config["PHOTO_MAX_BYTES"])
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoError(_("The photo is too large: at most %(mb)s MB, please.", mb=limit // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoError(_("Please upload a JPEG, PNG or WebP picture."))
            if max(probe.size) > MAX_SIDE:
                raise PhotoError(_("The picture is too large: at most %(px)s pixels a side.", px=MAX_SIDE))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = image.convert("RGB")
            image.thumbnail((STORED_SIDE, STORED_SIDE))
            name = secrets.token_hex(16) + ".jpg"
            image.save(photo_dir() / name, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise PhotoError(_("This file is not a picture we can read.")) from error
    return name


def delete_photo(name: str | None) -> None:
    if name:
        (photo_dir() / Path(name).name).unlink(missing_ok=True)


@bp.get("/defenders/<slug>/photo.jpg")
def photo(slug: str) -> Response:
    defender = db.session.scalar(select(Defender).where(Defender.slug == slug))
    if defender is None or not defender.photo:
        abort(404)
    path = photo_dir() / Path(defender.photo).name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=86400)
