"""Every kind of audited act and how the log names it, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "user.logged_in": _l("Logged in"),
    "staff.invited": _l("Invited to the staff"),
    "staff.joined": _l("Joined the staff"),
    "staff.role_changed": _l("Staff role changed"),
    "staff.deactivated": _l("Account deactivated"),
    "staff.reactivated": _l("Account reactivated"),
    "staff.2fa_reset": _l("Second factor reset"),
    "membership.invited": _l("Invited to an organisation"),
    "membership.joined": _l("Joined an organisation"),
    "membership.role_changed": _l("Organisation role changed"),
    "membership.removed": _l("Removed from an organisation"),
    "organisation.created": _l("Organisation created"),
    "organisation.updated": _l("Organisation profile saved"),
    "organisation.archived": _l("Organisation archived"),
    "organisation.restored": _l("Organisation restored"),
    "campaign.created": _l("Campaign created"),
    "campaign.updated": _l("Campaign saved"),
    "defender.created": _l("Defender created"),
    "defender.updated": _l("Defender saved"),
    "paper.sheet_added": _l("Paper signatures entered"),
    "paper.imported": _l("Paper signers imported"),
    "export.requested": _l("Export asked for"),
    "export.cancelled": _l("Export cancelled"),
    "invalidation.started": _l("Invalidation started"),
    "invalidation.cancelled": _l("Invalidation cancelled"),
    "invalidation.finished": _l("Invalidation finished"),
    "invalidation.undone": _l("Invalidation undone"),
    "signature.invalidated": _l("Signature invalidated"),
    "signature.restored": _l("Signature restored"),
    "signature.erased": _l("Signature erased"),
    "message.approved": _l("Solidarity messages approved"),
    "message.rejected": _l("Solidarity messages rejected"),
    "update.created": _l("Update written"),
    "update.sent": _l("Update sent"),
    "update.scheduled": _l("Update scheduled"),
    "update.audience_set": _l("Update audience chosen"),
    "update.unscheduled": _l("Update unscheduled"),
    "update.test_sent": _l("Update test sent"),
    "outbox.retried": _l("Failed email sent again"),
    "letter.created": _l("Letter created"),
    "letter.version_saved": _l("Letter text saved"),
    "letter.organisation_invited": _l("Organisation invited to a letter"),
    "letter.opened": _l("Letter opened for sign-on"),
    "letter.closed": _l("Letter closed"),
    "letter.signed": _l("Letter signed on"),
    "letter.withdrawn": _l("Letter signature withdrawn"),
    "letter.language_dropped": _l("Letter language dropped"),
    "letter.recipient_added": _l("Letter recipient added"),
    "letter.recipient_changed": _l("Letter recipient changed"),
    "letter.recipient_removed": _l("Letter recipient removed"),
    "letter.delivery_started": _l("Letter delivery started"),
    "letter.outcome_recorded": _l("Letter recipient's outcome recorded"),
    "letter.deadline_set": _l("Letter recipient's deadline changed"),
    "letter.publication_set": _l("Letter recipient's publication chosen"),
    "letter.handed_recorded": _l("Letter delivery by hand or post recorded"),
    "letter.redelivered": _l("Letter sent again to a recipient"),
}


def action_label(action: str) -> str:
    """The translated name of an action; an unknown key (from an older version) as it is."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action
