"""The defender form: a block of fields per supported language, the case record, the timeline, the sources."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
)
from wtforms.validators import URL, DataRequired, Length, Optional

from campaign.defenders.labels import DEFENDER_STATUS
from campaign.defenders.models import FACT_KINDS, Defender
from campaign.defenders.record_forms import PartialDateField, check_row, fact_row_class
from campaign.forms import (
    SLUG,
    SPARE_ROWS,
    MarkdownField,
    TextsMixin,
    choices,
    email_field,
    known_country,
    language_choices,
    languages,
    strip,
)


class DefenderText(Form):
    name = StringField(_l("Name"), filters=[strip], validators=[Optional(), Length(max=200)])
    occupation = StringField(_l("Occupation"), filters=[strip], validators=[Length(max=200)])
    bio = MarkdownField(_l("Biography (Markdown)"), filters=[strip], validators=[Length(max=50000)])

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


def _timeline_row_class() -> type[Form]:
    class TimelineRow(Form):
        happened_on = PartialDateField(_l("Date (2011, 2011-12 or 2011-12-16)"), validators=[Optional()])

    for lang in languages():
        setattr(
            TimelineRow,
            f"text_{lang}",
            StringField(lang, filters=[strip], validators=[Length(max=1000)]),
        )
    return TimelineRow


class DefenderBase(FlaskForm, TextsMixin):
    _text_field = "name"

    slug = StringField(_l("Address (slug)"), filters=[strip], validators=[DataRequired(), SLUG])
    country = StringField(
        _l("Country code"),
        filters=[lambda value: strip(value).upper() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("Please give a two-letter country code, like KZ.")),
            known_country,
        ],
    )
    status = SelectField(_l("Present status"), choices=choices(DEFENDER_STATUS.items()))
    default_lang = SelectField(_l("Original language"))
    photo = FileField(_l("Photo (JPEG, PNG or WebP)"))
    remove_photo = BooleanField(_l("Remove the photo (the page shows the defender's initials)"))
    is_public = BooleanField(_l("Show in the public register of defenders"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for row in self.timeline:
            texts = [getattr(row.form, f"text_{lang}").data for lang in languages()]
            if any(texts) and not row.form.happened_on.data:
                row.form.happened_on.errors.append(_l("Please give the date of this event."))
                ok = False
            elif row.form.happened_on.data and not any(texts):
                row.form.happened_on.errors.append(_l("Please describe this event in at least one language."))
                ok = False
        for kind in FACT_KINDS:
            for row in getattr(self, f"facts_{kind}"):
                ok = check_row(row.form, kind) and ok
        for row in self.sources:
            if row.form.url.data and not row.form.title.data:
                row.form.title.errors.append(_l("Please give the source a title."))
                ok = False
        return self.check_texts() and ok


def defender_form(defender: Defender | None = None, **kwargs: Any) -> DefenderBase:
    """The form, with room for each list's rows of ``defender`` and a few spare ones."""

    class DefenderForm(DefenderBase):
        timeline = FieldList(
            FormField(_timeline_row_class()),
            min_entries=len(defender.timeline if defender else ()) + SPARE_ROWS,
        )
        sources = FieldList(
            FormField(SourceRow), min_entries=len(defender.sources if defender else ()) + SPARE_ROWS
        )

    for kind in FACT_KINDS:
        rows = len(defender.facts_of(kind)) if defender else 0
        setattr(
            DefenderForm, f"facts_{kind}", FieldList(FormField(fact_row_class(kind)), min_entries=rows + 1)
        )

    for lang in languages():
        setattr(DefenderForm, f"text_{lang}", FormField(DefenderText, label=lang))
    form = DefenderForm(**kwargs)
    form.default_lang.choices = language_choices()
    return form


class FollowForm(FlaskForm):
    class Meta:
        csrf = False

    email = email_field(_l("Your email address"))
    #: left empty by people; filled by bots that fill every field
    website = StringField(_l("Leave this empty"))
