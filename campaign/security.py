"""Keyed hashing of client addresses, secret tokens, and the security headers of every response."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from flask import Flask, Response, current_app, request, session
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under a key derived from IDENTITY_KEY, one key per purpose.

    Cheap enough for every request (unlike bcrypt), and useless to anyone without the key. Not
    SECRET_KEY: rotating that one (after a leak) must not make every stored hash meaningless.
    """
    return keyed_hasher(purpose)(value)


def keyed_hasher(purpose: str) -> Callable[[str], str]:
    """:func:`keyed_hash` for one purpose, its key derived once (for a million values in a job)."""
    key = hmac.new(current_app.config["IDENTITY_KEY"].encode(), purpose.encode(), hashlib.sha256).digest()
    prepared = hmac.new(key, digestmod=hashlib.sha256)

    def hashed(value: str) -> str:
        mac = prepared.copy()
        mac.update(value.encode())
        return mac.hexdigest()

    return hashed


def ip_hash() -> str:
    return keyed_hash("ip", request.remote_addr or "unknown")[:32]


def new_token() -> tuple[str, str]:
    """Return a fresh URL-safe token (256 bits) and the hash that is stored in its place."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def signing_keys() -> list[str]:
    """SECRET_KEY_FALLBACKS, then SECRET_KEY: itsdangerous signs with the last of a list and
    accepts a signature by any, so links and forms signed before a rotation keep working."""
    config = current_app.config
    return [*config.get("SECRET_KEY_FALLBACKS", ()), config["SECRET_KEY"]]


#: added to every response that does not set its own
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    wanted = (*SECURITY_HEADERS, HSTS) if current_app.config["SESSION_COOKIE_SECURE"] else SECURITY_HEADERS
    if _is_logged_in():  # a page for one person: no cache (a shared one, the browser's) keeps it
        headers["Cache-Control"] = "no-store"
    present = {key.lower() for key, _ in headers}  # one pass, not one per header
    if "frame-ancestors *" in headers.get("Content-Security-Policy", ""):
        present.add("x-frame-options")  # a page meant for frames (the embed) says so in its CSP
    headers.extend([(key, value) for key, value in wanted if key.lower() not in present])
    onion = current_app.config["ONION_LOCATION"]
    if onion and not request.host.partition(":")[0].endswith(".onion"):
        # Tor Browser offers the same page on the onion service (it reads the header over HTTPS)
        headers["Onion-Location"] = onion + request.full_path.rstrip("?")
    return response


def _is_logged_in() -> bool:
    """Logged in, or half-way (past the password, before the second factor); asked without
    touching the session of a visitor who has none (an anonymous page sets no cookie)."""
    if not session:
        return False
    return "login_pending" in session or bool(current_user and current_user.is_authenticated)


def init_app(app: Flask) -> None:
    app.after_request(set_security_headers)
