"""Uploaded pictures (organisation logos, defender photos): what is uploaded is never served.

The upload's first bytes must name one of the accepted formats, Pillow must decode it within
the size limits, and only its pixels are copied into a fresh image, turned upright as its EXIF
orientation says and bounded to a square: no metadata (EXIF with GPS positions, comments, colour
profiles), trailing data or polyglot payload survives.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Collection

from PIL import Image, ImageOps, UnidentifiedImageError

#: the decoders Pillow may use, by what the file's first bytes say
_SIGNATURES = (
    ("PNG", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("GIF", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ("WEBP", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
)
#: modes whose transparency a PNG keeps
_TRANSPARENT = ("RGBA", "LA", "P", "PA")


class ImageRefused(ValueError):
    """The upload is not a picture we take; ``reason`` is "type" (not a picture we can read),
    "format" (a picture, in a format not accepted) or "size"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _sniff(head: bytes) -> str | None:
    return next((kind for kind, matches in _SIGNATURES if matches(head)), None)


def reencode(
    data: bytes,
    formats: Collection[str],
    side: int,
    output: str,
    max_pixels: int | None = None,
    max_side: int | None = None,
) -> bytes:
    """``data``'s picture as a fresh ``output`` ("PNG" keeps transparency, "JPEG" does not),
    upright and fitted into ``side`` pixels square; ImageRefused("size") beyond ``max_pixels``
    or ``max_side`` (checked before decoding: a "decompression bomb" is a tiny file of huge
    pixels), ImageRefused("format") for a picture in another format, ImageRefused("type") for
    anything else that is not a readable picture."""
    kind = _sniff(data[:16])
    if kind is None:
        raise ImageRefused("type")
    if kind not in formats:
        raise ImageRefused("format")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as opened:
                too_many = max_pixels is not None and opened.width * opened.height > max_pixels
                if too_many or (max_side is not None and max(opened.size) > max_side):
                    raise ImageRefused("size")
                opened.load()
                image = ImageOps.exif_transpose(opened)
                keeps_alpha = output == "PNG" and image.mode in _TRANSPARENT
                image = image.convert("RGBA" if keeps_alpha else "RGB")
                image.thumbnail((side, side))
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
    except ImageRefused:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ImageRefused("type") from error
    out = io.BytesIO()
    if output == "JPEG":
        clean.save(out, format="JPEG", quality=85, optimize=True)
    else:
        clean.save(out, format=output, optimize=True)
    return out.getvalue()
