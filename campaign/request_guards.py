"""Input no view should ever see, refused at the door with a 4xx page in the visitor's language
rather than a 500 from deep inside (PostgreSQL refusing a NUL, an id past INTEGER, a file where
a form expects text, a JSON body turned into form data by Flask-WTF).

- ``<int:…>`` in any route is bounded to the database's INTEGER: a larger id is no page (404).
- A NUL or another control character (but tab, line feed, carriage return) in the path or the
  query string, a NUL in a form field: 400. Malformed UTF-8 arrives decoded with U+FFFD.
- A file upload but in the file fields a view declares (:func:`accepts_files`): 400.
- A JSON or other non-form body on a POST: 415 (no view of ours reads one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter, Map

#: PostgreSQL's INTEGER, which every id column is
MAX_ID = 2**31 - 1
#: what no text we store may hold: C0 controls but tab, line feed and carriage return, and DEL
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: bodies a browser's form sends
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

F = TypeVar("F", bound=Callable[..., Any])


class BoundedInteger(IntegerConverter):
    """``<int:…>`` that matches only ids the database can hold (unless a route says otherwise)."""

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max)


def accepts_files(*names: str) -> Callable[[F], F]:
    """Mark a view whose form has file fields of these names (outermost, just under the route):
    a file under any other name, where the form expects text, is refused."""

    def mark(view: F) -> F:
        view.file_fields = frozenset(names)  # type: ignore[attr-defined]
        return view

    return mark


def refuses_control_characters(view: F) -> F:
    """Mark a view whose form answers a NUL with its own message (outermost, under the route)."""
    view.refuses_control_characters = True  # type: ignore[attr-defined]
    return view


def _has_control(values: Iterable[str]) -> bool:
    return any(_CONTROL.search(value) for value in values)


def refuse_unreadable_input() -> None:
    if _has_control((request.path,)) or _has_control(
        text for key, values in request.args.lists() for text in (key, *values)
    ):
        abort(400)
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.content_length:
        return
    if request.mimetype not in _FORM_TYPES:
        abort(415)
    view = current_app.view_functions.get(request.endpoint or "")
    # NUL only (the database cannot store it), and not where the form says so itself
    if not getattr(view, "refuses_control_characters", False) and any(
        "\x00" in text for key, values in request.form.lists() for text in (key, *values)
    ):
        abort(400)
    if request.files:
        if not set(request.files) <= getattr(view, "file_fields", frozenset()):
            abort(400)
        if _has_control(upload.filename or "" for upload in request.files.values()):
            abort(400)


def install_converters(app: Flask) -> None:
    """Before any route is registered: routes compile their converters when added."""
    app.url_map.converters["int"] = BoundedInteger


def init_app(app: Flask) -> None:
    app.before_request(refuse_unreadable_input)
