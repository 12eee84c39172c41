"""Organisation logos: what is uploaded is never served; a re-encoded PNG is.

PNG, JPEG, GIF or WebP, re-encoded by :mod:`campaign.images` into a PNG bounded to ``MAX_SIDE``
pixels, under a random file name in ``instance/uploads/logos``.
"""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path

from campaign import images
from campaign.images import ImageRefused
from campaign.layout import stored_files

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 512
#: refuse before decoding anything larger (a "decompression bomb" is a tiny file of huge pixels)
MAX_PIXELS = 40_000_000
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
FILE_NAME = re.compile(r"org-[0-9]+-[0-9a-f]{16}\.png")


def read_limited(stream: io.RawIOBase | io.BufferedIOBase) -> bytes:
    """Read at most one byte past the limit, so an oversized upload is never held whole."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageRefused("size")
    return data


def reencode(data: bytes) -> bytes:
    """A clean PNG of the logo in ``data``, or ImageRefused."""
    return images.reencode(data, FORMATS, MAX_SIDE, "PNG", max_pixels=MAX_PIXELS)


def folder() -> Path:
    return stored_files("uploads", "logos")


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
