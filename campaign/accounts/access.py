"""Who may see what: staff roles, organisation roles, and the answer to everyone else.

A forbidden page answers 404 (it does not confirm that the thing exists) and is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, cast

from flask import abort, request
from flask_login import current_user, login_required

log = logging.getLogger("campaign.access")

F = TypeVar("F", bound=Callable[..., Any])


def forbid() -> NoReturn:
    user = getattr(current_user, "id", None)
    log.warning("forbidden: user=%s %s %s", user, request.method, request.path)
    abort(404)


def staff_required(*roles: str) -> Callable[[F], F]:
    """Only staff (of one of ``roles``, if given; admins always) may use the view."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            role = current_user.staff_role
            if role is None or (roles and role not in roles and role != "admin"):
                forbid()
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


def require_org_role(organisation_id: int, *roles: str) -> str:
    """The current user's role in the organisation, if it is one of ``roles`` (any, if none given)."""
    role = current_user.role_in(organisation_id) if current_user.is_authenticated else None
    if role is None or (roles and role not in roles):
        forbid()
    return role
