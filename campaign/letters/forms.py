"""Letter forms. Every message is translatable and names what to fix."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    Field,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from campaign.accounts.organisation_form import web_address
from campaign.forms import (
    AN_ADDRESS_MISSING,
    email_field,
    language_name,
    listed_country,
    per_language,
    plain_text,
    shorter_than,
    strip,
    text_field,
)
from campaign.i18n import countries
from campaign.letters.recipients import RecipientInput

TITLE_MAX = 300
#: about forty pages of text: far more than any letter, far less than the request limit
BODY_MAX = 100_000
COMMENT_MAX = 5_000
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{2,79}")
#: paths under /<lang>/letters/ that a slug must not shadow
RESERVED_SLUGS = {"mine", "new", "address-book", "requests", "awaiting"}
ACTIVE_HTML = re.compile(r"<\s*/?\s*(script|style|iframe|object|embed|form)\b|javascript:|\bon\w+\s*=", re.I)


def no_active_content(form: FlaskForm, field: Field) -> None:
    """Markdown is rendered sanitised anyway; refusing scripts tells the author why they vanished."""
    if ACTIVE_HTML.search(field.data or ""):
        raise ValidationError(
            _("Please remove the script or HTML code: letters use plain text and Markdown.")
        )


def letter_slug(form: FlaskForm, field: Field) -> None:
    if not SLUG.fullmatch(field.data or "") or field.data in RESERVED_SLUGS:
        raise ValidationError(
            _("Use 3 to 80 lower-case letters, digits and hyphens, starting with a letter or digit.")
        )


def _language_choices() -> list[tuple[str, str]]:
    from babel import Locale

    return [(code, Locale.parse(code).display_name or code) for code in current_app.config["LANGUAGES"]]


class TextForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Please enter a title.")),
            Length(
                max=TITLE_MAX, message=_l("Please shorten the title to %(max)d characters.", max=TITLE_MAX)
            ),
            plain_text,
        ],
    )
    body = TextAreaField(
        _l("Text (Markdown)"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Please write the text of the letter.")),
            Length(
                max=BODY_MAX, message=_l("The text is too long: at most %(max)d characters.", max=BODY_MAX)
            ),
            no_active_content,
        ],
    )


class NewLetterForm(TextForm):
    slug = StringField(
        _l("Short name for the address"),
        filters=[strip, lambda value: value.lower() if isinstance(value, str) else value],
        validators=[DataRequired(message=_l("Please choose a short name.")), letter_slug],
    )
    organisation = SelectField(_l("Coordinating organisation"), coerce=int, validate_choice=True)
    default_lang = SelectField(_l("Language"))
    campaign = StringField(
        _l("Campaign (short name, optional)"), filters=[strip], validators=[Optional(), Length(max=80)]
    )

    def __init__(self, organisations: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = organisations
        self.organisation.validators = [DataRequired(message=_l("Please choose an organisation."))]
        self.default_lang.choices = _language_choices()


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Please write a comment.")),
            Length(
                max=COMMENT_MAX,
                message=_l("Please shorten the comment to %(max)d characters.", max=COMMENT_MAX),
            ),
        ],
    )
    parent_id = HiddenField()


class InviteForm(FlaskForm):
    organisation = StringField(
        _l("Organisation (short name)"),
        filters=[strip, lambda value: value.lower() if isinstance(value, str) else value],
        validators=[DataRequired(message=_l("Please enter the organisation's short name.")), Length(max=80)],
    )


class _RecipientFields(FlaskForm):
    """Name, country, address and language, plus per language: name, title and salutation."""

    languages: list[str]

    name = text_field(_l("Name"), 200, required=_l("Please enter the recipient's name."))
    country = SelectField(
        _l("Country"),
        validate_choice=False,
        validators=[DataRequired(message=_l("Please choose a country.")), listed_country],
    )
    email = email_field(_l("Email address"), required=AN_ADDRESS_MISSING)
    lang = SelectField(_l("Language of the letter sent"))

    def input(self) -> RecipientInput:
        return RecipientInput(
            name=self.name.data,
            country=self.country.data,
            email=self.email.data,
            lang=self.lang.data,
            names=per_language(self, "name", self.languages),
            titles=per_language(self, "title", self.languages),
            salutations=per_language(self, "salutation", self.languages),
            notes=self["notes"].data if "notes" in self else "",
        )


def recipient_form(languages: list[str], *, with_notes: bool = False, **kwargs: Any) -> _RecipientFields:
    """A recipient (or address-book entry) form with name, title and salutation per language."""
    fields: dict[str, Field] = {}
    for lang in languages:
        language = language_name(lang)
        fields[f"name_{lang}"] = text_field(
            _l("Name as written in %(language)s (if different)", language=language), 200
        )
        fields[f"title_{lang}"] = text_field(_l("Title in %(language)s", language=language), 200)
        fields[f"salutation_{lang}"] = text_field(_l("Salutation in %(language)s", language=language), 200)
    if with_notes:
        fields["notes"] = TextAreaField(
            _l("Notes (for staff only, never sent)"),
            filters=[strip],
            validators=[shorter_than(5000)],
        )
    form = type("RecipientForm", (_RecipientFields,), fields)(**kwargs)
    form.languages = languages
    form.country.choices = [("", _("Choose a country")), *countries()]
    form.lang.choices = [choice for choice in _language_choices() if choice[0] in languages]
    return form


class PickContactForm(FlaskForm):
    contact_id = SelectField(_l("From the address book"), coerce=int, validate_choice=True)

    def __init__(self, choices: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contact_id.choices = choices


class SignOnForm(FlaskForm):
    """Who signs, in the letter's default language, and how the line reads in its other languages."""

    languages: list[str] = []

    representative = StringField(
        _l("Representative's name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Please enter the name of the person signing.")),
            Length(max=200),
            plain_text,
        ],
    )
    representative_title = StringField(
        _l("Representative's title"), filters=[strip], validators=[Length(max=200), plain_text]
    )

    def representatives(self) -> dict[str, str]:
        return per_language(self, "representative", self.languages)

    def titles(self) -> dict[str, str]:
        return per_language(self, "representative_title", self.languages)


