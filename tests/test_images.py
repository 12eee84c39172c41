"""Uploaded pictures are re-encoded upright and bare: a phone's sideways JPEG, EXIF and all."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from campaign import images

#: EXIF tags: how to turn the stored pixels to show them, and a free-text description
ORIENTATION, DESCRIPTION = 0x0112, 0x010E


def rotated_jpeg() -> bytes:
    """What a phone held upright writes: 60 by 30 stored pixels (the left half red), and EXIF
    orientation 6 (turn 90° clockwise to show), beside a description that must not survive."""
    picture = Image.new("RGB", (60, 30), "white")
    picture.paste((255, 0, 0), (0, 0, 30, 30))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[DESCRIPTION] = "Taken outside the court in Aktau"
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def assert_upright_and_bare(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as shown:
        assert shown.size == (30, 60)
        red, green, blue = shown.convert("RGB").getpixel((15, 10))[:3]
        assert red > 200 and green < 60 and blue < 60  # the red half is now on top
        assert dict(shown.getexif()) == {}
        assert "exif" not in shown.info


@pytest.mark.parametrize("output", ["PNG", "JPEG"])
def test_a_picture_is_turned_as_its_exif_orientation_says_and_keeps_no_metadata(output: str) -> None:
    assert_upright_and_bare(images.reencode(rotated_jpeg(), ("JPEG",), 800, output))


def test_a_picture_in_a_format_not_accepted_is_refused_as_such() -> None:
    with pytest.raises(images.ImageRefused) as refused:
        images.reencode(rotated_jpeg(), ("PNG",), 800, "PNG")
    assert refused.value.reason == "format"


def test_a_picture_wider_than_allowed_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(images.ImageRefused) as refused:
        images.reencode(rotated_jpeg(), ("JPEG",), 800, "PNG", max_side=50)
    assert refused.value.reason == "size"
