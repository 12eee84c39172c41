"""What other domains show on a defender's and a country's pages, without this domain importing them.

``letters`` and ``updates`` sit above ``defenders`` (DESIGN.md section 3), so ``create_app``
(``register_related_items``) registers here, by calling :func:`register`, each one's function
listing its public items for a set of campaigns; the defender and country pages ask for them by
kind. Nothing registers itself on import.
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


def register(kind: str, provider: Callable[[Sequence[int], str], list[Item]]) -> None:
    _PROVIDERS[kind] = provider


def items(kind: str, campaign_ids: Sequence[int], lang: str) -> list[Item]:
    provider = _PROVIDERS.get(kind)
    return provider(campaign_ids, lang) if provider and campaign_ids else []
