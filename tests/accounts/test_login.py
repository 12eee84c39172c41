"""Login with password and TOTP, recovery codes, sessions, redirects, and the create-user command."""

from __future__ import annotations

import re
from urllib.parse import unquote
from xml.etree import ElementTree

import pyotp
import segno
from sqlalchemy import select

from campaign.accounts import services
from campaign.accounts.models import Membership, Organisation, User
from campaign.extensions import db
from tests.conftest import PASSWORD, csrf_token


def post_password(client, email: str, password: str = PASSWORD, next_url: str = "", ip: str = "198.51.100.1"):
    url = "/en/account/login" + (f"?next={next_url}" if next_url else "")
    return client.post(
        url,
        data={"csrf_token": csrf_token(client, "/en/account/login"), "email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def post_code(client, code: str):
    url = "/en/account/login/verify"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "code": code})


def test_a_staff_member_logs_in_with_password_and_totp(client, create_user, login):
    user = create_user(role="campaigner")

    response = login(user)

    assert response.status_code == 302
    assert response.location.endswith("/en/account/")
    assert "Logged in as staff@example.org" in client.get("/en/account/").get_data(as_text=True)


def test_the_password_alone_does_not_log_in(client, create_user):
    create_user(role="admin")

    response = post_password(client, "staff@example.org")

    assert response.location.endswith("/en/account/login/verify")
    assert client.get("/en/account/").status_code == 302


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, create_user):
    create_user()

    wrong = post_password(client, "staff@example.org", "wrong password!!")
    unknown = post_password(client, "nobody@example.org", "wrong password!!")

    assert wrong.status_code == unknown.status_code == 401
    assert "Email or password is wrong." in wrong.get_data(as_text=True)
    assert "Email or password is wrong." in unknown.get_data(as_text=True)


def test_first_login_requires_setting_up_totp_and_shows_recovery_codes(client, create_user):
    user = create_user(email="new@example.org", role="campaigner", totp=False)

    response = post_password(client, "new@example.org")
    assert response.location.endswith("/en/account/setup-2fa")
    page = client.get("/en/account/setup-2fa").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    done = client.post(
        "/en/account/setup-2fa",
        data={"csrf_token": csrf_token(client, "/en/account/setup-2fa"), "code": pyotp.TOTP(secret).now()},
    )

    assert done.status_code == 200
    assert (
        len(re.findall(r"<li><code>[0-9a-f]{6}-[0-9a-f]{6}</code></li>", done.get_data(as_text=True))) == 10
    )
    db.session.refresh(user)
    assert user.has_totp
    assert client.get("/en/account/").status_code == 200


SVG = "{http://www.w3.org/2000/svg}"


def test_the_setup_qr_code_is_a_standalone_svg_of_the_key_shown(client, create_user):
    """Browsers show an SVG image without its xmlns as broken; a viewBox lets it scale down."""
    user = create_user(email="new@example.org", role="campaigner", totp=False)
    post_password(client, "new@example.org")

    page = client.get("/en/account/setup-2fa").get_data(as_text=True)

    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    src, width, height = re.search(
        r'<img src="(data:image/svg\+xml;[^"]+)" alt="[^"]+" width="(\d+)" height="(\d+)">', page
    ).groups()
    media_type, _, data = src.partition(",")
    assert media_type == "data:image/svg+xml;charset=utf-8"
    svg = ElementTree.fromstring(unquote(data))  # noqa: S314 (our own output)
    assert svg.tag == f"{SVG}svg"
    expected = segno.make(services.provisioning_uri(user, secret), error="m")
    side, _ = expected.symbol_size(scale=1)
    assert svg.get("viewBox") == f"0 0 {side} {side}"
    assert (int(width), int(height)) == (side * 4, side * 4)  # four pixels a module, sharp edges
    [path] = svg.findall(f"{SVG}path")
    drawn = ElementTree.fromstring(expected.svg_inline(scale=1))  # noqa: S314 (segno's own output)
    assert path.get("d") == drawn.find("path").get("d")  # the code of the key shown beside it


def test_a_totp_code_cannot_be_replayed(client, create_user):
    user = create_user()
    code = pyotp.TOTP(user.totp_secret).now()
    post_password(client, user.email)
    assert post_code(client, code).status_code == 302
    client.post("/en/account/logout", data={"csrf_token": csrf_token(client, "/en/account/")})

    post_password(client, user.email)
    replay = post_code(client, code)

    assert replay.status_code == 401
    assert "This code is not valid" in replay.get_data(as_text=True)


def test_a_recovery_code_logs_in_once(client, create_user):
    from campaign.accounts.services import new_recovery_codes

    user = create_user()
    codes = new_recovery_codes(user)
    db.session.commit()

    post_password(client, user.email)
    assert post_code(client, codes[0]).status_code == 302
    client.post("/en/account/logout", data={"csrf_token": csrf_token(client, "/en/account/")})
    post_password(client, user.email)

    assert post_code(client, codes[0]).status_code == 401


def test_logout_ends_the_session_everywhere(app, client, create_user, login):
    user = create_user()
    other_device = app.test_client()
    login(user)
    login(user, http=other_device)

    client.post("/en/account/logout", data={"csrf_token": csrf_token(client, "/en/account/")})

    assert other_device.get("/en/account/").status_code == 302


def test_next_redirects_only_within_the_site(client, create_user):
    user = create_user()

    for target, expected in [
        ("/en/campaigns/x", "/en/campaigns/x"),
        ("//evil.example.net/", "/en/account/"),
        ("https://evil.example.net/", "/en/account/"),
    ]:
        client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
        user.totp_last_step = 0
        db.session.commit()
        post_password(client, user.email, next_url=target)
        response = post_code(client, pyotp.TOTP(user.totp_secret).now())
        assert response.location == expected
        client.post("/en/account/logout", data={"csrf_token": csrf_token(client, "/en/account/")})


def test_create_user_command_makes_a_partner_and_their_organisation(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "owner@example.org",
            "--password",
            PASSWORD,
            "--role",
            "partner",
            "--org",
            "ADC Memorial",
            "--org-role",
            "owner",
        ]
    )

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "owner@example.org"))
    organisation = db.session.scalar(select(Organisation))
    assert user.staff_role is None
    assert organisation.name("en") == "ADC Memorial"
    assert db.session.scalar(select(Membership.role)) == "owner"


def test_create_user_command_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "a@example.org", "--password", "short", "--role", "admin"]
    )

    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
