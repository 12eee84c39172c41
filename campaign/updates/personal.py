"""Personalisation of an update: ``{name}`` in its subject or text becomes each reader's name.

The one token is ``{name}``. Any other ``{word}`` (a typo such as ``{nmae}``) is refused by the
form, so that it never reaches thousands of mailboxes as typed; braces around anything but a
word (``{ }``, ``{"a": 1}``, a lone ``{``) are left as they are.

A name is never Markdown or HTML: the text is rendered with a random slot where the name goes,
and the name is put into the slot afterwards, escaped in the HTML part and as typed in the plain
text part and the subject (which the MIME writer encodes). So ``**x**`` reads as ``**x**`` and
``<script>`` as ``&lt;script&gt;``. Someone without a stored name reads a neutral word instead
(:func:`fallback_name`), in the language of the text they get.
"""

from __future__ import annotations

import re
import secrets

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from campaign.text import render_markdown

NAME = "{name}"
#: what could be meant as a token: a word in braces
_TOKEN = re.compile(r"\{([^\W\d]\w*)\}")
KNOWN = frozenset({"name"})

#: stands for the name in text rendered once for every reader; random, so no text contains it
NAME_SLOT = "n" + secrets.token_hex(16)


def unknown_tokens(text: str) -> list[str]:
    """The ``{word}`` tokens of ``text`` that are not ours, each once, as typed."""
    found = dict.fromkeys(f"{{{word}}}" for word in _TOKEN.findall(text or "") if word not in KNOWN)
    return list(found)


def with_slot(text: str) -> str:
    return text.replace(NAME, NAME_SLOT)


def fallback_name(lang: str) -> str:
    """What stands for the name of someone we have no name for, in ``lang``."""
    with force_locale(lang):
        # TRANSLATORS: put in an update in place of a supporter's name we do not have ("Dear {name},")
        return _("friend")


def sample_name(lang: str) -> str:
    """The name the campaigner's preview shows, in ``lang``."""
    with force_locale(lang):
        # TRANSLATORS: a common first name in your language, shown in previews where a supporter's name goes
        return _("Anna")


def reader_name(name: str | None, lang: str) -> str:
    """The name as it goes into the mail: one line (it may land in the subject), or the fallback."""
    written = " ".join((name or "").split())
    return written or fallback_name(lang)


def fill(text: str, name: str) -> str:
    """Plain text (a subject, the text part) rendered with :data:`NAME_SLOT`, with the name in."""
    return text.replace(NAME_SLOT, name)


def fill_html(html: str, name: str) -> str:
    """HTML rendered with :data:`NAME_SLOT`, with the name in, escaped (it is never markup)."""
    return html.replace(NAME_SLOT, str(escape(name)))


def personalised(text: str, name: str) -> str:
    """``text`` with the name in, for text that is not rendered (a subject, public text)."""
    return text.replace(NAME, name)


def preview(subject: str, body: str, lang: str, name: str | None = None) -> tuple[str, Markup]:
    """Subject and HTML body as a reader named ``name`` (the sample name by default) sees them."""
    name = reader_name(name or sample_name(lang), lang)
    html = fill_html(str(render_markdown(with_slot(body))), name)
    return personalised(subject, name), Markup(html)  # noqa: S704 - sanitised, the name escaped
