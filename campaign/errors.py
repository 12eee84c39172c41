"""Error pages: a clear message in the visitor's language (JSON under /api/), never a stack trace."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Flask, Response, abort, current_app, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You are not allowed to see this page."),
    404: _l("We could not find this page. The link may be mistyped, or the page may have moved."),
    405: _l("This page cannot be used that way."),
    413: _l("What you sent is too large."),
    410: _l("This page has been archived and is no longer published."),
    415: _l("This page accepts only what its own form sends."),
    429: _l("Too many attempts from your connection. Please wait a few minutes and try again."),
    500: _l("Something went wrong on our side. Nothing you already submitted was lost; please try again."),
}


def respond(code: int, message: Any) -> tuple[Response | str, int]:
    if request.path.startswith("/api/"):
        return jsonify(error=str(message), status=code), code
    return render_template("error.html", code=code, message=message), code


def gone(message: Any) -> NoReturn:
    """Answer 410 Gone with ``message`` (an archived campaign, defender or letter): the page
    existed and was taken down on purpose, which a 404 would not say."""
    abort(make_response(*respond(410, message)))


def handle_http_error(error: HTTPException) -> tuple[Response | str, int, list[tuple[str, str]]]:
    code = error.code or 500
    body, status = respond(code, MESSAGES.get(code, error.description or ""))
    # a 429 says when to come back (RFC 6585); the error's other headers are for its own page
    return body, status, [(name, value) for name, value in error.get_headers() if name == "Retry-After"]


def handle_csrf_error(error: CSRFError) -> tuple[Response | str, int]:
    return respond(400, _l("This form has expired. Please go back, reload the page and submit it again."))


def handle_unexpected(error: Exception) -> tuple[Response | str, int, list[tuple[str, str]]]:
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
