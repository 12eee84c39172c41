"""Forms for invitations, passwords and recovery codes. Every message names what to fix."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length

from campaign.accounts.labels import ORG_ROLE
from campaign.accounts.services import PASSWORD_MIN
from campaign.forms import AN_ADDRESS_MISSING, email_field, plain_text, strip

PASSWORD_MAX = 1000

STAFF_ROLE = {"campaigner": _l("Campaigner"), "admin": _l("Administrator")}


def _new_password_field(label: Any) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Please use between %(min)d and %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX
                ),
            ),
        ],
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        _l("The new password again"),
        validators=[
            DataRequired(_l("Please type the password a second time.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )


def labelled(labels: dict[str, Any]) -> dict[str, str]:
    """Choices for a select, labels translated now (WTForms wants plain strings)."""
    return {code: str(label) for code, label in labels.items()}


def language_choices() -> dict[str, str]:
    return {
        code: (Locale.parse(code).display_name or code).capitalize()
        for code in current_app.config["LANGUAGES"]
    }


class InviteForm(FlaskForm):
    roles = ORG_ROLE

    email = email_field(_l("Email address of the person to invite"), required=AN_ADDRESS_MISSING)
    #: the least powerful role is preselected: granting more is a deliberate choice
    role = SelectField(
        _l("Role"),
        default="signer",
        validate_choice=False,
        validators=[AnyOf(list(ORG_ROLE), message=_l("Please choose a role from the list."))],
    )
    lang = SelectField(_l("Language of the invitation email"), validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = labelled(self.roles)
        self.lang.choices = language_choices()
        languages = current_app.config["LANGUAGES"]
        self.lang.validators = [AnyOf(languages, message=_l("Please choose a language from the list."))]


class StaffInviteForm(InviteForm):
    roles = STAFF_ROLE
    role = SelectField(
        _l("Staff role"),
        default="campaigner",
        validate_choice=False,
        validators=[AnyOf(list(STAFF_ROLE), message=_l("Please choose a role from the list."))],
    )


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please enter your name.")),
            Length(max=200, message=_l("Please shorten your name to %(max)d characters.", max=200)),
            plain_text,
        ],
    )
    password = _new_password_field(_l("Choose a password"))
    confirm = _confirm_field()


class ResetRequestForm(FlaskForm):
    email = email_field(_l("Your email address"), required=AN_ADDRESS_MISSING)


class NewPasswordForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password.")), Length(max=PASSWORD_MAX)],
    )


class RoleForm(FlaskForm):
    #: the least powerful role is preselected: granting more is a deliberate choice
    role = SelectField(
        _l("Role"),
        default="signer",
        validate_choice=False,
        validators=[AnyOf(list(ORG_ROLE), message=_l("Please choose a role from the list."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = labelled(ORG_ROLE)
