"""Account mail: invitations and password-reset links, in the recipient's language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_mail import Message

from campaign.accounts.account_forms import STAFF_ROLE
from campaign.accounts.invitations import INVITATION_DAYS
from campaign.accounts.labels import ORG_ROLE
from campaign.accounts.models import Invitation, PasswordReset
from campaign.accounts.passwords import RESET_HOURS
from campaign.extensions import db
from campaign.links import absolute_url
from campaign.outbox import Claimed, MailKind, render_mail


def invitation(row: Claimed) -> Message | None:
    invite = db.session.get(Invitation, row.payload["invitation_id"])
    if invite is None or not invite.is_pending:
        return None  # revoked or used before the mail went out
    if invite.organisation is not None:
        place = invite.organisation.name(row.lang)
        role = str(ORG_ROLE[invite.role])
    else:
        place = _("the campaign staff")
        role = str(STAFF_ROLE[invite.role])
    inviter = (invite.invited_by.name or invite.invited_by.email) if invite.invited_by else ""
    return render_mail(
        "account_invite",
        row.recipient or "",
        _("You are invited to join %(place)s", place=place),
        place=place,
        role=role,
        inviter=inviter,
        days=INVITATION_DAYS,
        link=absolute_url("invitations.show", lang=row.lang, token=row.payload["token"]),
    )


def password_reset(row: Claimed) -> Message | None:
    reset = db.session.get(PasswordReset, row.payload["reset_id"])
    if reset is None or not reset.is_usable:
        return None
    return render_mail(
        "password_reset",
        row.recipient or "",
        _("Choose a new password"),
        hours=RESET_HOURS,
        link=absolute_url("passwords.reset", lang=row.lang, token=row.payload["token"]),
    )


#: how each kind of mail this module writes is built (create_app registers them with the outbox)
BUILDERS = {
    "account_invite": MailKind(invitation),
    "password_reset": MailKind(password_reset),
}
