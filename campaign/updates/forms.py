"""Forms of the updates package: composing, scheduling, test sends, and one-button confirmations."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, Field, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from campaign.forms import MarkdownField, email_field
from campaign.i18n import is_country
from campaign.scripts import has_hidden_characters
from campaign.updates.audience import Segment
from campaign.updates.models import SUBJECT_MAX
from campaign.updates.personal import unknown_tokens

BODY_MAX = 50_000


def one_line(form: FlaskForm, field: Field) -> None:
    """A subject goes into a mail header: no control characters, no line breaks."""
    if has_hidden_characters(field.data or ""):
        raise ValidationError(_("Please remove line breaks and invisible control characters."))


def known_tokens(form: FlaskForm, field: Field) -> None:
    """Only ``{name}`` is filled in: another word in braces is a typo that would reach every reader."""
    unknown = unknown_tokens(field.data or "")
    if unknown:
        raise ValidationError(
            _(
                "Only {name} is filled in for each reader; please correct or remove: %(tokens)s.",
                tokens=", ".join(unknown),
            )
        )


class ForgetForm(FlaskForm):
    """The forget-me page: a public form (campaign.public_forms), so no session token."""

    class Meta:
        csrf = False

    email = email_field(_l("Your email address"))


class ConfirmForm(FlaskForm):
    """Only the CSRF token, for a page whose one button confirms an action."""


class UpdateTextForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=[])
    subject = StringField(
        _l("Subject"),
        validators=[
            DataRequired(_l("Please write a subject.")),
            Length(max=SUBJECT_MAX, message=_l("Please shorten the subject to %(max)d characters.")),
            one_line,
            known_tokens,
        ],
    )
    body = MarkdownField(
        _l("Text (Markdown)"),
        validators=[
            DataRequired(_l("Please write the text.")),
            Length(max=BODY_MAX, message=_l("Please shorten the text to %(max)d characters.")),
            known_tokens,
        ],
    )


class TestSendForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=[])


def _country(form: FlaskForm, field: Field) -> None:
    if field.data and not is_country(field.data):
        raise ValidationError(_("Please give a two-letter country code, like KZ."))


def _listed_source(form: FlaskForm, field: Field) -> None:
    """Only a partner link offered (the view sets the choices): anything else is refused, not stored."""
    if field.data and field.data not in {value for value, _label in field.choices or []}:
        raise ValidationError(_("Please choose a partner link from the list."))


class AudienceForm(FlaskForm):
    """Who gets the update: every field left empty takes everyone."""

    lang = SelectField(_l("Language"), choices=[])
    country = StringField(
        _l("Country code"),
        filters=[lambda value: value.strip().upper() if isinstance(value, str) else value],
        validators=[Optional(), _country],
    )
    #: "" for every link, or one partner link that brought signers (choices set by the view)
    source = SelectField(_l("Partner link"), choices=[], validate_choice=False, validators=[_listed_source])
    since = DateTimeLocalField(
        _l("Signed from (UTC)"), validators=[Optional()], format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
    )
    until = DateTimeLocalField(
        _l("Signed before (UTC)"), validators=[Optional()], format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
    )

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.since.data and self.until.data and self.since.data >= self.until.data:
            self.until.errors.append(_("The end must come after the start."))
            return False
        return True

    def segment(self) -> Segment:
        return Segment(
            lang=self.lang.data or None,
            country=self.country.data or None,
            source=self.source.data or None,
            since=self.since.data,
            until=self.until.data,
        )


class ScheduleForm(FlaskForm):
    scheduled_at = DateTimeLocalField(
        _l("Send at (UTC)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Please give a date and time, for example 2030-05-01 09:00."))],
    )
