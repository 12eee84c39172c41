"""What the forms of every domain share: filters, validators, slugs, choices, and (for staff
forms) one block of fields per language.

Kept beside the domains (infrastructure), so that ``accounts`` or ``letters`` check a name or
an address the way signing does without importing the signatures domain. The per-language
blocks are built for ``app.config["LANGUAGES"]`` when a form is made, so a new language needs
no code. A language whose block is left empty is simply missing.
"""

from __future__ import annotations

import re
from typing import Any

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import EmailField, Field, Form, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from campaign.extensions import db
from campaign.i18n import is_country
from campaign.mailcheck import can_receive
from campaign.scripts import has_hidden_characters
from campaign.source_versions import follow_source

SLUG = Regexp(
    re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$"),
    message=_l("Use 2 to 80 lower-case letters, digits and hyphens, like free-roza."),
)
#: how many empty rows the repeated lists (timeline, sources, hearings…) offer for adding
SPARE_ROWS = 2


#: the longest address SMTP carries (RFC 5321's 256-octet path, less its angle brackets)
EMAIL_MAX = 254


#: what an empty address field says: on a form about the person filling it, and on any other
YOUR_ADDRESS_MISSING = _l("Please enter your email address.")
AN_ADDRESS_MISSING = _l("Please enter an email address.")


def email_field(label: Any, required: Any = YOUR_ADDRESS_MISSING) -> EmailField:
    """The address a person types into a form: stripped, required (``required`` is what they
    are told when it is missing), of a length SMTP carries, and deliverable (:func:`email_address`)."""
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired(message=required),
            Length(max=EMAIL_MAX, message=_l("This email address is too long.")),
            email_address,
        ],
    )


def choices(pairs: Any) -> list[SelectChoice]:
    """WTForms 3.3 deprecates (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: Any) -> Any:
    """Filter: surrounding white space is never meant (a pasted name, a trailing newline)."""
    return value.strip() if isinstance(value, str) else value


def strip_lower(value: Any) -> Any:
    """Filter for codes and short names compared case-insensitively."""
    return value.strip().lower() if isinstance(value, str) else value


def known_country(form: Form, field: Any) -> None:
    """A country code typed by staff (upper-cased by the check)."""
    if not is_country((field.data or "").upper()):
        raise ValidationError(_l("Please give a two-letter country code, like KZ."))


def listed_country(form: Form, field: Field) -> None:
    """A country chosen from the list of a public form."""
    if not is_country(field.data or ""):
        raise ValidationError(_("Please choose your country from the list."))


def plain_text(form: Form, field: Field) -> None:
    """Reject hidden characters (joiners apart) and markup brackets: a name is never code."""
    value = field.data or ""
    if has_hidden_characters(value):
        raise ValidationError(_("Please remove invisible control characters."))
    if "<" in value or ">" in value:
        raise ValidationError(_("Please use letters only, without < or >."))


def email_address(form: Form, field: Field) -> None:
    """A valid address in any script (``иван@почта.рф``) that our mail server can deliver to."""
    try:
        field.data = validate_email(field.data or "", check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationError(_("Please enter a valid email address, like name@example.org.")) from error
    if not can_receive(field.data):
        raise ValidationError(
            _(
                "We cannot send mail to this address: our mail server does not accept letters other "
                "than Latin ones before the @. Please give another address."
            )
        )


def language_name(lang: str) -> str:
    """A language as a per-language field's label names it: in its own words ("Русский")."""
    return (Locale.parse(lang).display_name or lang).capitalize()


def shorter_than(limit: int) -> Length:
    return Length(max=limit, message=_l("Please shorten this to %(max)d characters.", max=limit))


def text_field(label: Any, limit: int, required: Any = None) -> StringField:
    """A line of plain text, such as one language's version of a name or a title: optional, or
    ``required`` with that message when left empty."""
    needed = [DataRequired(message=required)] if required else []
    return StringField(label, filters=[strip], validators=[*needed, shorter_than(limit), plain_text])


def per_language(form: Form, prefix: str, langs: list[str]) -> dict[str, str]:
    """What the ``<prefix>_<lang>`` fields of ``form`` hold, by language."""
    return {lang: form[f"{prefix}_{lang}"].data or "" for lang in langs}


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def language_choices() -> list[SelectChoice]:
    return choices((code, code) for code in languages())


class MarkdownField(TextAreaField):
    """A Markdown text: a tall box, and the editors' "Preview" button renders it beside the box."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"rows": 18})
        super().__init__(*args, **kwargs)


def wants_preview() -> bool:
    """The editor's form was sent with its "Preview" button: render the draft, save nothing."""
    return request.method == "POST" and "preview" in request.form


class TextsMixin:
    """Per-language blocks: ``text_<lang>`` sub-forms, with the checks every language shares."""

    _text_field: str

    def texts(self) -> dict[str, Form]:
        return {lang: getattr(self, f"text_{lang}").form for lang in languages()}

    def missing_languages(self) -> list[str]:
        return [lang for lang, text in self.texts().items() if not getattr(text, self._text_field).data]

    def check_texts(self) -> bool:
        ok = True
        default = self.default_lang.data  # type: ignore[attr-defined]  # every form using the mixin has one
        for lang, text in self.texts().items():
            required = getattr(text, self._text_field)
            if (lang == default or text.is_filled()) and not required.data:
                required.errors.append(
                    _l("Please fill this in: it is required for each language you write in.")
                )
                ok = False
        return ok


def slug_taken(model: Any, slug: str, own_id: int | None) -> bool:
    found = db.session.scalar(select(model.id).where(model.slug == slug))
    return found is not None and found != own_id


def sync_translations(
    translations: dict[str, Any], form: TextsMixin, fields: tuple[str, ...], make: Any
) -> None:
    """Write each filled language block; drop a language whose block was emptied.

    A translation written anew or changed is taken to follow the source text as saved; one left
    as it was keeps the version it was made from (and is out of date if the source changed).
    """
    written = []
    for lang, text in form.texts().items():
        if not text.is_filled():
            translations.pop(lang, None)
            continue
        translation = translations.get(lang) or make(lang=lang)
        values = {name: getattr(text, name).data or "" for name in fields}
        changed = any(getattr(translation, name) != value for name, value in values.items())
        if lang not in translations or changed:
            written.append(lang)
        for name, value in values.items():
            setattr(translation, name, value)
        translations[lang] = translation
    follow_source(translations, form.default_lang.data, written)  # type: ignore[attr-defined]
