"""What other domains show on a defender's and a country's pages, without this domain importing them.

``letters`` and ``updates`` sit above ``defenders`` (DESIGN.md section 3), so they register here,
when their modules are imported by ``create_app``, a function listing their public items for a
set of campaigns; the defender and country pages ask every registered function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Item:
    """One public thing about a case: a letter, an update."""

    title: str
    url: str
    #: when it was published, for ordering and feeds
    published_at: datetime | None
    #: a short text (Markdown) where the item has one: an update's body
    body: str = ""
    #: the language ``title`` and ``body`` are written in
    lang: str = ""
    #: stable and unique across kinds ("update-12"): the page anchor and the feed entry's id
    key: str = ""


#: kind ("letters", "updates") -> function(campaign ids, page language) -> items, newest first
_PROVIDERS: dict[str, Callable[[Sequence[int], str], list[Item]]] = {}


def provide(kind: str) -> Callable[[Callable[[Sequence[int], str], list[Item]]], Callable[..., list[Item]]]:
    def register(function: Callable[[Sequence[int], str], list[Item]]) -> Callable[..., list[Item]]:
        _PROVIDERS[kind] = function
        return function

    return register


def items(kind: str, campaign_ids: Sequence[int], lang: str) -> list[Item]:
    provider = _PROVIDERS.get(kind)
    return provider(campaign_ids, lang) if provider and campaign_ids else []
