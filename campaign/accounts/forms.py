"""Login and second-factor forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Please enter your email address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Please enter your password.")), Length(max=1000)]
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(_l("Please enter the code.")), Length(max=20)],
    )


class TOTPCodeForm(FlaskForm):
    """A code from the authenticator app: to set it up, and to confirm a sensitive change."""

    code = StringField(
        _l("The 6-digit code your app shows now"),
        validators=[DataRequired(_l("Please enter the code.")), Length(max=10)],
    )


class ActionForm(FlaskForm):
    """A button that changes state: just the CSRF token."""
