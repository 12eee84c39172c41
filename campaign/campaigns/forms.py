"""Forms for defenders and campaigns, with one block of fields per supported language.

The per-language blocks are built for ``app.config["LANGUAGES"]`` when a form is made, so a
new language needs no code. A language whose block is left empty is simply missing.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from campaign.campaigns.labels import CAMPAIGN_STATUS, DEFENDER_STATUS
from campaign.forms import choices, strip
from campaign.i18n import is_country

SLUG = Regexp(
    re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$"),
    message=_l("Use 2 to 80 lower-case letters, digits and hyphens, like free-roza."),
)
#: how many empty rows the timeline and source lists offer for adding
SPARE_ROWS = 2


def _known_country(form: Form, field: Any) -> None:
    if not is_country((field.data or "").upper()):
        raise ValidationError(_l("Please give a two-letter country code, like KZ."))


class CampaignText(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[Optional(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), filters=[strip], validators=[Length(max=2000)])
    body = TextAreaField(_l("Text (Markdown)"), filters=[strip], validators=[Length(max=50000)])
    demand = TextAreaField(_l("Demand"), filters=[strip], validators=[Length(max=2000)])
    target = StringField(_l("Addressed to"), filters=[strip], validators=[Length(max=300)])

    def is_filled(self) -> bool:
        return any(self.data.values())


class DefenderText(Form):
    name = StringField(_l("Name"), filters=[strip], validators=[Optional(), Length(max=200)])
    occupation = StringField(_l("Occupation"), filters=[strip], validators=[Length(max=200)])
    charges = TextAreaField(_l("Charges"), filters=[strip], validators=[Length(max=5000)])
    sentence = TextAreaField(_l("Sentence"), filters=[strip], validators=[Length(max=5000)])
    bio = TextAreaField(_l("Biography (Markdown)"), filters=[strip], validators=[Length(max=50000)])

    def is_filled(self) -> bool:
        return any(self.data.values())


class SourceRow(Form):
    url = StringField(
        _l("Link"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=True, message=_l("Please give a full link starting with https://.")),
        ],
    )
    title = StringField(_l("Title"), filters=[strip], validators=[Length(max=300)])


def _languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def _language_choices() -> list[SelectChoice]:
    return choices((code, code) for code in _languages())


def _timeline_row_class() -> type[Form]:
    class TimelineRow(Form):
        happened_on = DateField(_l("Date"), validators=[Optional()])

    for lang in _languages():
        setattr(
            TimelineRow,
            f"text_{lang}",
            StringField(lang, filters=[strip], validators=[Length(max=1000)]),
        )
    return TimelineRow


class _TextsMixin:
    """Per-language blocks: ``text_<lang>`` sub-forms, with the checks every language shares."""

    _text_field: str

    def texts(self) -> dict[str, Form]:
        return {lang: getattr(self, f"text_{lang}").form for lang in _languages()}

    def missing_languages(self) -> list[str]:
        return [lang for lang, text in self.texts().items() if not getattr(text, self._text_field).data]

    def check_texts(self) -> bool:
        ok = True
        default = self.default_lang.data  # type: ignore[attr-defined]
        for lang, text in self.texts().items():
            required = getattr(text, self._text_field)
            if (lang == default or text.is_filled()) and not required.data:  # type: ignore[attr-defined]
                required.errors.append(
                    _l("Please fill this in: it is required for each language you write in.")
                )
                ok = False
        return ok


class CampaignBase(FlaskForm, _TextsMixin):
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

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.opens_at.data and self.closes_at.data and self.closes_at.data <= self.opens_at.data:
            self.closes_at.errors.append(_l("The closing date must come after the opening date."))
            ok = False
        return self.check_texts() and ok


class DefenderBase(FlaskForm, _TextsMixin):
    _text_field = "name"

    slug = StringField(_l("Address (slug)"), filters=[strip], validators=[DataRequired(), SLUG])
    country = StringField(
        _l("Country code"),
        filters=[lambda value: strip(value).upper() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("Please give a two-letter country code, like KZ.")),
            _known_country,
        ],
    )
    status = SelectField(_l("Status"), choices=choices(DEFENDER_STATUS.items()))
    default_lang = SelectField(_l("Original language"))
    photo = FileField(_l("Photo (JPEG, PNG or WebP)"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for row in self.timeline:  # type: ignore[attr-defined]
            texts = [getattr(row.form, f"text_{lang}").data for lang in _languages()]
            if any(texts) and not row.form.happened_on.data:
                row.form.happened_on.errors.append(_l("Please give the date of this event."))
                ok = False
            elif row.form.happened_on.data and not any(texts):
                row.form.happened_on.errors.append(_l("Please describe this event in at least one language."))
                ok = False
        for row in self.sources:  # type: ignore[attr-defined]
            if row.form.url.data and not row.form.title.data:
                row.form.title.errors.append(_l("Please give the source a title."))
                ok = False
        return self.check_texts() and ok


def campaign_form(**kwargs: Any) -> CampaignBase:
    class CampaignForm(CampaignBase):
        pass

    for lang in _languages():
        setattr(CampaignForm, f"text_{lang}", FormField(CampaignText, label=lang))
    form = CampaignForm(**kwargs)
    form.default_lang.choices = _language_choices()
    return form


def defender_form(rows: int = 0, source_rows: int = 0, **kwargs: Any) -> DefenderBase:
    class DefenderForm(DefenderBase):
        timeline = FieldList(FormField(_timeline_row_class()), min_entries=rows + SPARE_ROWS)
        sources = FieldList(FormField(SourceRow), min_entries=source_rows + SPARE_ROWS)

    for lang in _languages():
        setattr(DefenderForm, f"text_{lang}", FormField(DefenderText, label=lang))
    form = DefenderForm(**kwargs)
    form.default_lang.choices = _language_choices()
    return form
