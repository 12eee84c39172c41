"""The cost of the password hashes: the production parameters, and hashes made under other
parameters brought up to date at the next login. The suite itself hashes cheaply (see
``cheap_password_hashing`` in tests/conftest.py)."""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters, profiles

from campaign.accounts import services as account_services
from campaign.accounts.models import User
from campaign.extensions import db
from tests.conftest import PASSWORD, PRODUCTION_HASHER, csrf_token


def test_the_app_hashes_passwords_with_argon2id_at_rfc_9106s_recommended_cost():
    assert extract_parameters(PRODUCTION_HASHER.hash(PASSWORD)) == profiles.RFC_9106_LOW_MEMORY


def test_a_login_rehashes_a_password_hashed_under_other_parameters(app, client, create_user):
    user = create_user(email="partner@example.org", org="ADC Memorial")
    user.password_hash = PasswordHasher(time_cost=2, memory_cost=512, parallelism=1).hash(PASSWORD)
    db.session.commit()

    url = "/en/account/login"
    client.post(url, data={"csrf_token": csrf_token(client, url), "email": user.email, "password": PASSWORD})

    stored = db.session.get(User, user.id).password_hash
    assert extract_parameters(stored) == extract_parameters(account_services.hasher.hash(PASSWORD))
    assert account_services.hasher.verify(stored, PASSWORD)
