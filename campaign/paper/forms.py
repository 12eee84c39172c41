"""The two ways of entering paper signatures: a sheet by count, and a CSV list of named signers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from campaign.forms import known_country, strip


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


class _Common(FlaskForm):
    country = StringField(
        _l("Country code"),
        filters=[_upper],
        validators=[Optional(), known_country],
    )
    collected_on = DateField(_l("Collected on"), validators=[Optional()])
    organisation = SelectField(_l("Collected by"), coerce=int, default=0)
    note = StringField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=300)])


class SheetForm(_Common):
    count = IntegerField(
        _l("Signatures on the sheet"),
        validators=[
            DataRequired(_l("Please give how many people signed.")),
            NumberRange(min=1, max=100000, message=_l("Please give a number from 1 to 100,000.")),
        ],
    )
    scan = FileField(_l("Scan of the sheet (JPEG or PNG, up to 10 MB)"))


class ImportForm(_Common):
    file = FileField(
        _l("CSV file with a name column, and optionally email and country"),
        validators=[FileRequired(_l("Please choose a CSV file."))],
    )
