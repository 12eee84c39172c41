"""The moderation filter: one form for the preview (GET) and the confirmation (POST)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, Field, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from campaign.forms import strip_lower
from campaign.i18n import is_country
from campaign.moderation.filters import SignatureFilter

DOMAIN = re.compile(r"[a-z0-9.-]+\.[a-z]{2,}")


def _known_country(form: FlaskForm, field: Field) -> None:
    if field.data and not is_country(field.data.upper()):
        raise ValidationError(_l("Please give a two-letter country code, like KZ."))


class FilterForm(FlaskForm):
    since = DateTimeLocalField(
        _l("Signed from (UTC)"), validators=[Optional()], format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
    )
    until = DateTimeLocalField(
        _l("Signed before (UTC)"), validators=[Optional()], format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
    )
    email_domain = StringField(
        _l("Email domain"),
        filters=[strip_lower],
        validators=[
            Optional(),
            Length(max=255),
            Regexp(DOMAIN, message=_l("Please give a mail domain, like example.org.")),
        ],
    )
    ip_hash = StringField(
        _l("IP hash"),
        filters=[strip_lower],
        validators=[
            Optional(),
            Regexp(r"^[0-9a-f]{32}$", message=_l("An IP hash is 32 characters from 0-9 and a-f.")),
        ],
    )
    country = StringField(_l("Country code"), filters=[strip_lower], validators=[Optional(), _known_country])

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.since.data and self.until.data and self.since.data >= self.until.data:
            self.until.errors.append(_l("The end must come after the start."))
            return False
        if not any(
            field.data for field in (self.since, self.until, self.email_domain, self.ip_hash, self.country)
        ):
            self.form_errors.append(
                _l("Please set at least one condition: a whole campaign is never invalidated.")
            )
            return False
        return True

    def to_filter(self, campaign_id: int) -> SignatureFilter:
        return SignatureFilter(
            campaign_id=campaign_id,
            since=self.since.data,
            until=self.until.data,
            email_domain=self.email_domain.data or None,
            ip_hash=self.ip_hash.data or None,
            country=(self.country.data or "").upper() or None,
        )
