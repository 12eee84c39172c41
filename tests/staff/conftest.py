"""A logged-in campaigner and admin for the staff tools' tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from campaign.accounts.models import User


@pytest.fixture
def staff(create_user: Callable[..., User], login: Callable[..., Any]) -> User:
    user = create_user("campaigner@example.org", role="campaigner")
    login(user)
    return user


@pytest.fixture
def admin(create_user: Callable[..., User], login: Callable[..., Any]) -> User:
    user = create_user("admin@example.org", role="admin")
    login(user)
    return user
