"""The signing form. Every message is translatable and names what to fix."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from campaign.forms import email_field, listed_country, plain_text, strip
from campaign.i18n import countries

NAME_MAX = 100


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
    #: a honeypot: hidden from people by CSS, filled in by bots
    website = StringField(_l("Leave this field empty"))
