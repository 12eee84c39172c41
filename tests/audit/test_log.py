"""One audit log: every kind of act recorded, shown with people's names and translated actions,
filtered across the system, and exported as CSV."""

from __future__ import annotations

import ast
import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.accounts import invitations, organisations
from campaign.accounts import services as account_services
from campaign.accounts.models import Membership, User
from campaign.audit.labels import ACTIONS
from campaign.audit.models import AuditEntry
from campaign.audit.services import record
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.letters import services as letters
from campaign.updates import services as updates
from tests.conftest import csrf_token

PACKAGE = Path(__file__).resolve().parents[2] / "campaign"


@pytest.fixture
def staff(create_user: Callable[..., User], login: Callable[..., Any]) -> User:
    user = create_user("campaigner@example.org", role="campaigner")
    user.name = "Dana Campaigner"
    db.session.commit()
    login(user)
    return user


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _recorded_literals() -> set[str]:
    """Every action key the code passes to ``record(...)`` or ``audit(...)`` as a literal."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("record", "audit")
                and node.args
            ):
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                elif isinstance(first, ast.IfExp):
                    found.update(
                        part.value for part in (first.body, first.orelse) if isinstance(part, ast.Constant)
                    )
    return found


def test_every_action_the_code_records_has_a_translated_name() -> None:
    recorded = _recorded_literals()

    assert "user.logged_in" in recorded
    assert sorted(recorded - set(ACTIONS)) == []


def test_a_login_is_recorded_with_the_persons_name_on_the_log(client: FlaskClient, staff: User) -> None:
    html = client.get("/en/dashboard/audit/").get_data(as_text=True)

    assert "user.logged_in" in _actions()
    assert "<td>Dana Campaigner</td>" in html and "<td>Logged in</td>" in html


def test_a_staff_invitation_is_recorded(client: FlaskClient, staff: User) -> None:
    invitations.invite("new@example.org", "campaigner", "en", organisation=None, invited_by=staff)
    db.session.commit()

    entry = db.session.scalar(select(AuditEntry).filter_by(action="staff.invited"))
    assert entry is not None and entry.user_id == staff.id and entry.details["role"] == "campaigner"
    assert "new@example.org" not in str(entry.details)


def test_membership_role_changes_and_removals_are_recorded(
    app: Any, create_user: Callable[..., User]
) -> None:
    owner = create_user("owner@example.org", org="PEN Kazakhstan")
    member = create_user("member@example.org", org="PEN Kazakhstan", org_role="editor")
    membership = db.session.scalar(select(Membership).filter_by(user_id=member.id))
    assert membership is not None and owner

    organisations.change_role(membership, "signer")
    organisations.remove_member(membership)
    db.session.commit()

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("membership.%"))).all()
    assert [(e.action, e.subject_user_id) for e in entries] == [
        ("membership.role_changed", member.id),
        ("membership.removed", member.id),
    ]


def test_sending_an_update_is_recorded_against_its_campaign(app: Any, campaign: Campaign) -> None:
    update = updates.create_update(campaign, "en", "News", "Body")
    updates.send_update(update.id)
    db.session.commit()

    rows = db.session.execute(select(AuditEntry.action, AuditEntry.campaign_id).order_by(AuditEntry.id)).all()
    assert [tuple(row) for row in rows] == [("update.created", campaign.id), ("update.sent", campaign.id)]


def test_letter_acts_are_recorded_against_the_letter(app: Any, create_user: Callable[..., User]) -> None:
    author = create_user("author@example.org", org="Freedom Now")
    coordinator = author.memberships[0].organisation
    letter = letters.create_letter("free-them", coordinator, author, "en", "Free them", "We call on you.")
    letters.open_for_sign_on(letter)
    letters.sign_on(letter, coordinator, author, letters.SignOnInput("A. Author", "Director"))
    letters.close(letter)
    db.session.commit()

    rows = db.session.execute(select(AuditEntry.action, AuditEntry.letter_id).order_by(AuditEntry.id)).all()
    assert [action for action, _ in rows] == [
        "letter.created",
        "letter.version_saved",
        "letter.opened",
        "letter.signed",
        "letter.closed",
    ]
    assert {letter_id for _, letter_id in rows} == {letter.id}


def test_an_export_asked_for_is_recorded(client: FlaskClient, staff: User, campaign: Campaign) -> None:
    url = f"/en/dashboard/campaigns/{campaign.slug}"
    client.post(f"{url}/exports", data={"csrf_token": csrf_token(client, url)})

    assert "export.requested" in _actions()


def test_the_log_is_filtered_by_campaign(
    client: FlaskClient, staff: User, create_campaign: Callable[..., Campaign]
) -> None:
    first, second = create_campaign("first"), create_campaign("second")
    record("campaign.updated", user_id=staff.id, campaign_id=first.id, details={"slug": "first"})
    record("campaign.updated", user_id=staff.id, campaign_id=second.id, details={"slug": "second"})
    db.session.commit()

    html = client.get(f"/en/dashboard/audit/?campaign={first.id}").get_data(as_text=True)

    assert "slug=first" in html and "slug=second" not in html


def test_the_log_is_filtered_by_action_and_by_person(
    client: FlaskClient, staff: User, create_user: Callable[..., User]
) -> None:
    other = create_user("other@example.org", role="admin")
    record("staff.2fa_reset", user_id=other.id, subject_user_id=other.id)
    db.session.commit()

    by_action = client.get("/en/dashboard/audit/?action=staff.2fa_reset").get_data(as_text=True)
    by_person = client.get(f"/en/dashboard/audit/?user={staff.id}").get_data(as_text=True)

    assert "Second factor reset" in by_action and "<td>Logged in</td>" not in by_action
    assert "<td>Logged in</td>" in by_person and "Second factor reset</td>" not in by_person


def test_the_action_names_are_in_the_readers_language(client: FlaskClient, staff: User) -> None:
    html = client.get("/ru/dashboard/audit/").get_data(as_text=True)

    assert "<td>Вход в систему</td>" in html


def test_a_reversed_date_range_is_refused_with_a_message(client: FlaskClient, staff: User) -> None:
    response = client.get("/en/dashboard/audit/?since=2026-12-02&until=2026-12-01")

    assert response.status_code == 422
    assert "The end must come after the start." in response.get_data(as_text=True)


def test_the_log_downloads_as_csv_starting_with_the_byte_order_mark(client: FlaskClient, staff: User) -> None:
    account_services.find_or_create_organisation("Мемориал")
    db.session.commit()

    body = client.get("/en/dashboard/audit/audit.csv").get_data()

    assert body.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[:4] == ["time_utc", "who", "action", "action_name"]
    assert [row[1:4] for row in rows] == [["Dana Campaigner", "user.logged_in", "Logged in"]]
