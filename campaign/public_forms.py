"""Forms anyone may send without an account (signing, confirming, forget-me, follow, sign-on
requests, unsubscribe), protected against cross-site forgery without a session.

Session-bound CSRF needs a cookie, and an anonymous public page must set none: a signer's
browser may refuse cookies, a page cache cannot hold a page per visitor, and a cookie is one
more identifier a signer carries. What a forged submission of an anonymous form could do is
what any visitor can do by themselves (sign with an address they type, ask for a link to an
address), so the protection only has to prove that the form was sent from one of our own pages:

- a **form token** in a hidden field: the form's purpose and the time it was drawn, signed with
  ``SECRET_KEY`` (one salt per purpose) and valid for ``PUBLIC_FORM_MAX_AGE`` seconds. It is the
  same for every visitor who loaded the page in the same second, so it holds nothing about them;
- the **origin** of the request: ``Sec-Fetch-Site``, which every current browser sends, must be
  ``same-origin`` (or ``none``: typed, bookmarked); without it, an ``Origin`` header must name our
  host. ``Origin: null`` proves nothing either way (browsers send it for a POST from a page whose
  referrer policy is ``no-referrer``, as ours is), so the token then decides.

Logged-in pages keep Flask-WTF's session-bound CSRF.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup, escape
from werkzeug.exceptions import BadRequest, Forbidden

from campaign.errors import respond
from campaign.extensions import csrf
from campaign.security import signing_keys

#: the hidden field that carries the form token
FIELD = "form_token"
#: what Sec-Fetch-Site may say of a form we drew
SAME_ORIGIN = {"same-origin", "none"}

F = TypeVar("F", bound=Callable[..., Any])


class FormExpired(BadRequest):
    """The form token is missing, tampered with or too old: the visitor sends the form again."""

    description = _l("This form was open too long. Please check what you entered and send it again.")


class CrossSiteForm(Forbidden):
    """The request came from another site's page."""

    description = _l("This form can only be sent from our own pages.")


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(), salt=f"campaign.public-form.{purpose}")


def form_token(purpose: str) -> str:
    return _serializer(purpose).dumps(purpose)


def form_field(purpose: str) -> Markup:
    """The hidden input a public form carries (a Jinja global)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, escape(form_token(purpose)))


def _is_same_origin() -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in SAME_ORIGIN
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return True
    return urlsplit(origin).netloc == request.host


def check(purpose: str) -> None:
    """Raise :class:`CrossSiteForm` or :class:`FormExpired` unless this POST is one of our
    ``purpose`` forms, drawn within ``PUBLIC_FORM_MAX_AGE``. Tokens signed with a key in
    ``SECRET_KEY_FALLBACKS`` are accepted too, so a key rotation spoils no open form."""
    if not _is_same_origin():
        raise CrossSiteForm()
    token = request.form.get(FIELD, "")
    if not token or len(token) > 200:
        raise FormExpired()
    try:
        if _serializer(purpose).loads(token, max_age=current_app.config["PUBLIC_FORM_MAX_AGE"]) == purpose:
            return
    except BadSignature:  # SignatureExpired included
        pass
    raise FormExpired()


def public_form(purpose: str) -> Callable[[F], F]:
    """Protect a view's POST with :func:`check` instead of the session's CSRF token."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            check(purpose)
            return view(*args, **kwargs)

        return csrf.exempt(checked)

    return decorate


def _rejected(error: FormExpired | CrossSiteForm) -> Any:
    return respond(error.code or 400, str(error.description))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["public_form_field"] = form_field
    app.register_error_handler(FormExpired, _rejected)
    app.register_error_handler(CrossSiteForm, _rejected)
