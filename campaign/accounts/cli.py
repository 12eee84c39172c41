"""Accounts from the command line: ``create-user``, and for staff ``deactivate-user`` and ``reset-2fa``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from campaign.accounts import services, team
from campaign.accounts.models import ORG_ROLES, Membership, User
from campaign.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option("--password", required=True, help="At least 12 characters.")
@click.option("--role", type=click.Choice(["admin", "campaigner", "partner"]), required=True)
@click.option("--org", "org_name", help="Organisation name (created if new); required for partners.")
@click.option("--org-role", type=click.Choice(ORG_ROLES), default="owner", show_default=True)
@with_appcontext
def create_user_command(email: str, password: str, role: str, org_name: str | None, org_role: str) -> None:
    """Create an account, or update the password and roles of an existing one."""
    if len(password) < services.PASSWORD_MIN:
        raise click.BadParameter(f"use at least {services.PASSWORD_MIN} characters", param_hint="--password")
    if role == "partner" and not org_name:
        raise click.BadParameter("a partner account belongs to an organisation", param_hint="--org")
    organisation = services.find_or_create_organisation(org_name) if org_name else None
    staff_role = None if role == "partner" else role
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        services.create_user(
            email, password, staff_role=staff_role, organisation=organisation, org_role=org_role
        )
        verb = "created"
    else:
        services.set_password(user, password)
        user.staff_role = staff_role
        if organisation is not None:
            membership = next((m for m in user.memberships if m.organisation_id == organisation.id), None)
            if membership is None:
                user.memberships.append(Membership(organisation=organisation, role=org_role))
            else:
                membership.role = org_role
        verb = "updated"
    db.session.commit()
    where = f" in {organisation.name('en')} ({org_role})" if organisation else ""
    click.echo(f"{verb} {email} as {role}{where}")


def _staff_or_fail(email: str) -> User:
    user = team.find_staff(email)
    if user is None:
        raise click.ClickException(f"no staff account for {email}")
    return user


@click.command("deactivate-user")
@click.argument("email")
@with_appcontext
def deactivate_user_command(email: str) -> None:
    """Deactivate a staff account: no more logins, and its open sessions end at once."""
    user = _staff_or_fail(email)
    try:
        team.deactivate(user, actor_id=None)
    except team.TeamError as refused:
        raise click.ClickException("the last active administrator cannot be deactivated") from refused
    db.session.commit()
    click.echo(f"deactivated {user.email}")


@click.command("reset-2fa")
@click.argument("email")
@with_appcontext
def reset_2fa_command(email: str) -> None:
    """Forget a staff account's second factor; its next login sets one up again."""
    user = _staff_or_fail(email)
    team.reset_second_factor(user, actor_id=None)
    db.session.commit()
    click.echo(f"second factor reset for {user.email}; it is set up again at the next login")
