"""The signing form. Every message is translatable and names what to fix."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, Form, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from campaign.defenders.models import MESSAGE_MAX
from campaign.forms import email_field, listed_country, plain_text, strip
from campaign.i18n import countries
from campaign.scripts import has_hidden_characters

NAME_MAX = 100


def message_lines(value: Any) -> Any:
    """Filter: one kind of line break (a browser sends CRLF), no white space around the text."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) else value


def message_text(form: Form, field: Field) -> None:
    """Lines of text in any script: line breaks and tabs, and nothing else invisible."""
    if has_hidden_characters((field.data or "").replace("\n", "").replace("\t", "")):
        raise ValidationError(_("Please remove invisible control characters."))


class SignForm(FlaskForm):
    class Meta:
        #: a public form: its token is not the session's (see campaign.public_forms)
        csrf = False

    name = StringField(
        _l("Your name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Please enter your name.")),
            Length(max=NAME_MAX, message=_l("Please shorten your name to %(max)d characters.", max=NAME_MAX)),
            plain_text,
        ],
    )
    email = email_field(_l("Your email address"))
    country = SelectField(
        _l("Your country"),
        # read only when the form is drawn: a POST is checked against the ISO codes alone
        choices=lambda: [("", _("Choose your country")), *countries()],
        validate_choice=False,
        validators=[DataRequired(message=_l("Please choose your country.")), listed_country],
    )
    show_name = BooleanField(_l("Show my name in the public list of signers"))
    consent_updates = BooleanField(_l("Send me updates about this campaign"))
    #: offered only on a partner's link, labelled there with the partner's name (the template's);
    #: ticked without one, it is ignored (campaign.signatures.views)
    partner_may_contact = BooleanField()
    #: offered only where the campaign is for a defender (a message elsewhere is dropped)
    message = TextAreaField(
        _l("A message of solidarity (optional)"),
        filters=[message_lines],
        validators=[
            Length(
                max=MESSAGE_MAX,
                message=_l("Please shorten your message to %(max)d characters.", max=MESSAGE_MAX),
            ),
            message_text,
        ],
    )
    message_public = BooleanField(_l("My message may be shown on the defender's public page"))
    #: a honeypot: hidden from people by CSS, filled in by bots
    website = StringField(_l("Leave this field empty"))
