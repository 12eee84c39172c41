"""Forms of the updates package."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """Only the CSRF token, for a page whose one button confirms an action."""
