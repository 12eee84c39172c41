"""The signing form. Every message is translatable and names what to fix."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from campaign.i18n import countries, is_country
from campaign.mailcheck import can_receive
from campaign.scripts import has_hidden_characters

NAME_MAX = 100
EMAIL_MAX = 254


def plain_text(form: FlaskForm, field: Field) -> None:
    """Reject hidden characters (joiners apart) and markup brackets: a name is never code."""
    value = field.data or ""
    if has_hidden_characters(value):
        raise ValidationError(_("Please remove invisible control characters."))
    if "<" in value or ">" in value:
        raise ValidationError(_("Please use letters only, without < or >."))


def email_address(form: FlaskForm, field: Field) -> None:
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


def known_country(form: FlaskForm, field: Field) -> None:
    if not is_country(field.data or ""):
        raise ValidationError(_("Please choose your country from the list."))


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class SignForm(FlaskForm):
    class Meta:
        #: a public form: its token is not the session's (see campaign.public_forms)
        csrf = False

    name = StringField(
        _l("Your name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter your name.")),
            Length(max=NAME_MAX, message=_l("Please shorten your name to %(max)d characters.", max=NAME_MAX)),
            plain_text,
        ],
    )
    email = EmailField(
        _l("Your email address"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter your email address.")),
            Length(max=EMAIL_MAX, message=_l("This email address is too long.")),
            email_address,
        ],
    )
    country = SelectField(
        _l("Your country"),
        # read only when the form is drawn: a POST is checked against the ISO codes alone
        choices=lambda: [("", _("Choose your country")), *countries()],
        validate_choice=False,
        validators=[DataRequired(message=_l("Please choose your country.")), known_country],
    )
    show_name = BooleanField(_l("Show my name in the public list of signers"))
    consent_updates = BooleanField(_l("Send me updates about this campaign"))
    #: a honeypot: hidden from people by CSS, filled in by bots
    website = StringField(_l("Leave this field empty"))
