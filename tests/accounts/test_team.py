"""The staff team: the list, role changes, deactivation that ends sessions at once, second-factor
resets; the same from the command line; every change audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.audit.models import AuditEntry
from campaign.extensions import db
from tests.conftest import PASSWORD, csrf_token

TEAM = "/en/dashboard/staff/"


@pytest.fixture
def admin(create_user: Callable[..., User], login: Callable[..., Any]) -> User:
    user = create_user("admin@example.org", role="admin")
    login(user)
    return user


@pytest.fixture
def colleague(create_user: Callable[..., User]) -> User:
    user = create_user("colleague@example.org", role="campaigner")
    user.name = "Zarina Colleague"
    db.session.commit()
    return user


def _post(client: FlaskClient, path: str, **data: str) -> Any:
    return client.post(f"{TEAM}{path}", data={"csrf_token": csrf_token(client, TEAM), **data})


def _audited(action: str) -> list[tuple[int | None, int | None]]:
    rows = db.session.execute(
        select(AuditEntry.user_id, AuditEntry.subject_user_id).where(AuditEntry.action == action)
    ).all()
    return [tuple(row) for row in rows]


def test_the_staff_list_shows_roles_last_login_and_second_factor(
    client: FlaskClient, admin: User, colleague: User
) -> None:
    html = client.get(TEAM).get_data(as_text=True)

    assert "Zarina Colleague" in html and "colleague@example.org" in html
    assert "Never" in html  # the colleague has not logged in yet
    assert "Set up" in html
    assert '<option value="campaigner" selected>Campaigner</option>' in html


def test_a_deactivated_users_open_session_is_refused_on_its_next_request(
    app: Flask, client: FlaskClient, admin: User, colleague: User, login: Callable[..., Any]
) -> None:
    theirs = app.test_client()
    login(colleague, http=theirs)
    assert theirs.get("/en/dashboard/").status_code == 200

    response = _post(client, f"{colleague.id}/deactivate")

    assert response.status_code == 303
    refused = theirs.get("/en/dashboard/")
    assert refused.status_code == 302 and "/account/login" in refused.headers["Location"]
    assert _audited("staff.deactivated") == [(admin.id, colleague.id)]


def test_a_deactivated_user_cannot_log_in_again(
    app: Flask, client: FlaskClient, admin: User, colleague: User
) -> None:
    _post(client, f"{colleague.id}/deactivate")
    theirs = app.test_client()
    url = "/en/account/login"
    theirs.post(
        url, data={"csrf_token": csrf_token(theirs, url), "email": colleague.email, "password": PASSWORD}
    )

    assert theirs.get("/en/dashboard/").status_code == 302


def test_an_admin_changes_a_role_and_it_is_audited(client: FlaskClient, admin: User, colleague: User) -> None:
    response = _post(client, f"{colleague.id}/role", role="admin")

    assert response.status_code == 303
    assert db.session.get(User, colleague.id).staff_role == "admin"  # type: ignore[union-attr]
    assert _audited("staff.role_changed") == [(admin.id, colleague.id)]


def test_a_campaigner_cannot_change_roles(
    app: Flask, colleague: User, create_user: Callable[..., User], login: Callable[..., Any]
) -> None:
    other = create_user("other@example.org", role="campaigner")
    theirs = app.test_client()
    login(other, http=theirs)

    token = csrf_token(theirs, "/en/account/")  # the team page offers a campaigner no form
    response = theirs.post(f"{TEAM}{colleague.id}/role", data={"csrf_token": token, "role": "admin"})

    assert response.status_code == 404
    assert db.session.get(User, colleague.id).staff_role == "campaigner"  # type: ignore[union-attr]


def test_the_last_active_admin_keeps_the_role_with_a_message(client: FlaskClient, admin: User) -> None:
    response = _post(client, f"{admin.id}/role", role="campaigner")

    assert response.status_code == 409
    assert "The last active administrator cannot lose that role" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).staff_role == "admin"  # type: ignore[union-attr]


def test_an_admin_cannot_deactivate_their_own_account(
    client: FlaskClient, admin: User, colleague: User
) -> None:
    colleague.staff_role = "admin"
    db.session.commit()

    response = _post(client, f"{admin.id}/deactivate")

    assert response.status_code == 409
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)


def test_a_reset_second_factor_is_set_up_again_at_the_next_login(
    app: Flask, client: FlaskClient, admin: User, colleague: User
) -> None:
    _post(client, f"{colleague.id}/reset-2fa")
    theirs = app.test_client()
    url = "/en/account/login"
    answer = theirs.post(
        url, data={"csrf_token": csrf_token(theirs, url), "email": colleague.email, "password": PASSWORD}
    )

    assert answer.status_code == 302 and answer.headers["Location"].endswith("/account/setup-2fa")
    assert _audited("staff.2fa_reset") == [(admin.id, colleague.id)]


def test_deactivate_user_on_the_command_line_ends_the_sessions(
    app: Flask, colleague: User, login: Callable[..., Any]
) -> None:
    theirs = app.test_client()
    login(colleague, http=theirs)

    result = app.test_cli_runner().invoke(args=["deactivate-user", "Colleague@example.org"])

    assert result.exit_code == 0, result.output
    assert theirs.get("/en/dashboard/").status_code == 302
    assert _audited("staff.deactivated") == [(None, colleague.id)]


def test_reset_2fa_on_the_command_line_forgets_the_second_factor(app: Flask, colleague: User) -> None:
    result = app.test_cli_runner().invoke(args=["reset-2fa", colleague.email])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    found = db.session.get(User, colleague.id)
    assert found is not None and not found.has_totp and found.recovery_codes == []


def test_the_command_line_names_an_unknown_account(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["deactivate-user", "nobody@example.org"])

    assert result.exit_code != 0 and "no staff account for nobody@example.org" in result.output
