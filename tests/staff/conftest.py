"""A logged-in admin for the staff tools' tests (the campaigner, `staff`, is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from campaign.accounts.models import User


@pytest.fixture
def admin(create_user: Callable[..., User], login: Callable[..., Any]) -> User:
    user = create_user("admin@example.org", role="admin")
    login(user)
    return user
