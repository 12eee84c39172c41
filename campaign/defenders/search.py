"""Finding a defender by name in any script.

Each defender keeps, beside their names, a search key: every name of every language
transliterated to Latin letters by ``anyascii`` and reduced to lower-case letters and digits.
A query goes through the same reduction, so "Козлов", "kozlov" and "Kozlov" all find
Vladimir Kozlov, whichever languages his names were written in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from anyascii import anyascii

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def search_key(text: str) -> str:
    """Latin lower-case letters and digits, words separated by one space."""
    return _NOT_ALNUM.sub(" ", anyascii(text).lower()).strip()


def names_key(names: Iterable[str]) -> str:
    """The stored key of a defender's names: each distinct name's key on a line of its own."""
    keys = dict.fromkeys(key for key in (search_key(name) for name in names) if key)
    return "\n".join(keys)


def like_pattern(query: str) -> str | None:
    """A LIKE pattern matching the query's key anywhere; None when nothing searchable is left."""
    key = search_key(query)
    return f"%{key}%" if key else None
