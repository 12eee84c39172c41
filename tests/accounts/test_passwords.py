"""Password reset by email, password change, new recovery codes, and login when Redis is down."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from sqlalchemy import select

from campaign import create_app
from campaign.accounts.models import PasswordReset, User
from campaign.extensions import db, queues
from tests.accounts.links import link_in_mail
from tests.conftest import PASSWORD, IsolatedClient, csrf_token
from tests.smtp import free_port

NEW_PASSWORD = "a long and new passphrase"
RESET_URL = "/en/account/password/reset"


def ask_reset(client, email: str, ip: str = "198.51.100.20"):
    return client.post(
        RESET_URL,
        data={"csrf_token": csrf_token(client, RESET_URL), "email": email},
        environ_base={"REMOTE_ADDR": ip},
    )


def set_new_password(client, path: str, password: str = NEW_PASSWORD):
    return client.post(
        path, data={"csrf_token": csrf_token(client, path), "password": password, "confirm": password}
    )


def post_password(client, email: str, password: str):
    url = "/en/account/login"
    return client.post(
        url, data={"csrf_token": csrf_token(client, url), "email": email, "password": password}
    )


def test_a_reset_link_sets_a_new_password_and_still_asks_for_totp(
    app, client, create_user, drain, smtp_server
):
    user = create_user(email="partner@example.org", org="ADC Memorial")
    ask_reset(client, "partner@example.org")
    drain()

    done = set_new_password(client, link_in_mail(smtp_server, "partner@example.org"))

    assert done.status_code == 200
    assert "Password changed" in done.get_data(as_text=True)
    assert post_password(client, user.email, PASSWORD).status_code == 401
    after = post_password(client, user.email, NEW_PASSWORD)
    assert after.location.endswith("/en/account/login/verify")
    assert client.get("/en/account/").status_code == 302  # not logged in without the second factor


def test_reset_answers_the_same_for_known_and_unknown_addresses(app, client, create_user, drain, smtp_server):
    create_user(email="partner@example.org", org="ADC Memorial")

    known = ask_reset(app.test_client(), "partner@example.org")
    unknown = ask_reset(app.test_client(), "nobody@example.org")
    drain()

    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert len(smtp_server.to("partner@example.org")) == 1
    assert smtp_server.to("nobody@example.org") == []


def test_a_reset_link_works_only_once(app, client, create_user, drain, smtp_server):
    create_user(email="partner@example.org", org="ADC Memorial")
    ask_reset(client, "partner@example.org")
    drain()
    path = link_in_mail(smtp_server, "partner@example.org")
    other_tab = app.test_client()
    form_token = csrf_token(other_tab, path)
    set_new_password(client, path)

    reuse = other_tab.post(
        path,
        data={"csrf_token": form_token, "password": "mallory's password", "confirm": "mallory's password"},
    )

    assert reuse.status_code == 404
    assert "This link is not valid" in reuse.get_data(as_text=True)


def test_an_expired_reset_link_is_refused(client, create_user, drain, smtp_server):
    create_user(email="partner@example.org", org="ADC Memorial")
    ask_reset(client, "partner@example.org")
    drain()
    reset = db.session.scalar(select(PasswordReset))
    reset.expires_at -= timedelta(hours=3)
    db.session.commit()

    assert client.get(link_in_mail(smtp_server, "partner@example.org")).status_code == 404


def test_resetting_ends_every_session(app, client, create_user, login, drain, smtp_server):
    user = create_user(email="partner@example.org", org="ADC Memorial")
    logged_in = app.test_client()
    login(user, http=logged_in)
    ask_reset(client, user.email)
    drain()

    set_new_password(client, link_in_mail(smtp_server, user.email))

    assert logged_in.get("/en/account/").status_code == 302


def test_opening_a_reset_link_changes_nothing(client, create_user, drain, smtp_server):
    user = create_user(email="partner@example.org", org="ADC Memorial")
    ask_reset(client, user.email)
    drain()

    client.get(link_in_mail(smtp_server, user.email))

    assert db.session.scalar(select(PasswordReset.used_at)) is None


def test_reset_requests_are_rate_limited(client, create_user):
    statuses = [ask_reset(client, f"n{n}@example.org").status_code for n in range(6)]

    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429


def test_only_a_few_reset_mails_go_to_one_address(app, create_user, drain, smtp_server):
    create_user(email="partner@example.org", org="ADC Memorial")

    for n in range(5):
        ask_reset(app.test_client(), "partner@example.org", ip=f"203.0.113.{n}")
    drain()

    assert len(smtp_server.to("partner@example.org")) == 3


def test_a_mismatched_new_password_is_refused_with_a_clear_message(client, create_user, drain, smtp_server):
    create_user(email="partner@example.org", org="ADC Memorial")
    ask_reset(client, "partner@example.org")
    drain()
    path = link_in_mail(smtp_server, "partner@example.org")

    response = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "password": NEW_PASSWORD, "confirm": "something else"},
    )

    assert response.status_code == 422
    assert "The two passwords are not the same." in response.get_data(as_text=True)


def change_password(client, current: str, new: str = NEW_PASSWORD):
    url = "/en/account/password"
    return client.post(
        url, data={"csrf_token": csrf_token(client, url), "current": current, "password": new, "confirm": new}
    )


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, client, create_user, login):
    user = create_user(email="partner@example.org", org="ADC Memorial")
    other_device = app.test_client()
    login(user)
    login(user, http=other_device)

    response = change_password(client, PASSWORD)

    assert response.status_code == 200
    assert other_device.get("/en/account/").status_code == 302
    assert client.get("/en/account/").status_code == 200


def test_changing_the_password_needs_the_current_one(client, create_user, login):
    user = create_user(email="partner@example.org", org="ADC Memorial")
    login(user)

    response = change_password(client, "not my password at all")

    assert response.status_code == 422
    assert "This is not your current password." in response.get_data(as_text=True)
    assert post_password(client, user.email, PASSWORD).status_code == 302


def test_new_recovery_codes_need_a_current_totp_code_and_replace_the_old(client, create_user, login):
    from campaign.accounts.services import new_recovery_codes

    user = create_user(email="partner@example.org", org="ADC Memorial")
    old_codes = new_recovery_codes(user)
    db.session.commit()
    login(user)
    url = "/en/account/recovery-codes"
    wrong = client.post(url, data={"csrf_token": csrf_token(client, url), "code": "000000"})
    user = db.session.get(User, user.id)
    user.totp_last_step = 0
    db.session.commit()

    response = client.post(
        url, data={"csrf_token": csrf_token(client, url), "code": pyotp.TOTP(user.totp_secret).now()}
    )

    assert wrong.status_code == 422
    assert response.status_code == 200
    assert old_codes[0] not in response.get_data(as_text=True)
    assert response.get_data(as_text=True).count("<li><code>") == 10
    assert len(db.session.get(User, user.id).recovery_codes) == 10


def test_login_refuses_with_a_clear_message_when_the_throttle_store_is_down(base_config, app, create_user):
    create_user(email="partner@example.org", org="ADC Memorial")
    closed = f"redis://127.0.0.1:{free_port()}/0"
    down = create_app({**base_config, "REDIS_URL": closed})
    down.test_client_class = IsolatedClient
    browser = down.test_client()

    try:
        response = post_password(browser, "partner@example.org", PASSWORD)
    finally:
        with down.app_context():
            queues.connection.close()
            db.engine.dispose()

    assert response.status_code == 503
    assert "Logging in is not possible for a moment" in response.get_data(as_text=True)
    assert browser.get("/en/account/login/verify").location.endswith("/en/account/login")
