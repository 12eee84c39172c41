"""The rows of a case record in the defender form: one list per kind of fact.

Each row carries its date (as precise as known), its wording in every language, its source and
the day it was last checked. A row left empty is dropped.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, Form, SelectField, StringField
from wtforms.validators import URL, Length, Optional

from campaign.defenders.dates import PartialDate
from campaign.defenders.labels import DEFENDER_STATUS
from campaign.defenders.models import CHARGE, DETENTION, HEARING, SENTENCE, STATUS
from campaign.forms import choices, languages, strip

#: what each kind's per-language wording is called in the form
TEXT_LABEL = {
    DETENTION: _l("Place of detention"),
    CHARGE: _l("Charge"),
    HEARING: _l("Court"),
    SENTENCE: _l("Sentence"),
}
DATE_LABEL = {
    STATUS: _l("Since"),
    DETENTION: _l("Detained there since"),
    CHARGE: _l("Charged on"),
    HEARING: _l("Date of the hearing"),
    SENTENCE: _l("Sentenced on"),
}


class PartialDateField(StringField):
    """A date written as ``2011``, ``2011-12`` or ``2011-12-16``; ``data`` is a PartialDate."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = PartialDate.parse(text)
            except ValueError:
                self.raw_data = [text]
                raise ValueError(
                    _l("Please give a date as a year, a month or a day: 2011, 2011-12 or 2011-12-16.")
                ) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.data.iso() if isinstance(self.data, PartialDate) else ""


def _source_fields(row: type[Form]) -> None:
    row.source_url = StringField(
        _l("Source (link)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=True, message=_l("Please give a full link starting with https://.")),
        ],
    )
    row.source_title = StringField(_l("Source (title)"), filters=[strip], validators=[Length(max=300)])
    row.verified_on = DateField(_l("Last verified"), validators=[Optional()])


def fact_row_class(kind: str) -> type[Form]:
    """The row form of one kind of fact, with a wording field per enabled language."""

    class FactRow(Form):
        happened_on = PartialDateField(DATE_LABEL[kind], validators=[Optional()])

    if kind == STATUS:
        FactRow.status = SelectField(
            _l("Status"), choices=choices([("", "—"), *DEFENDER_STATUS.items()]), default=""
        )
    if kind == CHARGE:
        FactRow.article = StringField(
            _l("Article of the code"), filters=[strip], validators=[Length(max=200)]
        )
    if kind != STATUS:
        for lang in languages():
            setattr(
                FactRow, f"text_{lang}", StringField(lang, filters=[strip], validators=[Length(max=2000)])
            )
    if kind == HEARING:
        for lang in languages():
            setattr(
                FactRow, f"outcome_{lang}", StringField(lang, filters=[strip], validators=[Length(max=2000)])
            )
    _source_fields(FactRow)
    return FactRow


def row_texts(row: Form, prefix: str) -> dict[str, str]:
    """The row's filled ``<prefix>_<lang>`` fields, by language."""
    texts = {}
    for lang in languages():
        field = getattr(row, f"{prefix}_{lang}", None)
        if field is not None and field.data:
            texts[lang] = field.data
    return texts


def is_empty(row: Form, kind: str) -> bool:
    if kind == STATUS:
        return not row.status.data
    return not row_texts(row, "text") and not getattr(getattr(row, "article", None), "data", "")


def check_row(row: Form, kind: str) -> bool:
    """A filled row must say what it is; a source link needs its title. Errors go on the fields."""
    fields: dict[str, Field] = row._fields
    ok = True
    if is_empty(row, kind):
        if any(fields[name].data for name in ("happened_on", "source_url", "verified_on")):
            target = fields["status"] if kind == STATUS else fields[f"text_{languages()[0]}"]
            target.errors.append(_l("Please say what this is, or empty the row to remove it."))
            ok = False
        return ok
    if fields["source_url"].data and not fields["source_title"].data:
        fields["source_title"].errors.append(_l("Please give the source a title."))
        ok = False
    return ok
