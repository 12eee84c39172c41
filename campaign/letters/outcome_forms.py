"""The follow-up's forms: an outcome, a deadline, what is public, a hand delivery, a redelivery."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from campaign.forms import choices, email_address, plain_text, strip
from campaign.letters.labels import HANDED_CHANNELS, OUTCOME_LABELS
from campaign.letters.scans import MAX_MB
from campaign.models_base import utcnow

RESPONSE_MAX = 20_000
NOTE_MAX = 5_000


def _not_in_the_future(form: FlaskForm, field: Field) -> None:
    if field.data and field.data > utcnow().date():
        raise ValidationError(_("The date cannot be in the future."))


def _short(label: str, max_length: int, required: str | None = None) -> StringField:
    validators: list = [DataRequired(message=required)] if required else [Optional()]
    message = _l("Please shorten this to %(max)d characters.", max=max_length)
    return StringField(
        label, filters=[strip], validators=[*validators, Length(max=max_length, message=message), plain_text]
    )


def _note() -> TextAreaField:
    return TextAreaField(
        _l("Private note (only your organisation sees it)"),
        filters=[strip],
        validators=[
            Length(max=NOTE_MAX, message=_l("Please shorten this to %(max)d characters.", max=NOTE_MAX))
        ],
    )


def _day(label: str) -> DateField:
    return DateField(label, validators=[DataRequired(message=_l("Please enter a date.")), _not_in_the_future])


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=choices(OUTCOME_LABELS.items()))
    occurred_on = _day(_l("On"))
    registration_number = _short(_l("Registration number"), 100)
    response = TextAreaField(
        _l("The answer's text"),
        filters=[strip],
        validators=[
            Length(
                max=RESPONSE_MAX, message=_l("Please shorten this to %(max)d characters.", max=RESPONSE_MAX)
            )
        ],
    )
    scan = FileField(_l("Scan of the answer (PDF, JPEG or PNG, up to %(size)d MB)", size=MAX_MB))
    note = _note()


class DeadlineForm(FlaskForm):
    days = IntegerField(
        _l("Days the recipient has to answer, from delivery"),
        validators=[
            DataRequired(message=_l("Please enter a number of days.")),
            NumberRange(
                min=1, max=365, message=_l("Please enter between %(min)d and %(max)d days.", min=1, max=365)
            ),
        ],
    )


class PublicationForm(FlaskForm):
    registration = BooleanField(_l("Show the registration number on the public page"))
    response = BooleanField(_l("Publish the answer on the public page"))


class HandedForm(FlaskForm):
    channel = SelectField(_l("Channel"), choices=choices(HANDED_CHANNELS.items()))
    delivered_on = _day(_l("Delivered on"))
    by_whom = _short(_l("Delivered by"), 200, _l("Please say who delivered it."))
    place = _short(_l("Where"), 300)
    tracking = _short(_l("Tracking number"), 100)
    scan = FileField(_l("Scan of the receipt (PDF, JPEG or PNG, up to %(size)d MB)", size=MAX_MB))
    note = _note()


class RedeliverForm(FlaskForm):
    email = EmailField(
        _l("Corrected address"),
        filters=[strip],
        validators=[DataRequired(message=_l("Please enter an email address.")), email_address],
    )
