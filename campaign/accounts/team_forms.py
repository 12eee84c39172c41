"""Forms of the staff team page: each a POST with its CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from campaign.accounts.account_forms import STAFF_ROLE
from campaign.forms import choices


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=lambda: choices(list(STAFF_ROLE.items())),
        validators=[DataRequired(_l("Please choose a role."))],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""
