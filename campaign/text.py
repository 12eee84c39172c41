"""User-written Markdown, rendered and sanitised (nh3, the Rust ammonia sanitiser)."""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "code",
    "pre",
    "hr",
    "del",
}


@lru_cache(maxsize=512)
def render_markdown(source: str) -> Markup:
    """Markdown to safe HTML: no scripts, no styles, links only to http(s) and mailto."""
    html = markdown.markdown(source or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised just above
