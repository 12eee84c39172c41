"""Form pieces every domain's forms share: filters, validators, choices.

Kept beside the domains (infrastructure), so that ``accounts`` or ``letters`` can check a name
or an address the way signing does without importing the signatures domain.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from wtforms import Field, Form
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from campaign.i18n import is_country


def strip(value: Any) -> Any:
    """Filter: surrounding white space is never meant (a pasted name, a trailing newline)."""
    return value.strip() if isinstance(value, str) else value


def strip_lower(value: Any) -> Any:
    """Filter for codes and short names compared case-insensitively."""
    return value.strip().lower() if isinstance(value, str) else value


def plain_text(form: Form, field: Field) -> None:
    """Reject control characters and markup brackets: a name is never code."""
    value = field.data or ""
    if any(unicodedata.category(char) in {"Cc", "Cf"} for char in value):
        raise ValidationError(_("Please remove invisible control characters."))
    if "<" in value or ">" in value:
        raise ValidationError(_("Please use letters only, without < or >."))


def email_address(form: Form, field: Field) -> None:
    """A deliverable-looking address, normalised (the domain lower-cased, IDNA decoded)."""
    try:
        field.data = validate_email(field.data or "", check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationError(_("Please enter a valid email address, like name@example.org.")) from error


def known_country(form: Form, field: Field) -> None:
    if not is_country(field.data or ""):
        raise ValidationError(_("Please choose your country from the list."))


def choices(pairs: Any) -> list[SelectChoice]:
    """WTForms 3.3 deprecates (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]
