"""Organisation logos: what is uploaded is never served; a re-encoded PNG is.

The upload's first bytes must say PNG, JPEG, GIF or WebP, Pillow must decode it, and its pixels
are copied into a fresh PNG bounded to ``MAX_SIDE`` pixels, without metadata (EXIF with GPS
positions, comments, colour profiles), under a random file name in ``instance/uploads/logos``.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 512
#: refuse before decoding anything larger (a "decompression bomb" is a tiny file of huge pixels)
MAX_PIXELS = 40_000_000
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
FILE_NAME = re.compile(r"org-[0-9]+-[0-9a-f]{16}\.png")


class LogoError(ValueError):
    """The upload is not a usable image; ``reason`` is "size" or "type"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def read_limited(stream: io.RawIOBase | io.BufferedIOBase) -> bytes:
    """Read at most one byte past the limit, so an oversized upload is never held whole."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise LogoError("size")
    return data


def reencode(data: bytes) -> bytes:
    """A clean PNG of the image in ``data``, or LogoError("type")."""
    kind = _sniff(data[:16])
    if kind is None:
        raise LogoError("type")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise LogoError("size")
                opened.load()
                image = ImageOps.exif_transpose(opened)
                image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
    except LogoError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise LogoError("type") from error
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "logos"


def store(organisation_id: int, png: bytes) -> str:
    """Write the PNG under a fresh unguessable name and return that name."""
    name = f"org-{organisation_id}-{secrets.token_hex(8)}.png"
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f".{name}.tmp"
    tmp.write_bytes(png)
    tmp.replace(target / name)
    return name


def remove(name: str | None) -> None:
    if name and FILE_NAME.fullmatch(name):
        (folder() / name).unlink(missing_ok=True)