def sign_on_form(other_languages: list[str], **kwargs: Any) -> SignOnForm:
    """The sign-on form with the representative's name and title in each other frozen language."""
    fields: dict[str, Field] = {}
    for lang in other_languages:
        language = language_name(lang)
        fields[f"representative_{lang}"] = text_field(
            _l("Representative's name as written in %(language)s (if different)", language=language), 200
        )
        fields[f"representative_title_{lang}"] = text_field(
            _l("Representative's title in %(language)s", language=language), 200
        )
    form = type("SignOnForm", (SignOnForm,), fields)(**kwargs)
    form.languages = other_languages
    return form


def _in_the_future(form: FlaskForm, field: Field) -> None:
    from campaign.models_base import utcnow

    if field.data is not None and field.data <= utcnow():
        raise ValidationError(_("Please choose a time in the future."))


class ScheduleForm(FlaskForm):
    deliver_at = DateTimeLocalField(
        _l("Deliver at (UTC)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[DataRequired(message=_l("Please enter a date and time.")), _in_the_future],
    )


class SignOnRequestForm(FlaskForm):
    """An organisation not on the platform asks to sign (DESIGN.md: the public letter page's form)."""

    class Meta:
        #: a public form: its token is not the session's (see campaign.public_forms)
        csrf = False

    organisation = text_field(_l("Organisation"), 200, required=_l("Please enter your organisation's name."))
    city = text_field(_l("City"), 120, required=_l("Please enter your organisation's city."))
    country = SelectField(
        _l("Country"),
        validate_choice=False,
        validators=[DataRequired(message=_l("Please choose a country.")), listed_country],
    )
    website = StringField(
        _l("Website (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            shorter_than(300),
            web_address,
        ],
    )
    representative = text_field(
        _l("Representative's name"), 200, required=_l("Please enter the name of the person signing.")
    )
    title = text_field(_l("Representative's title"), 200)
    email = email_field(_l("Contact email address"), required=AN_ADDRESS_MISSING)
    digest = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _("Choose a country")), *countries()]


class ActionForm(FlaskForm):
    """A button that changes state: just the CSRF token."""
