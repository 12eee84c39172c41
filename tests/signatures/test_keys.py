"""Keys with one purpose each: identity hashes under IDENTITY_KEY, so SECRET_KEY can be rotated."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.config import from_environment
from campaign.extensions import db
from campaign.signatures.models import Signature
from tests.signatures.test_signing import confirm, count


def rotate_secret_key(app, keep_old: bool) -> None:
    old = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "rotated-after-a-leak-" + old
    app.config["SECRET_KEY_FALLBACKS"] = [old] if keep_old else []


def test_a_rotated_secret_key_keeps_duplicates_recognised(app, client, campaign, sign, drain, smtp_server):
    sign(campaign.slug, email="roza@example.org")
    drain()
    confirm(client, smtp_server.messages[0])
    smtp_server.messages.clear()
    rotate_secret_key(app, keep_old=False)

    sign(campaign.slug, email="ROZA@example.org", ip="198.51.100.70")
    drain()

    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
    assert count(client, campaign.slug) == 1
    assert smtp_server.messages[0].message["Subject"].startswith("You have already signed")


def test_the_identity_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = from_environment(tmp_path, {})
    second = from_environment(tmp_path, {})

    assert first["IDENTITY_KEY"] == second["IDENTITY_KEY"] == (tmp_path / "identity_key").read_text()
    assert first["IDENTITY_KEY"] != first["SECRET_KEY"]
    assert (tmp_path / "identity_key").stat().st_mode & 0o777 == 0o600
