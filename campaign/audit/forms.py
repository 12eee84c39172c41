"""The audit log's filter: a GET form (it changes nothing), so a filtered view is a link to share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from campaign.audit.labels import ACTIONS


def _id_or_none(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "", "None") else None
    except ValueError:
        return None


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    campaign = SelectField(_l("Campaign"), coerce=_id_or_none, validators=[Optional()])
    letter = SelectField(_l("Letter"), coerce=_id_or_none, validators=[Optional()])
    user = SelectField(_l("Who"), coerce=_id_or_none, validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    since = DateField(_l("From (UTC)"), validators=[Optional()])
    until = DateField(_l("Until (UTC, inclusive)"), validators=[Optional()])

    def validate(self, extra_validators: object = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.since.data and self.until.data and self.since.data > self.until.data:
            self.until.errors = [_l("The end must come after the start.")]
            return False
        return True


def action_choices() -> list[tuple[str, str]]:
    return [("", str(_l("Any action"))), *((key, str(label)) for key, label in ACTIONS.items())]
