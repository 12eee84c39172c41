"""The campaign form, with one block of fields per supported language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    EmailField,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.campaigns.labels import CAMPAIGN_STATUS
from campaign.campaigns.models import SENDER_NAME_MAX
from campaign.forms import (
    EMAIL_MAX,
    SLUG,
    MarkdownField,
    TextsMixin,
    choices,
    email_address,
    language_choices,
    languages,
    plain_text,
    shorter_than,
    strip,
)


class CampaignText(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[Optional(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), filters=[strip], validators=[Length(max=2000)])
    body = MarkdownField(_l("Text (Markdown)"), filters=[strip], validators=[Length(max=50000)])
    demand = TextAreaField(_l("Demand"), filters=[strip], validators=[Length(max=2000)])
    target = StringField(_l("Addressed to"), filters=[strip], validators=[Length(max=300)])

    def is_filled(self) -> bool:
        return any(self.data.values())


class CampaignBase(FlaskForm, TextsMixin):
    _text_field = "title"

    slug = StringField(_l("Address (slug)"), filters=[strip], validators=[DataRequired(), SLUG])
    defender_id = SelectField(_l("Defender"), coerce=int, validate_choice=True)
    status = SelectField(_l("Status"), choices=choices(CAMPAIGN_STATUS.items()))
    default_lang = SelectField(_l("Original language"))
    goal = IntegerField(
        _l("Goal (signatures)"),
        validators=[
            InputRequired(message=_l("Please give a goal of at least 1 signature.")),
            NumberRange(min=1, max=100_000_000, message=_l("The goal must be between 1 and 100,000,000.")),
        ],
    )
    opens_at = DateTimeLocalField(_l("Opens (UTC)"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes (UTC)"), validators=[Optional()])
    partner_ids = SelectMultipleField(_l("Supported by (partner organisations)"), coerce=int, choices=[])
    retention_days = IntegerField(
        _l("Keep signers' names and addresses for this many days after it closes"),
        description=_l("Empty: the site's default. Counts are kept for ever; nothing that names anyone is."),
        validators=[
            Optional(),
            NumberRange(min=0, max=3650, message=_l("Please give a number of days from 0 to 3650.")),
        ],
    )
    #: a display name only (one line: plain_text refuses line breaks): the address stays the site's
    sender_name = StringField(
        _l("Sender name of its update mails"),
        description=_l("Empty: the site's name. The address they come from stays the site's own."),
        filters=[strip],
        validators=[Optional(), shorter_than(SENDER_NAME_MAX), plain_text],
    )
    reply_to = EmailField(
        _l("Replies to its update mails go to"),
        description=_l("Empty: replies go to the address the mails come from."),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX, message=_l("This email address is too long.")),
            email_address,
        ],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.opens_at.data and self.closes_at.data and self.closes_at.data <= self.opens_at.data:
            self.closes_at.errors.append(_l("The closing date must come after the opening date."))
            ok = False
        return self.check_texts() and ok


def campaign_form(**kwargs: Any) -> CampaignBase:
    class CampaignForm(CampaignBase):
        pass

    for lang in languages():
        setattr(CampaignForm, f"text_{lang}", FormField(CampaignText, label=lang))
    form = CampaignForm(**kwargs)
    form.default_lang.choices = language_choices()
    return form
