"""The organisation profile form: a name and a short description per supported language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from campaign.forms import (
    email_address,
    language_name,
    per_language,
    shorter_than,
    strip,
    text_field,
)
from campaign.i18n import countries, is_country

NAME_MAX = 200
DESCRIPTION_MAX = 1000


def web_address(form: FlaskForm, field: Field) -> None:
    value = field.data or ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ValidationError(_("Please enter a web address starting with https:// or http://."))


def optional_country(form: FlaskForm, field: Field) -> None:
    if field.data and not is_country(field.data):
        raise ValidationError(_("Please choose the country from the list."))


class _ProfileFields(FlaskForm):
    city = text_field(_l("City"), 120)
    country = SelectField(_l("Country"), validate_choice=False, validators=[optional_country])
    website = StringField(
        _l("Website"),
        filters=[strip],
        validators=[
            Optional(),
            shorter_than(300),
            web_address,
        ],
    )
    contact_email = EmailField(
        _l("Public contact address (recipients of your letters reply to it)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254, message=_l("This email address is too long.")),
            email_address,
        ],
    )
    logo = FileField(_l("Logo (PNG, JPEG, GIF or WebP, up to 2 MB)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _("No country")), *countries()]

    def names(self) -> dict[str, str]:
        return per_language(self, "name", current_app.config["LANGUAGES"])

    def descriptions(self) -> dict[str, str]:
        return per_language(self, "description", current_app.config["LANGUAGES"])

    def cities(self) -> dict[str, str]:
        return per_language(self, "city", current_app.config["LANGUAGES"])

    def postal_addresses(self) -> dict[str, str]:
        return per_language(self, "address", current_app.config["LANGUAGES"])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not any(self.names().values()):
            first = self[f"name_{current_app.config['LANGUAGES'][0]}"]
            first.errors = [
                *first.errors,
                _("Please enter the organisation's name in at least one language."),
            ]
            return False
        return valid


def profile_form(**kwargs: Any) -> _ProfileFields:
    """Build the form with one name and one description field per supported language."""
    fields: dict[str, Field] = {}
    for lang in current_app.config["LANGUAGES"]:
        language = language_name(lang)
        fields[f"name_{lang}"] = text_field(_l("Name in %(language)s", language=language), NAME_MAX)
        fields[f"city_{lang}"] = text_field(_l("City in %(language)s (if different)", language=language), 120)
        fields[f"address_{lang}"] = TextAreaField(
            _l("Postal address in %(language)s (printed on your letterhead)", language=language),
            filters=[strip],
            validators=[shorter_than(500)],
        )
        fields[f"description_{lang}"] = TextAreaField(
            _l("Short description in %(language)s", language=language),
            filters=[strip],
            validators=[shorter_than(DESCRIPTION_MAX)],
        )
    form_class = type("ProfileForm", (_ProfileFields,), fields)
    return form_class(**kwargs)
