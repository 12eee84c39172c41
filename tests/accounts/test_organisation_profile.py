"""The organisation profile: names and descriptions per language, website, and the logo upload."""

from __future__ import annotations

import io
import os

from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from campaign.accounts.models import Organisation
from campaign.extensions import db
from tests.conftest import csrf_token


def profile_url(user) -> str:
    return f"/en/account/organisations/{user.memberships[0].organisation_id}/profile"


def image_bytes(fmt: str, size: tuple[int, int] = (800, 400), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (164, 38, 44)).save(out, format=fmt, **save)
    return out.getvalue()


def save_profile(client, url: str, logo: tuple[bytes, str] | None = None, **fields: str):
    data = {
        "csrf_token": csrf_token(client, url),
        "name_en": "ADC Memorial",
        "name_ru": "АДЦ «Мемориал»",
        "city": "Brussels",
        "country": "BE",
        "website": "https://adcmemorial.org",
        "description_en": "Anti-discrimination centre.",
        "description_ru": "",
    } | fields
    if logo is not None:
        data["logo"] = FileStorage(io.BytesIO(logo[0]), filename=logo[1])
    # encoded here: the test client would spool a large body to a temporary file it never closes
    boundary, body = encode_multipart(data)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def stored_logo(app, organisation: Organisation) -> Image.Image:
    path = os.path.join(app.instance_path, "uploads", "logos", organisation.logo)
    return Image.open(path)


def test_an_owner_saves_names_per_language_city_country_and_website(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    response = save_profile(client, profile_url(owner))

    assert response.status_code == 303
    organisation = db.session.scalar(select(Organisation))
    assert organisation.name("ru") == "АДЦ «Мемориал»"
    assert (organisation.city, organisation.country, organisation.website) == (
        "Brussels",
        "BE",
        "https://adcmemorial.org",
    )
    assert organisation.description == {"en": "Anti-discrimination centre."}


def test_a_website_must_be_http_or_https(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    response = save_profile(client, profile_url(owner), website="javascript:alert(1)")

    assert response.status_code == 422
    assert "starting with https:// or http://" in response.get_data(as_text=True)
    assert db.session.scalar(select(Organisation.website)) == ""


def test_an_unknown_country_is_refused(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    response = save_profile(client, profile_url(owner), country="XX")

    assert response.status_code == 422
    assert "Please choose the country from the list." in response.get_data(as_text=True)


def test_a_name_in_at_least_one_language_is_required(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    response = save_profile(client, profile_url(owner), name_en="", name_ru="")

    assert response.status_code == 422
    assert "name in at least one language" in response.get_data(as_text=True)


def test_a_png_logo_is_reencoded_bounded_and_served_as_png(app, client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    save_profile(client, profile_url(owner), logo=(image_bytes("PNG", (1600, 800)), "logo.png"))

    organisation = db.session.scalar(select(Organisation))
    with stored_logo(app, organisation) as image:
        assert image.format == "PNG"
        assert max(image.size) == 512
    with app.test_client().get(f"/media/logos/{organisation.logo}") as served:
        assert served.status_code == 200
        assert served.mimetype == "image/png"
        assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_a_jpeg_logo_loses_its_metadata(app, client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    exif = Image.Exif()
    exif[0x010E] = "taken at a secret address"  # ImageDescription
    jpeg = image_bytes("JPEG", (300, 200), exif=exif.tobytes())

    save_profile(client, profile_url(owner), logo=(jpeg, "photo.jpg"))

    organisation = db.session.scalar(select(Organisation))
    with stored_logo(app, organisation) as image:
        assert image.format == "PNG"
        assert image.size == (300, 200)
        assert not image.getexif()
        assert "exif" not in image.info
    with open(os.path.join(app.instance_path, "uploads", "logos", organisation.logo), "rb") as stored:
        assert b"secret address" not in stored.read()


def test_a_fake_image_is_refused_with_a_clear_message(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    response = save_profile(client, profile_url(owner), logo=(b"<svg onload=alert(1)></svg>", "logo.png"))

    assert response.status_code == 422
    assert "not an image we can use" in response.get_data(as_text=True)
    assert db.session.scalar(select(Organisation.logo)) is None


def test_a_truncated_png_is_refused(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)

    response = save_profile(client, profile_url(owner), logo=(image_bytes("PNG")[:60], "logo.png"))

    assert response.status_code == 422
    assert db.session.scalar(select(Organisation.logo)) is None


def test_an_oversized_logo_is_refused_with_a_clear_message(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    big = image_bytes("PNG", (20, 20)) + os.urandom(2 * 1024 * 1024)

    response = save_profile(client, profile_url(owner), logo=(big, "logo.png"))

    assert response.status_code == 413
    assert "at most 2 MB" in response.get_data(as_text=True)
    assert db.session.scalar(select(Organisation.logo)) is None


def test_a_new_logo_replaces_the_old_file(app, client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner)
    save_profile(client, profile_url(owner), logo=(image_bytes("PNG"), "a.png"))
    first = db.session.scalar(select(Organisation.logo))

    save_profile(client, profile_url(owner), logo=(image_bytes("GIF"), "b.gif"))

    second = db.session.scalar(select(Organisation.logo))
    assert second != first
    assert app.test_client().get(f"/media/logos/{first}").status_code == 404
    with app.test_client().get(f"/media/logos/{second}") as served:
        assert served.status_code == 200


def test_only_generated_logo_names_are_served(client):
    assert client.get("/media/logos/..%2Fsecret_key").status_code == 404
    assert client.get("/media/logos/secret_key").status_code == 404
